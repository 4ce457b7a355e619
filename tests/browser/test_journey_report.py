"""Journey 3: a council member reads the latest follow-up report and downloads its PDF."""

import datetime

from followup import services
from tests.browser.conftest import assert_accessible, download_pdf, login, pdf_text, squeeze
from tests.factories import FocusAreaFactory
from tests.followup.factories import (
    FollowupActivityFactory,
    FollowupPlanFactory,
    ReportFactory,
    UpdateFactory,
)

DEVIATION = "Vandringarna i Norrby har inte kommit igång"
REMEDY = "Föreningarna i Norrby tillfrågas i mars"


def _reports(world, coordinator):
    agreement = world.agreement
    safe = FocusAreaFactory(agreement=agreement, position=1, title="Trygg offentlig miljö")
    young = FocusAreaFactory(agreement=agreement, position=2, title="Unga i riskzon")
    plan = FollowupPlanFactory(agreement=agreement, title="Åtgärdsplan Ankeby")
    walks = FollowupActivityFactory(plan=plan, focus_area=safe, title="Trygghetsvandringar")
    lights = FollowupActivityFactory(plan=plan, focus_area=safe, title="Bättre belysning")
    parents = FollowupActivityFactory(plan=plan, focus_area=young, title="Föräldravandringar")
    approved = {"review_state": "approved"}
    older = ReportFactory(
        agreement=agreement,
        plan=plan,
        title="Delår 1 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 4, 30),
        status="submitted",
    )
    for activity in (walks, lights, parents):
        UpdateFactory(report=older, activity=activity, status="on_track", progress=20, **approved)
    latest = ReportFactory(
        agreement=agreement,
        plan=plan,
        title="Delår 2 2025",
        period_start=datetime.date(2025, 5, 1),
        period_end=datetime.date(2025, 8, 31),
        status="submitted",
        summary="Arbetet går i stort enligt plan.",
    )
    UpdateFactory(
        report=latest,
        activity=walks,
        status="delayed",
        progress=30,
        deviation=DEVIATION,
        remedy=REMEDY,
        **approved,
    )
    UpdateFactory(report=latest, activity=lights, status="done", progress=100, **approved)
    UpdateFactory(report=latest, activity=parents, status="on_track", progress=60, **approved)
    # Approved the way the coordinator does it: once every update is approved.
    for report in (older, latest):
        services.report_approve(report=report, user=coordinator)
    latest.refresh_from_db()
    return latest


def test_council_member_reads_the_latest_report_and_downloads_its_pdf(
    page, world, council_member, coordinator
):
    _reports(world, coordinator)
    login(page, council_member.username)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    page.get_by_role("heading", level=1, name="Avvikelser").wait_for()
    assert_accessible(page, context="deviations")
    assert DEVIATION in page.locator("main").inner_text()

    page.get_by_role("link", name="Rapporter", exact=True).click()
    page.get_by_role("heading", level=1, name="Uppföljningsrapporter").wait_for()
    assert_accessible(page, context="report list")
    reports = page.get_by_role("table").get_by_role("rowheader")
    assert reports.first.inner_text() == "Delår 2 2025"  # newest first
    reports.first.get_by_role("link").click()
    page.get_by_role("heading", level=1, name="Delår 2 2025").wait_for()
    assert_accessible(page, context="report")

    # The status chart is an image with a text alternative, and its numbers are a table too.
    status = page.locator("section", has=page.get_by_role("heading", name="Status per fokusområde"))
    chart = status.get_by_role("img")
    assert chart.count() == 1
    name = chart.evaluate(
        "el => el.getAttribute('aria-labelledby').split(' ')"
        ".map(id => document.getElementById(id).textContent.trim())"
    )
    assert all(name), "the chart's title and description must not be empty"
    assert "Trygg offentlig miljö" in " ".join(name)
    for svg in page.locator("main svg:not([aria-hidden=true])").all():  # every chart
        assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-labelledby")
    table = status.get_by_role("table")
    row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Trygg offentlig miljö")
    )
    assert row.get_by_role("cell").last.inner_text() == "2"  # two activities in total

    # The deviations, with what is being done about them.
    deviations = page.locator(
        "section", has=page.get_by_role("heading", name="Avvikelser och åtgärder")
    )
    shown = deviations.inner_text()
    assert "Trygghetsvandringar" in shown and DEVIATION in shown and REMEDY in shown
    assert "Bättre belysning" not in shown  # completed, not a deviation

    data, filename = download_pdf(page, page.get_by_role("link", name="PDF", exact=True))
    assert filename.endswith(".pdf")
    text = pdf_text(data)
    assert squeeze("Delår 2 2025") in text
    assert squeeze("Trygghetsvandringar") in text
    assert squeeze(DEVIATION) in text and squeeze(REMEDY) in text
