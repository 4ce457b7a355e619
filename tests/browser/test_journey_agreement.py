"""Journey 1: the coordinator drafts an agreement and its action plan in the browser.

The same journey runs twice: with the mouse, and with the keyboard alone (Tab to
move, Enter to act, typing to write) — every control must be reachable in Tab
order with a visible focus, and axe must find nothing serious on any page.
"""

import pytest

from actionplans.models import Activity
from agreements.choices import AgreementStatus
from agreements.models import Agreement
from tests.browser.conftest import Keyboard, Mouse, assert_accessible, field, login

TITLE = "Samverkansöverenskommelse Ankeby 2025–2028"
FOCUS_AREAS = {
    "Trygg offentlig miljö": "Fler vuxna ute kvällstid i centrum",
    "Unga i riskzon": "Färre unga som begår brott",
}
ACTIVITIES = {
    "Trygghetsvandringar i centrum": "Trygg offentlig miljö",
    "Föräldravandringar helger": "Unga i riskzon",
}


def add_details_form(actor, page, summary_text: str):
    """Open an "Add …" disclosure on the agreement page; return its form."""
    details = page.locator("details.add-item").filter(
        has=page.locator("summary", has_text=summary_text)
    )
    actor.click(details.locator("summary"))
    return details.locator("form")


def coordinator_drafts_agreement(page, actor, world) -> Agreement:
    municipality = world.municipality.name
    police_area = world.police_area.name

    actor.click(
        page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Överenskommelser"
        )
    )
    page.wait_for_url("**/overenskommelser/")
    actor.check_page("agreement list")

    actor.click(page.get_by_role("link", name="Ny överenskommelse"))
    page.wait_for_url("**/overenskommelser/ny/")
    actor.check_page("new agreement form")

    if actor.keyboard_only:
        # Submitting without a title: errors are announced and tied to their fields.
        actor.click(page.get_by_role("button", name="Spara"))
        page.get_by_role("alert").first.wait_for()
        title = field(page, "Titel")
        assert title.get_attribute("aria-invalid") == "true"
        error_ids = title.get_attribute("aria-describedby").split()
        error = page.locator(f"#{error_ids[0]}")
        assert error.get_attribute("role") == "alert"
        assert "måste fyllas i" in error.inner_text()
        summary = page.locator(".error-summary")
        assert summary.get_attribute("role") == "alert"
        assert (
            summary.get_by_role("link").first.get_attribute("href")
            == f"#{title.get_attribute('id')}"
        )
        assert_accessible(page, context="agreement form with errors")

    actor.fill(field(page, "Titel"), TITLE)
    actor.select(field(page, "Kommun"), municipality)
    actor.select(field(page, "Lokalpolisområde"), police_area)
    actor.fill(field(page, "Gäller från"), "2025-01-01")
    actor.fill(field(page, "Gäller till"), "2028-12-31")
    actor.fill(field(page, "Syfte"), "Att samverka kring trygghet.")
    actor.click(page.get_by_role("button", name="Spara"))
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    actor.check_page("new agreement")
    agreement = Agreement.objects.get(title=TITLE)
    assert agreement.status == AgreementStatus.DRAFT

    # Two focus areas, each with a sub-goal.
    for area, goal in FOCUS_AREAS.items():
        form = add_details_form(actor, page, "Lägg till ett fokusområde")
        actor.fill(field(form, "Titel"), area)
        actor.click(form.get_by_role("button", name="Lägg till fokusområde"))
        page.get_by_role("heading", name=f"– {area}").wait_for()
        form = add_details_form(actor, page, f"Lägg till ett delmål: {area}")
        actor.fill(field(form, "Delmål"), goal)
        actor.click(form.get_by_role("button", name="Lägg till delmål"))
        page.locator(".sub-goals li", has_text=goal).wait_for()
    actor.check_page("agreement with focus areas")

    # A commitment per party.
    commitments = {
        municipality: "Ansvara för trygghetsvandringarna",
        police_area: "Delta i trygghetsvandringarna",
    }
    for party, text in commitments.items():
        form = add_details_form(actor, page, "Lägg till ett åtagande")
        actor.select(field(form, "Part"), party)
        actor.fill(field(form, "Åtagande"), text)
        actor.click(form.get_by_role("button", name="Lägg till åtagande"))
        page.locator("#commitments-heading ~ .commitment-group li", has_text=text).wait_for()
    for party in commitments:
        assert page.get_by_text(f"{party} förbinder sig att").is_visible()

    # A signatory.
    form = add_details_form(actor, page, "Lägg till en undertecknare")
    actor.fill(field(form, "Namn"), "Anna Andersson")
    actor.fill(field(form, "Titel"), "Kommunstyrelsens ordförande")
    actor.select(field(form, "Part"), municipality)
    actor.fill(field(form, "Plats"), "Ankeby")
    actor.click(form.get_by_role("button", name="Lägg till undertecknare"))
    page.get_by_role("rowheader", name="Anna Andersson").wait_for()
    actor.check_page("agreement with everything")
    return agreement


def coordinator_plans_activities(page, actor, agreement) -> None:
    # The filtered list of all activities is in the menu beside the plan.
    actor.click(
        page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Alla aktiviteter"
        )
    )
    page.get_by_role("heading", level=1).wait_for()
    actor.check_page("activity list")
    # "Åtgärdsplan" opens the municipality's current plan; there is none yet, so the page
    # says so and offers to start one for the new agreement.
    actor.click(
        page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Åtgärdsplan")
    )
    page.get_by_text("Din kommun har ingen åtgärdsplan än.").wait_for()
    actor.check_page("no current plan")
    actor.click(page.get_by_role("link", name=f"Ny åtgärdsplan för {agreement.title}"))
    page.get_by_role("heading", level=1, name="Ny åtgärdsplan").wait_for()
    actor.check_page("new plan form")
    actor.click(page.get_by_role("button", name="Spara"))
    page.locator("#add").wait_for()
    actor.check_page("new plan")

    for title, area in ACTIVITIES.items():
        add = page.locator("#add")
        actor.fill(field(add, "Aktivitet"), title)
        actor.select(field(add, "Fokusområde"), area)
        actor.click(add.get_by_role("button", name="Lägg till aktiviteten"))
        page.get_by_role("table", name=f"Aktiviteter inom {area}").get_by_role(
            "rowheader", name=title
        ).wait_for()
    actor.check_page("plan with activities")


@pytest.mark.parametrize("actor_class", [Mouse, Keyboard], ids=["mouse", "keyboard"])
def test_coordinator_drafts_an_agreement_and_plans_two_activities(
    page, world, coordinator, actor_class
):
    actor = actor_class(page)
    login(page, coordinator.username)
    if actor.keyboard_only:
        # The skip link is the first stop and leads to the content.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Hoppa till innehållet"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    assert page.locator("html").get_attribute("lang") == "sv"

    agreement = coordinator_drafts_agreement(page, actor, world)
    coordinator_plans_activities(page, actor, agreement)

    agreement.refresh_from_db()
    areas = list(agreement.focus_areas.order_by("position"))
    assert [a.title for a in areas] == list(FOCUS_AREAS)
    assert [a.sub_goals.get().text for a in areas] == list(FOCUS_AREAS.values())
    assert set(agreement.commitments.values_list("party__name", flat=True)) == {
        world.municipality.name,
        world.police_area.name,
    }
    assert agreement.signatories.get().name == "Anna Andersson"
    activities = Activity.objects.filter(plan__agreement=agreement).order_by("position")
    assert {a.title: a.focus_area.title for a in activities} == ACTIVITIES
