"""Who may see and change what, on every URL; the activity edit page and its stale-save guard."""

import pytest
from django.urls import reverse

from actionplans.choices import PartyRole
from actionplans.models import ActionPlan, Activity, ActivityRole
from tests.factories import FocusAreaFactory

from .conftest import make_activity


@pytest.fixture
def activity(pw):
    return make_activity(pw.plan, pw.focus_areas[0], [pw.sub_goals[0]])


def _urls(plan, activity):
    return {
        "get": [
            reverse("actionplans:plan-detail", args=[plan.pk]),
            reverse("actionplans:plan-edit", args=[plan.pk]),
            reverse("actionplans:plan-import", args=[plan.pk]),
            reverse("actionplans:plan-create", args=[plan.agreement_id]),
            reverse("actionplans:activity-detail", args=[activity.pk]),
            reverse("actionplans:activity-edit", args=[activity.pk]),
        ],
        "post": [
            reverse("actionplans:plan-edit", args=[plan.pk]),
            reverse("actionplans:plan-import", args=[plan.pk]),
            reverse("actionplans:plan-create", args=[plan.agreement_id]),
            reverse("actionplans:activity-create", args=[plan.pk]),
            reverse("actionplans:activity-edit", args=[activity.pk]),
            reverse("actionplans:activity-row-edit", args=[activity.pk]),
            reverse("actionplans:activity-move", args=[activity.pk]),
            reverse("actionplans:activity-submit", args=[activity.pk]),
            reverse("actionplans:activity-review", args=[activity.pk]),
        ],
    }


def test_an_outsider_gets_404_on_every_url(pw, activity, outsider_client):
    urls = _urls(pw.plan, activity)
    for url in urls["get"]:
        assert outsider_client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert outsider_client.post(url, {"title": "x"}).status_code == 404, url
    assert (
        outsider_client.get(
            reverse("actionplans:activity-export", args=["csv"]), {"plan": pw.plan.pk}
        )
        .content.decode("utf-8-sig")
        .count("\n")
        == 1
    )  # the header only
    assert Activity.objects.filter(plan=pw.plan).count() == 1


def test_anonymous_users_are_sent_to_login(pw, activity, client):
    for url in _urls(pw.plan, activity)["get"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


@pytest.mark.parametrize("client_name", ["council_client", "police_client"])
def test_members_read_but_do_not_edit_the_plan(pw, activity, request, client_name):
    client = request.getfixturevalue(client_name)
    assert client.get(reverse("actionplans:plan-detail", args=[pw.plan.pk])).status_code == 200
    assert client.get(reverse("actionplans:activity-detail", args=[activity.pk])).status_code == 200
    for name, args in [
        ("actionplans:plan-edit", [pw.plan.pk]),
        ("actionplans:plan-create", [pw.plan.agreement_id]),
        ("actionplans:activity-edit", [activity.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name


def test_staff_read_everything(pw, activity, staff_client):
    assert (
        staff_client.get(reverse("actionplans:plan-detail", args=[pw.other_plan.pk])).status_code
        == 200
    )


def test_police_review_but_do_not_edit_even_the_activities_the_police_lead(pw, police_client):
    """DESIGN.md: the police review activities and report on those they lead; the plan is
    the coordinator's. (Before, the police could rewrite a police-led activity.)"""
    led = make_activity(pw.plan, pw.focus_areas[0], responsible=pw.plan.agreement.police_area)
    assert police_client.get(reverse("actionplans:activity-edit", args=[led.pk])).status_code == 403
    detail = police_client.get(reverse("actionplans:activity-detail", args=[led.pk]))
    assert detail.status_code == 200


def test_the_coordinator_creates_and_edits_a_plan(pw, coordinator_client):
    agreement = pw.plan.agreement
    response = coordinator_client.post(
        reverse("actionplans:plan-create", args=[agreement.pk]),
        {
            "title": "Plan 2026",
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
            "status": "draft",
        },
    )
    assert response.status_code == 302
    plan = ActionPlan.objects.get(title="Plan 2026")
    response = coordinator_client.post(
        reverse("actionplans:plan-edit", args=[plan.pk]),
        {
            "title": "Plan 2026",
            "valid_from": "2026-12-31",
            "valid_to": "2026-01-01",
            "status": "draft",
            "version_token": plan.version,
        },
    )
    assert response.status_code == 200
    assert "Perioden måste sluta efter att den börjar." in response.content.decode()


def _edit_data(activity, **overrides):
    data = {
        "code": activity.code,
        "title": activity.title,
        "description": "",
        "focus_area": activity.focus_area_id or "",
        "effect_goal": "",
        "responsible": "",
        "starts_on": "",
        "ends_on": "",
        "schedule": "",
        "followup_method": "",
        "communication": "",
        "forum": "",
        "kind": "",
        "horizon": "",
        "status": activity.status,
        "version_token": activity.version,
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    roles = list(activity.roles.order_by("pk"))
    data["roles-TOTAL_FORMS"] = str(len(roles) + 1)
    data["roles-INITIAL_FORMS"] = str(len(roles))
    for i, role in enumerate(roles):
        data.update(
            {
                f"roles-{i}-id": role.pk,
                f"roles-{i}-activity": activity.pk,
                f"roles-{i}-organisation": role.organisation_id,
                f"roles-{i}-role": role.role,
                f"roles-{i}-text": role.text,
            }
        )
    data.update(overrides)
    return data


def test_the_activity_edit_saves_fields_and_roles(pw, activity, coordinator_client):
    n = activity.roles.count()
    data = _edit_data(
        activity,
        title="Ny titel",
        **{
            f"roles-{n}-organisation": pw.plan.agreement.police_area_id,
            f"roles-{n}-role": PartyRole.COMMUNICATES,
            f"roles-{n}-text": "Sociala medier",
            "roles-0-DELETE": "on",
            "sub_goals": [pw.sub_goals[1].pk],
        },
    )
    response = coordinator_client.post(
        reverse("actionplans:activity-edit", args=[activity.pk]), data
    )
    assert response.status_code == 302, response.context["form"].errors
    activity.refresh_from_db()
    assert activity.title == "Ny titel"
    assert list(activity.sub_goals.all()) == [pw.sub_goals[1]]
    assert ActivityRole.objects.filter(
        activity=activity, role=PartyRole.COMMUNICATES, text="Sociala medier"
    ).exists()
    assert activity.roles.count() == n  # one removed, one added
    detail = coordinator_client.get(reverse("actionplans:activity-detail", args=[activity.pk]))
    changes = [c for e in detail.context["history"] for c in e["changes"]]
    assert any(c.new == "Ny titel" for c in changes)


def test_choices_are_scoped_to_the_activitys_agreement(pw, activity, coordinator_client):
    foreign = FocusAreaFactory(agreement=pw.other_plan.agreement, title="Främmande")
    response = coordinator_client.post(
        reverse("actionplans:activity-edit", args=[activity.pk]),
        _edit_data(activity, focus_area=foreign.pk),
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ." in response.content.decode()
    form = response.context["form"]
    assert foreign not in form.fields["focus_area"].queryset
    assert pw.other_plan.agreement.municipality not in form.fields["responsible"].queryset
    activity.refresh_from_db()
    assert activity.focus_area == pw.focus_areas[0]


def test_a_stale_activity_edit_is_refused_with_a_diff(pw, activity, coordinator_client):
    data = _edit_data(activity, title="Min version")
    theirs = Activity.objects.get(pk=activity.pk)
    theirs.title = "Deras version"
    theirs.save()
    response = coordinator_client.post(
        reverse("actionplans:activity-edit", args=[activity.pk]), data
    )
    assert response.status_code == 200
    conflicts = response.context["conflicts"]
    assert {"label": "Aktivitet", "theirs": "Deras version", "mine": "Min version"} in [
        {k: str(v) for k, v in c.items()} for c in conflicts
    ]
    page = response.content.decode()
    assert "Min version" in page  # the user's input is kept
    activity.refresh_from_db()
    assert activity.title == "Deras version"
