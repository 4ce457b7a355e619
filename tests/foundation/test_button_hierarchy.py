"""Buttons in four weights: primary, secondary (and caution), quiet, danger; a destructive
action asks before it acts."""

from django.urls import reverse

from tests.actionplans.factories import ActionPlanFactory, ActivityFactory
from tests.factories import FocusAreaFactory
from tests.forums.factories import ForumFactory, ForumSeatFactory
from tests.rendered import controls


def test_row_actions_of_the_plan_are_quiet_and_the_add_button_is_primary(coordinator_client, world):
    area = FocusAreaFactory(agreement=world.agreement, position=1)
    plan = ActionPlanFactory(agreement=world.agreement)
    for position in (1, 2):
        ActivityFactory(plan=plan, focus_area=area, position=position, title=f"Rad {position}")
    response = coordinator_client.get(plan.get_absolute_url() + "?add=1")
    row_actions = [
        *controls(response, "Flytta upp Rad"),
        *controls(response, "Flytta ned Rad"),
        *controls(response, "Ändra Rad"),
        *controls(response, "Skicka för granskning Rad"),
    ]
    assert len(row_actions) == 6
    assert all({"button", "button--quiet"} <= c["classes"] for c in row_actions)
    # They sit in each row's menu, whose summary is as quiet (details "Åtgärder").
    html = response.content.decode()
    assert html.count('<summary class="button button--quiet button--small">Åtgärder') == 2
    (add,) = controls(response, "Lägg till aktiviteten")
    assert add["classes"] == {"button"}


def test_removing_a_seat_asks_first(coordinator_client, world):
    forum = ForumFactory(municipality=world.municipality)
    ForumSeatFactory(forum=forum, organisation=world.police_area, function="Kommunpolis")
    response = coordinator_client.get(reverse("forums:detail", args=[forum.pk]))
    (remove,) = controls(response, "Ta bort Kommunpolis")
    assert remove["confirm"] and "platsen" in remove["confirm"]
