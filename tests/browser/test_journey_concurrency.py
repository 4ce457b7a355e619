"""Journey 5: two coordinators edit the same activity at once; the later save is refused."""

from agreements.choices import Role
from tests.actionplans.factories import ActionPlanFactory, ActivityFactory
from tests.browser.conftest import assert_accessible, field, login
from tests.conftest import _member

REFUSED = "Någon annan har sparat under tiden"


def open_activity_edit_form(page, username):
    login(page, username)
    # "Åtgärdsplan" opens the municipality's current plan, where the activity is a row.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Åtgärdsplan").click()
    page.get_by_role("table").get_by_role("link", name="2.3 Nattvandringar").click()
    page.locator("main").get_by_role("link", name="Ändra", exact=True).click()
    page.get_by_role("heading", level=1, name="Redigera ”Nattvandringar”").wait_for()


def test_the_second_of_two_simultaneous_saves_is_refused_and_shows_the_difference(
    new_page, world, coordinator
):
    colleague = _member("samordnare-a2", world.municipality, Role.COORDINATOR)
    plan = ActionPlanFactory(agreement=world.agreement)
    activity = ActivityFactory(
        plan=plan, code="2.3", title="Nattvandringar", effect_goal="Lugnare helgnätter"
    )
    first, second = new_page(), new_page()
    open_activity_edit_form(first, coordinator.username)
    open_activity_edit_form(second, colleague.username)
    assert_accessible(first, context="activity edit form")

    field(first, "Effektmål").fill("Färre bråk vid busstationen")
    first.get_by_role("button", name="Spara", exact=True).click()
    first.get_by_text("Aktiviteten har sparats.").wait_for()

    field(second, "Effektmål").fill("Fler vuxna ute i centrum")
    second.get_by_role("button", name="Spara", exact=True).click()
    second.get_by_role("alert").filter(has_text=REFUSED).first.wait_for()
    assert_accessible(second, context="refused save")

    # The difference: what the other person saved, and the value the user typed (kept).
    diff = second.get_by_role(
        "table", name="Dina värden jämförda med de värden som sparats under tiden"
    )
    row = diff.get_by_role("row").filter(has=second.get_by_role("rowheader", name="Effektmål"))
    cells = row.get_by_role("cell").all_inner_texts()
    assert cells == ["Färre bråk vid busstationen", "Fler vuxna ute i centrum"]
    assert field(second, "Effektmål").input_value() == "Fler vuxna ute i centrum"
    activity.refresh_from_db()
    assert activity.effect_goal == "Färre bråk vid busstationen"

    # Having compared, the colleague saves again on top of the new version.
    second.get_by_role("button", name="Spara", exact=True).click()
    second.get_by_text("Aktiviteten har sparats.").wait_for()
    activity.refresh_from_db()
    assert activity.effect_goal == "Fler vuxna ute i centrum"
