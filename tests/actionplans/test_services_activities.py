"""actionplans.services at the edges: row order, party roles, and who the review mail reaches.

Written against the mutants `make mutants` left alive; each test pins what a coordinator
or the kommunpolis would notice (the order of the plan's rows, the role a party holds,
whose inbox the mail lands in and what it says).
"""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from actionplans import services
from actionplans.choices import PartyRole, PlanStatus
from actionplans.models import ActionPlan, Activity, ActivityRole, Review
from agreements.choices import OrganisationKind, Role
from core.choices import ReviewDecision, ReviewState
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .conftest import make_activity


def _order(plan):
    return list(plan.activities.order_by("position", "pk").values_list("title", flat=True))


def test_a_plan_is_created_as_given(world):
    plan = services.plan_create(
        agreement=world.agreement,
        title="Åtgärdsplan 2025",
        valid_from=datetime.date(2025, 1, 1),
        valid_to=datetime.date(2025, 12, 31),
        status=PlanStatus.ADOPTED,
        adopted_on=datetime.date(2024, 12, 10),
    )
    stored = ActionPlan.objects.get(pk=plan.pk)
    assert (stored.title, stored.status, stored.adopted_on, stored.valid_to) == (
        "Åtgärdsplan 2025",
        PlanStatus.ADOPTED,
        datetime.date(2024, 12, 10),
        datetime.date(2025, 12, 31),
    )
    assert (
        services.plan_create(
            agreement=world.agreement,
            title="Utkast",
            valid_from=datetime.date(2025, 1, 1),
            valid_to=datetime.date(2025, 12, 31),
        ).status
        == PlanStatus.DRAFT
    )


def test_a_plan_ending_before_it_starts_is_refused(world):
    with pytest.raises(ValidationError):
        services.plan_create(
            agreement=world.agreement,
            title="Bakvänd",
            valid_from=datetime.date(2025, 12, 31),
            valid_to=datetime.date(2025, 1, 1),
        )
    assert not ActionPlan.objects.filter(title="Bakvänd").exists()


def test_new_activities_go_last_with_their_party_roles(pw, world, coordinator):
    first = services.activity_create(plan=pw.plan, user=coordinator, code="1", title="Först")
    assert first.position == 1
    make_activity(pw.other_plan, position=7, roles=False)
    second = services.activity_create(
        plan=pw.plan,
        user=coordinator,
        code="2",
        title="Sedan",
        party_roles={
            world.municipality: (PartyRole.LEADS, "Leder"),
            world.police_area: (PartyRole.SUPPORTS, "Stöttar"),
        },
    )
    assert second.position == 2
    assert {
        (r.organisation_id, r.role, r.text) for r in ActivityRole.objects.filter(activity=second)
    } == {
        (world.municipality.pk, PartyRole.LEADS, "Leder"),
        (world.police_area.pk, PartyRole.SUPPORTS, "Stöttar"),
    }


def test_a_party_role_is_set_changed_and_removed(pw, world):
    activity = make_activity(pw.plan, roles=False)
    party = world.municipality
    role = services.activity_set_party_role(
        activity=activity, party=party, role=PartyRole.LEADS, text="Leder"
    )
    assert ActivityRole.objects.get(activity=activity).role == PartyRole.LEADS
    same = services.activity_set_party_role(
        activity=activity, party=party, role=PartyRole.LEADS, text="Leder"
    )
    assert same.pk == role.pk
    services.activity_set_party_role(
        activity=activity, party=party, role=PartyRole.SUPPORTS, text="Stöttar"
    )
    stored = ActivityRole.objects.get(activity=activity)
    assert (stored.pk, stored.role, stored.text) == (role.pk, PartyRole.SUPPORTS, "Stöttar")
    services.activity_set_party_role(
        activity=activity, party=party, role=PartyRole.SUPPORTS, text="Bara texten"
    )
    assert ActivityRole.objects.get(activity=activity).text == "Bara texten"
    services.activity_set_party_role(
        activity=activity, party=party, role=PartyRole.LEADS, text="Bara texten"
    )
    assert ActivityRole.objects.get(activity=activity).role == PartyRole.LEADS
    assert (
        services.activity_set_party_role(activity=activity, party=party, role="", text="") is None
    )
    assert not ActivityRole.objects.filter(activity=activity).exists()
    assert (
        services.activity_set_party_role(activity=activity, party=party, role="", text="") is None
    )


def test_a_department_two_levels_down_holds_its_municipalitys_role(pw, world):
    administration = OrganisationFactory(
        name="Socialförvaltningen", kind=OrganisationKind.DEPARTMENT, parent=world.municipality
    )
    unit = OrganisationFactory(
        name="Fältgruppen", kind=OrganisationKind.DEPARTMENT, parent=administration
    )
    activity = make_activity(pw.plan, roles=False)
    ActivityRole.objects.create(activity=activity, organisation=unit, role=PartyRole.LEADS)
    services.activity_set_party_role(
        activity=activity, party=world.municipality, role=PartyRole.SUPPORTS, text="Stöd"
    )
    stored = ActivityRole.objects.get(activity=activity)
    assert (stored.organisation_id, stored.role) == (unit.pk, PartyRole.SUPPORTS)


def test_a_unit_at_the_trees_deepest_level_holds_its_municipalitys_role(pw, world):
    # kommun › förvaltning › avdelning › enhet: the deepest level a tree may have
    # (access.TREE_DEPTH) still belongs to the municipality.
    parent = world.municipality
    for name in ("Förvaltningen", "Avdelningen", "Enheten"):
        parent = OrganisationFactory(name=name, kind=OrganisationKind.DEPARTMENT, parent=parent)
    activity = make_activity(pw.plan, roles=False)
    ActivityRole.objects.create(activity=activity, organisation=parent, role=PartyRole.LEADS)
    services.activity_set_party_role(
        activity=activity, party=world.municipality, role=PartyRole.SUPPORTS, text="Stöd"
    )
    assert set(activity.roles.values_list("organisation_id", "role")) == {
        (parent.pk, PartyRole.SUPPORTS)
    }


def test_another_partys_role_is_left_alone(pw, world):
    activity = make_activity(pw.plan)
    services.activity_set_party_role(activity=activity, party=world.police_area, role="", text="")
    assert list(activity.roles.values_list("organisation_id", flat=True)) == [world.municipality.pk]


def test_moving_renumbers_and_swaps_within_the_focus_area(pw):
    fa, other = pw.focus_areas
    a = make_activity(pw.plan, fa, roles=False, position=5, title="A")
    x = make_activity(pw.plan, other, roles=False, position=5, title="X")
    b = make_activity(pw.plan, fa, roles=False, position=9, title="B")
    assert _order(pw.plan) == ["A", "X", "B"]
    services.activity_move(activity=a, direction="down")
    assert _order(pw.plan) == ["B", "X", "A"]
    assert sorted(pw.plan.activities.values_list("position", flat=True)) == [1, 2, 3]
    services.activity_move(activity=Activity.objects.get(pk=a.pk), direction="up")
    assert _order(pw.plan) == ["A", "X", "B"]
    services.activity_move(activity=Activity.objects.get(pk=x.pk), direction="down")
    services.activity_move(activity=Activity.objects.get(pk=b.pk), direction="down")
    assert _order(pw.plan) == ["A", "X", "B"]


def _codes(plan):
    rows = plan.activities.order_by("position", "pk").values_list("code", "title")
    return [f"{code} {title}" for code, title in rows]


def test_moving_renumbers_codes_of_one_series_so_they_stay_in_order(pw):
    fa = pw.focus_areas[0]
    make_activity(pw.plan, fa, roles=False, position=1, code="2.3", title="A")
    b = make_activity(pw.plan, fa, roles=False, position=2, code="2.4", title="B")
    versions = dict(pw.plan.activities.values_list("title", "version"))
    assert services.activity_move(activity=b, direction="up") is True
    assert _codes(pw.plan) == ["2.3 B", "2.4 A"]
    # Both rows changed code: an edit form opened before the move is now stale.
    for title, version in pw.plan.activities.values_list("title", "version"):
        assert version > versions[title]
    # The history shows the real change, not the placeholder used to swap.
    history = list(b.history.order_by("history_date").values_list("code", flat=True))
    assert history[-1] == "2.3" and "" not in history


def test_moving_keeps_codes_that_are_no_series(pw):
    fa = pw.focus_areas[0]
    make_activity(pw.plan, fa, roles=False, position=1, code="SSPF", title="A")
    b = make_activity(pw.plan, fa, roles=False, position=2, code="2.4", title="B")
    assert services.activity_move(activity=b, direction="up") is False
    assert _codes(pw.plan) == ["2.4 B", "SSPF A"]


def test_moving_the_first_up_changes_nothing(pw):
    fa = pw.focus_areas[0]
    make_activity(pw.plan, fa, roles=False, position=1, title="A")
    make_activity(pw.plan, fa, roles=False, position=2, title="B")
    first = pw.plan.activities.get(title="A")
    services.activity_move(activity=first, direction="up")
    assert _order(pw.plan) == ["A", "B"]


def test_moving_follows_the_plans_order_not_the_order_rows_were_added(pw):
    fa = pw.focus_areas[0]
    last = make_activity(pw.plan, fa, roles=False, position=9, title="Sist")
    first = make_activity(pw.plan, fa, roles=False, position=1, title="Först")
    make_activity(pw.plan, fa, roles=False, position=5, title="Mitten")
    services.activity_move(activity=first, direction="down")
    assert _order(pw.plan) == ["Mitten", "Först", "Sist"]
    assert Activity.objects.get(pk=last.pk).position == 3


def test_renumbering_while_moving_leaves_open_edit_forms_valid(pw):
    # Codes that are not one series ("SSPF", "EST"): only the order changes, so no version
    # moves (codes in a series are swapped too, and then both rows get a new version).
    fa, other = pw.focus_areas
    a = make_activity(pw.plan, fa, roles=False, position=4, title="A", code="SSPF")
    x = make_activity(pw.plan, other, roles=False, position=6, title="X", code="KUG")
    b = make_activity(pw.plan, fa, roles=False, position=8, title="B", code="EST")
    versions = dict(Activity.objects.values_list("pk", "version"))
    services.activity_move(activity=a, direction="down")
    assert _order(pw.plan) == ["B", "X", "A"]
    assert dict(Activity.objects.values_list("pk", "version")) == versions
    assert Activity.objects.get(pk=x.pk).position == 2
    assert Activity.objects.get(pk=b.pk).position == 1


# ---------------------------------------------------------------------------
# Review mail
# ---------------------------------------------------------------------------


@pytest.fixture
def activity(pw):
    return make_activity(pw.plan, pw.focus_areas[0], title="Trygghetsvandring")


def _member(username, organisation, role, **kwargs):
    user = UserFactory(username=username, **kwargs)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def test_the_review_request_reaches_every_active_officer_with_an_address(
    activity, coordinator, police, world, django_capture_on_commit_callbacks
):
    station = OrganisationFactory(
        name="Närpolis Centrum", kind=OrganisationKind.DEPARTMENT, parent=world.police_area
    )
    at_station = _member("polis-station", station, Role.POLICE)
    _member("polis-slutat", world.police_area, Role.POLICE, is_active=False)
    _member("polis-utan-adress", world.police_area, Role.POLICE, email="")
    _member("lasare-polis", world.police_area, Role.VIEWER)
    _member("polis-b", world.other_police_area, Role.POLICE)
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_submit_for_review(
            activity=activity, user=coordinator, link="https://samverkan.example/a/1"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [police.email, at_station.email]
    assert message.subject == f"För granskning: {activity}"
    assert coordinator.get_full_name() in message.body
    assert "https://samverkan.example/a/1" in message.body
    assert str(activity.plan) in message.body


def test_a_resubmission_after_changes_says_so_in_the_mail(
    activity, coordinator, police, django_capture_on_commit_callbacks
):
    Activity.objects.filter(pk=activity.pk).update(review_state=ReviewState.RETURNED)
    activity.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_submit_for_review(activity=activity, user=coordinator)
    assert Activity.objects.get(pk=activity.pk).review_state == ReviewState.SUBMITTED
    [message] = mail.outbox
    assert message.to == [police.email]
    assert message.subject == f"Skickad för granskning igen: {activity}"
    assert message.body == (
        f"{coordinator.get_full_name()} har gjort ändringar och skickat aktiviteten för "
        f"granskning igen.\n\n{activity}\n{activity.plan}"
    )


def test_a_second_request_while_waiting_is_refused(activity, coordinator):
    services.activity_submit_for_review(activity=activity, user=coordinator)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.activity_submit_for_review(activity=activity, user=coordinator)
    assert refused.value.messages == ["The activity is already awaiting review."]
    assert Activity.objects.get(pk=activity.pk).review_state == ReviewState.SUBMITTED


def test_no_mail_is_sent_when_nobody_can_receive_it(
    activity, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_submit_for_review(activity=activity, user=coordinator)
    assert mail.outbox == []
    assert Activity.objects.get(pk=activity.pk).review_state == ReviewState.SUBMITTED


def test_a_user_without_a_full_name_is_named_by_username(
    activity, police, world, django_capture_on_commit_callbacks
):
    nameless = _member("anonym-samordnare", world.municipality, Role.COORDINATOR)
    nameless.first_name = nameless.last_name = ""
    nameless.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_submit_for_review(activity=activity, user=nameless)
    assert mail.outbox[0].body.startswith("anonym-samordnare ")


def _pending(activity):
    Activity.objects.filter(pk=activity.pk).update(review_state=ReviewState.SUBMITTED)
    activity.refresh_from_db()
    return activity


def test_the_decision_reaches_the_coordinators_but_not_the_reviewer(
    activity, coordinator, police, world, django_capture_on_commit_callbacks
):
    second = _member("samordnare-a2", world.municipality, Role.COORDINATOR)
    _member("samordnare-b2", world.other_municipality, Role.COORDINATOR)
    _member("kug-a2", world.municipality, Role.COUNCIL_MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        review = services.review_create(
            activity=_pending(activity),
            reviewer=police,
            decision=ReviewDecision.APPROVED,
            comment="  Ser bra ut.  ",
            link="https://samverkan.example/a/1",
        )
    assert Review.objects.get(pk=review.pk).comment == "Ser bra ut."
    assert Activity.objects.get(pk=activity.pk).review_state == ReviewState.APPROVED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coordinator.email, second.email]
    assert message.subject == f"Godkänd: {activity}"
    assert police.get_full_name() in message.body and "Godkänd" in message.body
    assert "Ser bra ut." in message.body and "https://samverkan.example/a/1" in message.body


def test_a_reviewer_who_is_also_a_coordinator_gets_no_mail_about_their_own_decision(
    activity, coordinator, police, world, django_capture_on_commit_callbacks
):
    MembershipFactory(user=police, organisation=world.municipality, role=Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_create(
            activity=_pending(activity), reviewer=police, decision=ReviewDecision.APPROVED
        )
    [message] = mail.outbox
    assert message.to == [coordinator.email]


def test_a_decision_on_an_activity_not_sent_for_review_is_refused(activity, police):
    with translation.override("en"), pytest.raises(ValidationError) as exc_info:
        services.review_create(activity=activity, reviewer=police, decision=ReviewDecision.APPROVED)
    assert exc_info.value.message_dict == {
        "decision": [
            "Only an activity sent for review can be approved or sent back. Write a comment instead."
        ]
    }
    assert not Review.objects.exists()
    assert Activity.objects.get(pk=activity.pk).review_state == ReviewState.DRAFT


def test_an_approval_without_a_comment_or_link_mails_just_the_decision(
    activity, coordinator, police, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = services.review_create(
            activity=_pending(activity), reviewer=police, decision=ReviewDecision.APPROVED
        )
    assert Review.objects.get(pk=review.pk).comment == ""
    [message] = mail.outbox
    assert message.body == (
        f"{police.get_full_name()} har granskat aktiviteten: Godkänd.\n\n"
        f"{activity}\n{activity.plan}"
    )


def test_a_comment_is_allowed_at_any_time_and_keeps_the_status(activity, police):
    services.review_create(
        activity=_pending(activity), reviewer=police, decision=ReviewDecision.COMMENT, comment="Ok"
    )
    assert Activity.objects.get(pk=activity.pk).review_state == ReviewState.SUBMITTED


def test_requesting_changes_needs_a_comment(activity, police):
    with translation.override("en"), pytest.raises(ValidationError) as exc_info:
        services.review_create(
            activity=_pending(activity),
            reviewer=police,
            decision=ReviewDecision.RETURNED,
            comment="   ",
        )
    assert exc_info.value.message_dict == {"comment": ["Say what should be changed."]}
    assert not Review.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "council_member", "outsider"])
def test_only_the_local_police_decide(request, activity, persona):
    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        services.review_create(
            activity=_pending(activity),
            reviewer=request.getfixturevalue(persona),
            decision=ReviewDecision.APPROVED,
        )
    assert str(refused.value) == "Only the police of the local police area review activities."
    assert Activity.objects.get(pk=activity.pk).review_state == ReviewState.SUBMITTED
