"""Journey: the activity list's dropdowns load their options when used (issue 20).

The page carries only "Alla" and what is chosen; the first time a dropdown gets focus its
options arrive (JSON, scoped to the user), are chosen with the keyboard and filter the
list. Another municipality's names never appear. The page watch (conftest) runs axe and
fails on any console error (a Content-Security-Policy violation too).
"""

from django.urls import reverse
from playwright.sync_api import expect

from tests.actionplans.factories import ActionPlanFactory, ActivityFactory
from tests.browser.conftest import Keyboard, assert_accessible, field, login, tab_to
from tests.factories import FocusAreaFactory


def test_a_dropdown_loads_its_options_when_used_and_filters_the_list(page, world, coordinator):
    plan = ActionPlanFactory(agreement=world.agreement, title="Åtgärdsplan Ankeby 2025")
    walks = FocusAreaFactory(agreement=world.agreement, position=1, title="Trygg offentlig miljö")
    youth = FocusAreaFactory(agreement=world.agreement, position=2, title="Unga i riskzon")
    ActivityFactory(plan=plan, focus_area=walks, code="1.1", title="Trygghetsvandringar")
    ActivityFactory(plan=plan, focus_area=youth, code="2.1", title="Fritidsgårdar")
    FocusAreaFactory(agreement=world.other_agreement, title="Bergsjös fokusområde")
    actor = Keyboard(page)
    login(page, coordinator.username)
    page.goto(reverse("actionplans:activity-list"))
    focus_area = field(page, "Fokusområde")
    expect(focus_area.locator("option")).to_have_count(1)  # "Alla": nothing loaded yet
    assert_accessible(page, context="activity list, dropdowns not loaded")

    tab_to(page, focus_area)  # reaching it with Tab loads its options
    expect(focus_area.locator("option")).to_have_text(
        ["Alla", "Trygg offentlig miljö", "Unga i riskzon"]
    )
    page.keyboard.press("ArrowDown")  # the keyboard chooses, as in any select
    page.keyboard.press("ArrowDown")
    expect(focus_area).to_have_value(str(youth.pk))
    actor.click(page.get_by_role("button", name="Filtrera"))
    table = page.get_by_role("table", name="Aktiviteter")
    expect(table.locator("th[scope=row] a")).to_have_text(["2.1 Fritidsgårdar"])
    # After the page load the chosen option is there, and the others load again on use.
    focus_area = field(page, "Fokusområde")
    expect(focus_area.locator("option")).to_have_count(2)
    expect(focus_area).to_have_value(str(youth.pk))
    focus_area.focus()
    expect(focus_area.locator("option")).to_have_count(3)
    expect(focus_area).to_have_value(str(youth.pk))
    assert "Bergsjös fokusområde" not in page.content()
    assert_accessible(page, context="activity list, dropdown loaded")
