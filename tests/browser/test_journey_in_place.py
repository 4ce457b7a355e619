"""Journey 6: the htmx paths, with the keyboard: rows moved, edited and added in place.

Each change is made the way a keyboard user makes it, must happen without a page load
(the htmx path, not the form's fallback), must still be there after the page is reloaded,
and must be in the database. After each change the row that changed says so in words,
the confirmation is in the page's live region, and the keyboard focus is in that row. The page watch (conftest) has axe check every page and every
swap, and fails the test on any console error (a Content-Security-Policy violation too).
"""

import datetime

from playwright.sync_api import expect

from actionplans.models import Activity
from followup.models import ActivityUpdate
from tests.actionplans.factories import ActionPlanFactory, ActivityFactory
from tests.browser.conftest import Keyboard, field, login, reload_to_confirm
from tests.factories import FocusAreaFactory
from tests.followup.factories import ReportFactory, UpdateFactory

AREA = "Trygg offentlig miljö"
ROWS = ["1.1 Trygghetsvandringar", "1.2 Bättre belysning", "1.3 Föräldravandringar"]


class SameDocument:
    """Proves that what happened between two points was no page load: a mark survives."""

    def __init__(self, page):
        self.page = page
        page.evaluate("window.__journeyMark = 'still here'")

    def assert_kept(self):
        mark = self.page.evaluate("window.__journeyMark")
        assert mark == "still here", "the page was loaded again: htmx did not do the work"


def _plan(world):
    area = FocusAreaFactory(agreement=world.agreement, position=1, title=AREA)
    plan = ActionPlanFactory(agreement=world.agreement, title="Åtgärdsplan Ankeby 2025")
    for position, row in enumerate(ROWS, start=1):
        code, title = row.split(" ", 1)
        ActivityFactory(plan=plan, focus_area=area, code=code, title=title, position=position)
    return plan


def _confirmed(page, table, title: str, text: str) -> None:
    """The row of ``title`` shows ``text``, has the focus, and the live region says it."""
    row = table.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))
    expect(row.locator(".row-note")).to_have_text(text)
    expect(row.locator(".row-note")).to_be_visible()
    expect(page.locator("#plan-live")).to_have_text(text)
    assert row.evaluate("(tr) => tr.contains(document.activeElement)"), "focus left the row"


def _menu(table, title: str):
    """The row's action menu ("Åtgärder", a details disclosure), to open before its actions."""
    return table.locator("summary", has_text=f"Åtgärder {title}")


def _titles(plan) -> list[str]:
    return [f"{a.code} {a.title}" for a in Activity.objects.filter(plan=plan).order_by("position")]


def test_coordinator_moves_edits_and_adds_plan_rows_in_place_with_the_keyboard(
    page, world, coordinator
):
    plan = _plan(world)
    actor = Keyboard(page)
    login(page, coordinator.username)
    page.goto(plan.get_absolute_url())
    table = page.get_by_role("table", name=f"Aktiviteter inom {AREA}")
    rows = table.locator("th[scope=row] > a")
    expect(rows).to_have_text(ROWS)

    # Move the last row up, then the first row down: the codes are renumbered.
    mark = SameDocument(page)
    # A row's actions are in its menu: closed, they are no Tab stops.
    expect(table.get_by_role("button", name="Flytta upp Föräldravandringar")).to_be_hidden()
    actor.click(_menu(table, "Föräldravandringar"))
    actor.click(table.get_by_role("button", name="Flytta upp Föräldravandringar"))
    moved = ["1.1 Trygghetsvandringar", "1.2 Föräldravandringar", "1.3 Bättre belysning"]
    expect(rows).to_have_text(moved)
    renumbered = "Aktiviteten flyttades och koderna numrerades om."
    _confirmed(page, table, "1.2 Föräldravandringar", renumbered)
    # Focus stays on the button pressed (its menu stays open), so the row can be moved on.
    expect(table.get_by_role("button", name="Flytta upp Föräldravandringar")).to_be_focused()
    actor.click(_menu(table, "Trygghetsvandringar"))
    actor.click(table.get_by_role("button", name="Flytta ned Trygghetsvandringar"))
    moved = ["1.1 Föräldravandringar", "1.2 Trygghetsvandringar", "1.3 Bättre belysning"]
    expect(rows).to_have_text(moved)
    _confirmed(page, table, "1.2 Trygghetsvandringar", renumbered)
    mark.assert_kept()
    reload_to_confirm(page)
    expect(rows).to_have_text(moved)
    assert _titles(plan) == moved

    # Edit a row in place: the row becomes a form, saved, and a row again.
    mark = SameDocument(page)
    actor.click(_menu(table, "Bättre belysning"))
    actor.click(table.get_by_role("link", name="Ändra Bättre belysning"))
    editing = page.locator("tr.plan-row--editing")
    editing.get_by_role("heading", name="Redigera ”Bättre belysning”").wait_for()
    expect(field(editing, "Kod")).to_be_focused()  # the form opened is where the user is
    actor.fill(field(editing, "Aktivitet"), "Bättre belysning i parken")
    actor.fill(field(editing, "Effektmål"), "Fler vågar gå genom parken på kvällen")
    actor.select(field(editing, "Status"), "Pågår")
    actor.click(editing.get_by_role("button", name="Spara raden"))
    expect(rows).to_have_text([*moved[:2], "1.3 Bättre belysning i parken"])
    expect(editing).to_have_count(0)
    _confirmed(page, table, "1.3 Bättre belysning i parken", "Aktiviteten har sparats.")
    mark.assert_kept()
    reload_to_confirm(page)
    row = table.get_by_role("row").filter(
        has=page.get_by_role("link", name="1.3 Bättre belysning i parken")
    )
    assert "Fler vågar gå genom parken på kvällen" in row.inner_text()
    assert "Pågår" in row.inner_text()
    edited = Activity.objects.get(plan=plan, code="1.3")
    assert edited.title == "Bättre belysning i parken"
    assert edited.effect_goal == "Fler vågar gå genom parken på kvällen"
    assert edited.status == "in_progress"

    # Quick add: without a title it is refused in place; with one, the row appears last.
    mark = SameDocument(page)
    # The form is fetched in place when asked for, and its first field takes the focus.
    actor.click(page.get_by_role("link", name="Lägg till en aktivitet"))
    add = page.locator("section#add")
    expect(field(add, "Kod")).to_be_focused()
    actor.select(field(add, "Fokusområde"), AREA)
    actor.click(add.get_by_role("button", name="Lägg till aktiviteten"))
    what = field(add, "Aktivitet")
    assert what.evaluate("el => el.validity.valueMissing")  # the browser asks for it first
    assert Activity.objects.filter(plan=plan).count() == 3
    actor.fill(what, "Trygghetsmöte med handlarna")
    actor.click(add.get_by_role("button", name="Lägg till aktiviteten"))
    expect(rows.last).to_have_text("Trygghetsmöte med handlarna")
    _confirmed(page, table, "Trygghetsmöte med handlarna", "Aktiviteten har lagts till.")
    assert field(add, "Aktivitet").input_value() == ""  # a fresh form for the next row
    mark.assert_kept()
    reload_to_confirm(page)
    expect(rows.last).to_have_text("Trygghetsmöte med handlarna")
    added = Activity.objects.filter(plan=plan).order_by("position").last()
    assert added.title == "Trygghetsmöte med handlarna"
    assert added.focus_area.title == AREA
    assert Activity.objects.filter(plan=plan).count() == 4


def test_coordinator_fills_in_report_updates_row_by_row_with_the_keyboard(page, world, coordinator):
    area = FocusAreaFactory(agreement=world.agreement, position=1, title=AREA)
    plan = ActionPlanFactory(agreement=world.agreement, title="Åtgärdsplan Ankeby 2025")
    walks = ActivityFactory(plan=plan, focus_area=area, code="1.1", title="Trygghetsvandringar")
    lights = ActivityFactory(plan=plan, focus_area=area, code="1.2", title="Bättre belysning")
    report = ReportFactory(
        agreement=world.agreement,
        plan=plan,
        title="Delår 1 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 4, 30),
    )
    saved = UpdateFactory(
        report=report, activity=walks, status="on_track", progress=20, done="Två vandringar"
    )
    actor = Keyboard(page)
    login(page, coordinator.username)
    page.goto(report.get_absolute_url())
    actor.click(page.get_by_role("link", name="Fyll i uppdateringar"))
    page.get_by_role("heading", level=1, name="Uppdateringar för Delår 1 2025").wait_for()

    # A delay without saying what deviates is refused in place, and nothing is saved.
    row = page.locator(f"#activity-{walks.pk}")
    mark = SameDocument(page)
    actor.select(field(row, "Status"), "Försenad")
    actor.fill(field(row, "Framdrift (%)"), "40")
    actor.click(row.get_by_role("button", name="Spara aktivitet 1.1"))
    expect(field(row, "Avvikelse")).to_have_attribute("aria-invalid", "true")
    saved.refresh_from_db()
    assert (saved.status, saved.progress) == ("on_track", 20)

    actor.fill(field(row, "Avvikelse"), "Vandringarna i Norrby har inte kommit igång")
    actor.fill(field(row, "Åtgärd"), "Föreningarna i Norrby tillfrågas i mars")
    actor.click(row.get_by_role("button", name="Spara aktivitet 1.1"))
    row.get_by_role("status").filter(has_text="Sparat.").wait_for()

    # The other row had no update yet: saving it creates one.
    other = page.locator(f"#activity-{lights.pk}")
    actor.select(field(other, "Status"), "Genomförd")
    actor.fill(field(other, "Framdrift (%)"), "100")
    actor.click(other.get_by_role("button", name="Spara aktivitet 1.2"))
    other.get_by_role("status").filter(has_text="Sparat.").wait_for()
    mark.assert_kept()

    reload_to_confirm(page)
    assert field(row, "Status").evaluate("el => el.selectedOptions[0].text") == "Försenad"
    assert field(row, "Framdrift (%)").input_value() == "40"
    assert field(row, "Avvikelse").input_value() == "Vandringarna i Norrby har inte kommit igång"
    assert field(row, "Vad som gjordes").input_value() == "Två vandringar"  # kept as it was
    assert field(other, "Framdrift (%)").input_value() == "100"
    saved.refresh_from_db()
    assert (saved.status, saved.progress) == ("delayed", 40)
    assert saved.remedy == "Föreningarna i Norrby tillfrågas i mars"
    created = ActivityUpdate.objects.get(report=report, activity=lights)
    assert (created.status, created.progress) == ("done", 100)
