"""Journey 2: the kommunpolis reviews an activity; the coordinator changes it; it is approved."""

from core.choices import ReviewState
from tests.actionplans.factories import ActionPlanFactory, ActivityFactory
from tests.browser.conftest import assert_accessible, field, login


def test_police_requests_changes_coordinator_changes_and_police_approves(
    new_page, world, coordinator, police
):
    plan = ActionPlanFactory(agreement=world.agreement, title="Åtgärdsplan Ankeby 2025")
    activity = ActivityFactory(
        plan=plan, code="1.1", title="Trygghetsvandringar", effect_goal="Ökad trygghet"
    )
    coord = new_page()
    cop = new_page()

    # The coordinator sends the activity for review from its page.
    login(coord, coordinator.username)
    # "Åtgärdsplan" in the menu opens the municipality's current plan.
    coord.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Åtgärdsplan", exact=True
    ).click()
    coord.get_by_role("heading", level=1, name="Åtgärdsplan Ankeby 2025").wait_for()
    coord.get_by_role("link", name="1.1 Trygghetsvandringar").click()
    coord.get_by_role("heading", level=1, name="1.1 Trygghetsvandringar").wait_for()
    assert_accessible(coord, context="activity (coordinator)")
    coord.get_by_role("button", name="Skicka för granskning").click()
    coord.get_by_text("Aktiviteten har skickats för granskning.").wait_for()

    # The kommunpolis finds it in the review queue from the start page.
    login(cop, police.username)
    assert_accessible(cop, context="start page (police)")
    cop.get_by_role("link", name="1 aktivitet väntar på din granskning").click()
    cop.get_by_role("heading", level=1, name="Granskningskö").wait_for()
    assert_accessible(cop, context="review queue")
    queue = cop.get_by_role("table", name="Aktiviteter som väntar på granskning")
    queue.get_by_role("link", name="1.1 Trygghetsvandringar").click()
    cop.get_by_role("heading", level=1, name="1.1 Trygghetsvandringar").wait_for()
    assert "Väntar på granskning" in cop.locator("#review").inner_text()
    assert_accessible(cop, context="activity (police)")

    # Asking for changes without saying what is refused, and the error is tied to the field.
    cop.get_by_role("radio", name="Återremittera").check()
    cop.get_by_role("button", name="Spara granskningen").click()
    comment = cop.get_by_role("textbox", name="Kommentar")
    cop.locator(".review-form [role=alert]").first.wait_for()
    assert comment.get_attribute("aria-invalid") == "true"
    described = comment.get_attribute("aria-describedby").split()
    error = cop.locator(f"#{described[0]}")
    assert error.get_attribute("role") == "alert"
    assert "Skriv vad som ska ändras." in error.inner_text()
    assert_accessible(cop, context="review form with errors")

    cop.get_by_role("radio", name="Återremittera").check()
    comment.fill("Ange vilka områden vandringarna ska gå i.")
    cop.get_by_role("button", name="Spara granskningen").click()
    cop.get_by_text("Din granskning har sparats.").wait_for()
    assert "Ange vilka områden vandringarna ska gå i." in cop.locator("#review").inner_text()

    # The coordinator sees the request on the start page, changes the activity, resubmits.
    coord.get_by_role("link", name="Samverkan").first.click()
    panel = coord.locator("section", has=coord.get_by_role("heading", name="Åtgärdsplaner"))
    assert "Polisen har begärt ändringar i 1 aktivitet" in panel.inner_text()
    assert_accessible(coord, context="start page (coordinator)")
    panel.get_by_role("link", name="1.1 Trygghetsvandringar").click()
    assert "Ange vilka områden vandringarna ska gå i." in coord.locator("#review").inner_text()
    assert_accessible(coord, context="activity with a change request")
    coord.locator("main").get_by_role("link", name="Ändra", exact=True).click()
    coord.get_by_role("heading", level=1).wait_for()
    assert_accessible(coord, context="activity edit form")
    field(coord, "Effektmål").fill("Ökad trygghet i Centrum och Norrby")
    coord.get_by_role("button", name="Spara", exact=True).click()
    coord.get_by_text("Aktiviteten har sparats.").wait_for()
    assert "Centrum och Norrby" in coord.locator("main").inner_text()
    coord.get_by_role("button", name="Skicka för granskning igen").click()
    coord.get_by_text("Aktiviteten har skickats för granskning.").wait_for()

    # The kommunpolis approves.
    # The review queue is beside the list of all activities.
    cop.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Alla aktiviteter", exact=True
    ).click()
    cop.get_by_role("link", name="Granskningskö").click()
    queue = cop.get_by_role("table", name="Aktiviteter som väntar på granskning")
    queue.get_by_role("link", name="1.1 Trygghetsvandringar").click()
    assert "Centrum och Norrby" in cop.locator("main").inner_text()
    cop.get_by_role("radio", name="Godkänn").check()
    cop.get_by_role("button", name="Spara granskningen").click()
    cop.get_by_text("Din granskning har sparats.").wait_for()
    assert "Godkänd" in cop.locator("#review .badge").inner_text()
    assert_accessible(cop, context="approved activity")

    activity.refresh_from_db()
    assert activity.review_state == ReviewState.APPROVED
    assert activity.effect_goal == "Ökad trygghet i Centrum och Norrby"
