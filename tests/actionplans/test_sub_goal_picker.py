"""Sub-goals are picked with checkboxes grouped under their focus area, with their whole
texts — in the full activity form and in the plan page's quick-add — and only the
agreement's own are offered or accepted. The title is labelled "Aktivitet"."""

from __future__ import annotations

import re

from django.urls import reverse

from actionplans.models import Activity
from actionplans.services import activity_save
from tests.factories import FocusAreaFactory, SubGoalFactory
from tests.rendered import form_data

from .conftest import make_activity

LONG = (
    "Stärkt samverkan för meningsfull fritid, trygga vuxenkontakter och framtidstro bland "
    "barn och unga i alla stadsdelar"
)


def _groups(html: str) -> dict[str, list[str]]:
    """Each focus-area fieldset's legend and the labels of its checkboxes."""
    groups = {}
    for legend, body in re.findall(
        r'<fieldset class="choice-group"><legend>(.*?)</legend>(.*?)</fieldset>', html, re.S
    ):
        groups[legend] = re.findall(
            r'<input type="checkbox" name="[^"]*sub_goals"[^>]*> <label for="[^"]+">(.*?)</label>',
            body,
        )
    return groups


def test_the_activity_form_groups_the_agreements_sub_goals_with_full_texts(
    pw, world, coordinator_client
):
    SubGoalFactory(focus_area=pw.focus_areas[1], position=2, text=LONG)
    foreign_area = FocusAreaFactory(agreement=world.other_agreement, title="Bergsjös område")
    SubGoalFactory(focus_area=foreign_area, text="Bergsjös delmål")
    activity = make_activity(pw.plan, pw.focus_areas[0], [pw.sub_goals[0]])
    response = coordinator_client.get(reverse("actionplans:activity-edit", args=[activity.pk]))
    html = response.content.decode()
    sub_goals = html[html.index("<legend>Delmål") : html.index("<legend>Orsaker")]
    assert _groups(sub_goals) == {
        "Trygga det offentliga rummet": ["Ökad tillit till polis och kommun"],
        "Stoppa nyrekrytering": ["Meningsfull fritid", LONG],  # the whole text, not 80 chars
    }
    assert "Bergsjö" not in html
    assert '<select name="sub_goals" multiple' not in html  # no Ctrl-click list
    # The chosen one is ticked; the form as rendered keeps it.
    assert form_data(response)["sub_goals"] == str(pw.sub_goals[0].pk)


def test_ticking_sub_goals_in_the_rendered_form_saves_them(pw, coordinator_client):
    activity = make_activity(pw.plan, pw.focus_areas[0], [pw.sub_goals[0]])
    url = reverse("actionplans:activity-edit", args=[activity.pk])
    data = form_data(
        coordinator_client.get(url),
        sub_goals=[str(pw.sub_goals[0].pk), str(pw.sub_goals[1].pk)],
    )
    assert coordinator_client.post(url, data).status_code == 302
    assert set(activity.sub_goals.all()) == set(pw.sub_goals)


def test_a_sub_goal_of_another_agreement_is_refused(pw, world, coordinator_client):
    foreign = SubGoalFactory(
        focus_area=FocusAreaFactory(agreement=world.other_agreement), text="Främmande"
    )
    activity = make_activity(pw.plan, pw.focus_areas[0])
    url = reverse("actionplans:activity-edit", args=[activity.pk])
    data = form_data(coordinator_client.get(url), sub_goals=[str(foreign.pk)])
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert not activity.sub_goals.exists()


def test_the_quick_add_offers_the_sub_goals_folded_and_saves_them(pw, coordinator_client):
    page = coordinator_client.get(pw.plan.get_absolute_url() + "?add=1")
    html = page.content.decode()
    add = html[html.index('id="add"') :]
    assert '<details class="choice-groups__fold"><summary>Välj delmål</summary>' in add
    assert _groups(add) == {
        "Trygga det offentliga rummet": ["Ökad tillit till polis och kommun"],
        "Stoppa nyrekrytering": ["Meningsfull fritid"],
    }
    action = reverse("actionplans:activity-create", args=[pw.plan.pk])
    data = form_data(
        page,
        action=action,
        **{
            "new-code": "9.1",
            "new-title": "Trygghetsvandring i centrum",
            "new-sub_goals": [str(pw.sub_goals[1].pk)],
        },
    )
    assert coordinator_client.post(action, data).status_code == 302
    activity = Activity.objects.get(plan=pw.plan, code="9.1")
    assert list(activity.sub_goals.all()) == [pw.sub_goals[1]]


def test_editing_a_row_in_place_keeps_its_sub_goals_as_rendered(pw, coordinator_client):
    activity = make_activity(pw.plan, pw.focus_areas[0], [pw.sub_goals[0]])
    page = coordinator_client.get(f"{pw.plan.get_absolute_url()}?edit={activity.pk}")
    assert '<details class="choice-groups__fold" open><summary>Välj delmål (1)</summary>' in (
        page.content.decode()
    )
    action = reverse("actionplans:activity-row-edit", args=[activity.pk])
    data = form_data(page, action=action, **{"row-title": "Trygghetsvandring i parken"})
    assert coordinator_client.post(action, data).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Trygghetsvandring i parken"
    assert list(activity.sub_goals.all()) == [pw.sub_goals[0]]


def test_the_service_refuses_another_agreements_sub_goal(pw, world, coordinator):
    foreign = SubGoalFactory(focus_area=FocusAreaFactory(agreement=world.other_agreement))
    activity = make_activity(pw.plan, pw.focus_areas[0])
    activity.title = "Ny titel"
    try:
        activity_save(
            activity=activity, user=coordinator, version=activity.version, sub_goals=[foreign]
        )
    except Exception as exc:  # noqa: BLE001 - the service raises ValidationError
        assert "annan överenskommelse" in str(exc) or "another agreement" in str(exc)
    else:
        raise AssertionError("a foreign sub-goal was accepted")
    activity.refresh_from_db()
    assert activity.title != "Ny titel"
    assert not activity.sub_goals.exists()


def test_the_title_is_labelled_aktivitet_in_the_form_the_list_and_the_plan(pw, coordinator_client):
    activity = make_activity(pw.plan, pw.focus_areas[0])
    form = coordinator_client.get(reverse("actionplans:activity-edit", args=[activity.pk]))
    assert re.search(r'<label for="id_title">Aktivitet', form.content.decode())
    plan = coordinator_client.get(pw.plan.get_absolute_url() + "?add=1").content.decode()
    assert '<th scope="col">Aktivitet</th>' in plan
    assert re.search(r'<label for="id_new-title">Aktivitet', plan)
    listing = coordinator_client.get(reverse("actionplans:activity-list")).content.decode()
    assert '<th scope="col">Aktivitet</th>' in listing
    assert '<th scope="col">Vad</th>' not in plan + listing
