"""The daily pages fit the screen: no sideways scrolling of the page on a 1,366 px laptop,
on a 390 px phone, or at 200 % zoom (a 1,366 px screen shows 683 CSS px).

A wide table may scroll inside its own frame; the page itself never does, and the plan's
rows become cards where the table would not fit.
"""

import datetime

from django.urls import reverse

from actionplans.choices import PartyRole
from tests.actionplans.factories import ActionPlanFactory, ActivityFactory, ActivityRoleFactory
from tests.browser.conftest import login
from tests.factories import FocusAreaFactory, OrganisationFactory, SubGoalFactory
from tests.followup.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    ReportFactory,
    UpdateFactory,
)

SIZES = {"laptop": (1366, 800), "phone": (390, 844), "zoom 200 %": (683, 400)}
_WIDTHS = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# Every text drawn in a chart, measured by the browser, lies inside the chart's viewBox.
_CHART_TEXT_OUTSIDE = """() => [...document.querySelectorAll('svg.chart-svg')].flatMap((svg) => {
    const box = svg.viewBox.baseVal;
    return [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim()).map((t) => {
        const b = t.getBBox();
        const inside = b.x >= box.x - 0.5 && b.y >= box.y - 0.5
            && b.x + b.width <= box.x + box.width + 0.5 && b.y + b.height <= box.y + box.height + 0.5;
        return inside ? null : `${t.textContent.trim()}: ${b.x},${b.y} ${b.width}x${b.height}`;
    }).filter(Boolean);
})"""
_BACKGROUND = "(el) => getComputedStyle(el).backgroundColor"
_DATES_WHOLE = """() => [...document.querySelectorAll('.plan-table td.schedule .nowrap')]
    .every((el) => el.getClientRects().length === 1)"""


def _plan(world):
    """A plan like the real ones: long Swedish names, both parties' roles, dates, reviews."""
    area = FocusAreaFactory(
        agreement=world.agreement,
        position=1,
        title="Stoppa nyrekrytering av barn och unga till kriminella nätverk i skolområdena",
    )
    SubGoalFactory(
        focus_area=area,
        text="Stärkt samverkan för meningsfull fritid, trygga vuxenkontakter och framtidstro "
        "bland barn och unga i alla stadsdelar och skolområden",
    )
    unit = OrganisationFactory(
        name="Socialförvaltningen, avdelningen för barn- och ungdomsvård",
        parent=world.municipality,
    )
    plan = ActionPlanFactory(agreement=world.agreement, title="Åtgärdsplan Ankeby 2024–2027")
    for position in range(1, 4):
        activity = ActivityFactory(
            plan=plan,
            focus_area=area,
            position=position,
            code=f"1.{position}",
            title="Samverkan kring unga i riskzon för kriminalitet i skolområdena",
            responsible=unit,
            effect_goal="Färre unga rekryteras till kriminella nätverk i bostadsområdena",
            communication="Gemensamma pressmeddelanden och informationsmöten med föräldrar",
            starts_on=datetime.date(2024, 3, 1),
            ends_on=datetime.date(2027, 6, 30),
            status="in_progress",
            review_state="submitted",
        )
        ActivityRoleFactory(
            activity=activity,
            organisation=unit,
            role=PartyRole.LEADS,
            text="Socialsekreterare i skolorna och fältgruppens kvällsarbete",
        )
        ActivityRoleFactory(
            activity=activity,
            organisation=world.police_area,
            role=PartyRole.PARTICIPATES,
            text="Kommunpolisen deltar i orosanmälningsrutinen",
        )
    return plan


def test_plan_activity_list_and_report_never_scroll_sideways(page, world, coordinator):
    plan = _plan(world)
    report = ReportFactory(agreement=world.agreement, plan=plan, title="Delår 2 2025")
    for activity in plan.activities.all():
        UpdateFactory(
            report=report,
            activity=activity,
            progress=40,
            done="Tre möten med skolornas trygghetsteam och en föräldrakväll i Norrby",
        )
    indicator = IndicatorFactory(
        municipality=world.municipality, name="Andel som känner sig trygga i centrum"
    )
    for year, value in ((2019, 61), (2020, 64), (2021, 59), (2022, 66), (2023, 68)):
        IndicatorValueFactory(
            indicator=indicator,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 6, 30),
            value=value,
        )
    login(page, coordinator.username)
    urls = [
        plan.get_absolute_url(),
        reverse("actionplans:activity-list") + f"?plan={plan.pk}",
        report.get_absolute_url(),
        # The full activity form: its sub-goal and cause checkboxes wrap their whole texts.
        reverse("actionplans:activity-edit", args=[plan.activities.first().pk]),
    ]
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for url in urls:
            page.goto(url)
            scroll_width, inner_width = page.evaluate(_WIDTHS)
            assert scroll_width <= inner_width, f"{url} at {size}: {scroll_width} > {inner_width}"
            if url == urls[0]:
                assert page.evaluate(_DATES_WHOLE), f"a date breaks inside at {size}"
            if url == urls[2] and size == "laptop":
                assert page.locator("svg.chart-svg").count() >= 2  # status and trend
                outside = page.evaluate(_CHART_TEXT_OUTSIDE)
                assert not outside, outside
    # The weights as drawn: row actions quiet (no fill), the form's main action filled.
    page.goto(urls[0] + "?add=1")  # the form that adds a row opens when asked for
    quiet = page.locator("button[id^=move-down-]").first.evaluate(_BACKGROUND)
    primary = page.get_by_role("button", name="Lägg till aktiviteten").evaluate(_BACKGROUND)
    assert quiet == "rgba(0, 0, 0, 0)" and primary == "rgb(11, 79, 138)", (quiet, primary)
