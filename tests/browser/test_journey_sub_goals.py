"""Journey: from the menu to the current plan, and sub-goals picked with the keyboard.

The coordinator opens "Åtgärdsplan" in the main menu and lands in the municipality's plan
in force; in the quick-add they unfold "Välj delmål", tick a sub-goal by its whole text
and add the row; in the full form the sub-goals stand in one group per focus area, ticked
as saved, and another is ticked with the Space key. The page watch (conftest) runs axe on
every page and swap and fails on any console error.
"""

from django.urls import reverse
from playwright.sync_api import expect

from actionplans.models import Activity
from tests.actionplans.factories import ActionPlanFactory
from tests.browser.conftest import Keyboard, field, login, tab_to
from tests.factories import FocusAreaFactory, SubGoalFactory

LONG = (
    "Stärkt samverkan för meningsfull fritid, trygga vuxenkontakter och framtidstro bland "
    "barn och unga i alla stadsdelar"
)


def test_coordinator_adds_a_row_with_a_sub_goal_and_ticks_another_in_the_full_form(
    page, world, coordinator
):
    safe = FocusAreaFactory(agreement=world.agreement, position=1, title="Trygg offentlig miljö")
    young = FocusAreaFactory(agreement=world.agreement, position=2, title="Unga utanför")
    lights = SubGoalFactory(focus_area=safe, position=1, text="Fler upplever centrum som tryggt")
    leisure = SubGoalFactory(focus_area=young, position=1, text=LONG)
    ActionPlanFactory(agreement=world.agreement, title="Åtgärdsplan Ankeby 2024–2027")
    actor = Keyboard(page)
    login(page, coordinator.username)

    actor.click(
        page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Åtgärdsplan")
    )
    page.get_by_role("heading", level=1, name="Åtgärdsplan Ankeby 2024–2027").wait_for()

    add = page.locator("#add")
    actor.fill(field(add, "Aktivitet"), "Kvällsvandringar i centrum")
    actor.select(field(add, "Fokusområde"), "Trygg offentlig miljö")
    actor.click(add.get_by_text("Välj delmål", exact=True))
    box = add.get_by_role("group", name="Trygg offentlig miljö").get_by_role(
        "checkbox", name="Fler upplever centrum som tryggt"
    )
    tab_to(page, box)
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    actor.click(add.get_by_role("button", name="Lägg till aktiviteten"))
    page.get_by_role("table", name="Aktiviteter inom Trygg offentlig miljö").get_by_role(
        "link", name="Kvällsvandringar i centrum", exact=True
    ).wait_for()
    activity = Activity.objects.get(title="Kvällsvandringar i centrum")
    assert list(activity.sub_goals.all()) == [lights]

    # The full form: a group per focus area, whole texts, the saved one ticked.
    page.goto(reverse("actionplans:activity-edit", args=[activity.pk]))
    sub_goals = page.get_by_role("group", name="Delmål")
    expect(
        sub_goals.get_by_role("group", name="Trygg offentlig miljö").get_by_role(
            "checkbox", name="Fler upplever centrum som tryggt"
        )
    ).to_be_checked()
    other = sub_goals.get_by_role("group", name="Unga utanför").get_by_role("checkbox", name=LONG)
    expect(other).not_to_be_checked()
    tab_to(page, other)
    page.keyboard.press("Space")
    actor.click(page.get_by_role("button", name="Spara", exact=True))
    page.get_by_text("Aktiviteten har sparats.").wait_for()
    assert set(activity.sub_goals.all()) == {lights, leisure}
