"""The action-plan selectors called directly: which plan is "the plan we work by now"."""

import datetime

import pytest

from actionplans import selectors
from actionplans.choices import ActivityStatus, PartyRole
from actionplans.models import ActivityRole, Review
from actionplans.progress import activity_progress
from agreements import access
from agreements.access import get_access
from agreements.choices import OrganisationKind
from agreements.models import AgreementParty
from core.choices import ReviewDecision, ReviewState
from tests.factories import (
    AgreementFactory,
    AreaFactory,
    FocusAreaFactory,
    MembershipFactory,
    OrganisationFactory,
    SubGoalFactory,
)
from tests.followup.factories import FollowupPlanFactory, ReportFactory, UpdateFactory

from .conftest import make_activity
from .factories import ActionPlanFactory, ActivityRoleFactory, ReviewFactory

d = datetime.date
TODAY = d(2026, 3, 1)
SUPPORTS = PartyRole.SUPPORTS


@pytest.mark.parametrize(
    ("ongoing", "starting", "expected"),
    [
        # A plan that starts today is in force today: the later start of two in force wins.
        ((d(2024, 1, 1), d(2027, 12, 31)), (TODAY, d(2027, 12, 31)), "starting"),
        # A plan that ends today is still in force: it beats the one coming tomorrow.
        ((d(2024, 1, 1), TODAY), (TODAY + datetime.timedelta(days=1), d(2027, 12, 31)), "ongoing"),
    ],
    ids=["starts-today", "ends-today"],
)
def test_the_current_plan_counts_its_first_and_last_day(
    world, coordinator, ongoing, starting, expected
):
    plans = {
        "ongoing": FollowupPlanFactory(
            agreement=world.agreement, title="Pågående", valid_from=ongoing[0], valid_to=ongoing[1]
        ),
        "starting": FollowupPlanFactory(
            agreement=world.agreement, title="Ny", valid_from=starting[0], valid_to=starting[1]
        ),
    }
    assert selectors.current_plans(coordinator, today=TODAY) == [plans[expected]]


def _version_changes(read, steps):
    """Apply each step in turn; the names of the steps after which ``read()`` did not change."""
    unchanged = []
    for name, step in steps:
        before = read()
        step()
        if read() == before:
            unchanged.append(name)
    return unchanged


def test_every_change_the_plan_page_shows_changes_the_plan_tables_version(world, pw):
    """The plan page is cached on this version: a change it misses is a stale page."""
    plan, agreement = pw.plan, world.agreement
    activity = make_activity(plan, focus_area=pw.focus_areas[0])
    role = activity.roles.first()
    report = ReportFactory(plan=plan)
    housing = OrganisationFactory(name="Bostadsbolaget")
    sg_extra = SubGoalFactory(focus_area=pw.focus_areas[1], position=2, text="Extra")

    def rename(obj, field, value):
        def step():
            setattr(obj, field, value)
            obj.save()

        return step

    steps = [
        ("plan", rename(plan, "title", "Ny titel")),
        ("agreement", rename(agreement, "title", "Ny överenskommelse")),
        ("new activity", lambda: make_activity(plan, roles=False)),
        ("role", rename(role, "text", "Leder")),
        ("new role", lambda: ActivityRoleFactory(activity=activity, organisation=housing)),
        ("review", lambda: ReviewFactory(activity=activity)),
        ("sub-goal link", lambda: activity.sub_goals.add(sg_extra)),
        ("focus area", rename(pw.focus_areas[0], "title", "Nytt fokus")),
        ("sub-goal", rename(pw.sub_goals[0], "text", "Nytt delmål")),
        ("party", lambda: AgreementParty.objects.create(agreement=agreement, organisation=housing)),
        ("party order", lambda: AgreementParty.objects.update(position=5)),
        ("organisation", rename(world.police_area, "name", "LPO Ankeby")),
        ("update", lambda: UpdateFactory(report=report, activity=activity)),
        ("report", lambda: ReportFactory(plan=plan, title="Nästa rapport")),
    ]
    assert _version_changes(lambda: selectors.plan_table_version(plan), steps) == []


def test_another_plans_activities_leave_the_plan_tables_version_alone(world, pw):
    make_activity(pw.plan)
    version = selectors.plan_table_version(pw.plan)
    other = make_activity(pw.other_plan)
    ReviewFactory(activity=other)
    ActivityRoleFactory(activity=other, organisation=world.other_municipality, role=SUPPORTS)
    assert selectors.plan_table_version(pw.plan) == version


def test_every_write_the_activity_list_reads_changes_its_version(world, pw, coordinator):
    activity = make_activity(pw.plan, focus_area=pw.focus_areas[0])
    area = AreaFactory(municipality=world.municipality)
    steps = [
        ("activity", lambda: make_activity(pw.plan, roles=False)),
        ("role", lambda: ActivityRoleFactory(activity=activity, role=SUPPORTS)),
        ("plan", lambda: ActionPlanFactory(agreement=world.agreement)),
        ("agreement", lambda: AgreementFactory(municipality=world.municipality)),
        ("focus area", lambda: FocusAreaFactory(agreement=world.agreement)),
        ("organisation", lambda: OrganisationFactory(name="Ny förvaltning")),
        ("membership", lambda: MembershipFactory(organisation=world.municipality)),
    ]
    assert _version_changes(lambda: selectors.activity_list_version(set()), steps) == []
    # A link without a save shows only where the list is filtered by it.
    links = [
        ("sub-goal link", lambda: activity.sub_goals.add(pw.sub_goals[1])),
        ("area link", lambda: activity.areas.add(area)),
    ]
    unfiltered = _version_changes(lambda: selectors.activity_list_version(set()), links)
    assert unfiltered == ["sub-goal link", "area link"]
    activity.sub_goals.clear()
    activity.areas.clear()
    by_sub_goal = _version_changes(lambda: selectors.activity_list_version({"sub_goal"}), links)
    assert by_sub_goal == ["area link"]
    activity.sub_goals.clear()
    activity.areas.clear()
    by_area = _version_changes(lambda: selectors.activity_list_version({"area"}), links)
    assert by_area == ["sub-goal link"]
    # A renamed sub-goal or area matters to a list filtered by sub-goal, area or forum.
    renames = [
        ("sub-goal", lambda: SubGoalFactory(focus_area=pw.focus_areas[0], text="Nytt")),
        ("area", lambda: AreaFactory(municipality=world.municipality)),
    ]
    assert _version_changes(
        lambda: selectors.activity_list_version(set()), renames
    ) == renames_names(renames)
    for filtered in ({"sub_goal"}, {"area"}, {"forum"}):
        assert (
            _version_changes(lambda f=filtered: selectors.activity_list_version(f), renames) == []
        )


def renames_names(steps):
    return [name for name, _step in steps]


# ---------------------------------------------------------------------------
# The plan table
# ---------------------------------------------------------------------------


def _table(plan, user=None, all_editable=True):
    labels = {"municipality": "Kommunen", "police": "Polisen"}
    return selectors.plan_table(user=user, plan=plan, labels=labels, all_editable=all_editable)


def test_the_plan_table_groups_rows_by_focus_area_with_a_group_for_rows_without_one(world, pw):
    fa1, fa2 = pw.focus_areas
    first = make_activity(pw.plan, focus_area=fa1, sub_goals=[pw.sub_goals[0]], position=1)
    loose = make_activity(pw.plan, focus_area=None, position=2)
    second = make_activity(pw.plan, focus_area=fa1, position=3, status=ActivityStatus.DONE)
    make_activity(pw.other_plan, focus_area=None)
    table = _table(pw.plan)
    groups = [(g.focus_area, [r.activity for r in g.rows]) for g in table["groups"]]
    assert groups == [(fa1, [first, second]), (fa2, []), (None, [loose])]
    assert table["activity_count"] == 3
    assert table["focus_areas"] == [fa1, fa2]
    fa1_group = table["groups"][0]
    assert (fa1_group.rollup.counted, fa1_group.rollup.total_progress) == (
        2,
        sum(activity_progress(a) for a in (first, second)),
    )
    [sub_goal] = fa1_group.sub_goals
    assert (sub_goal.sub_goal, sub_goal.rollup.counted) == (pw.sub_goals[0], 1)
    assert table["groups"][1].sub_goals[0].rollup.counted == 0
    assert table["plan_rollup"].counted == 3


def test_a_rows_roles_fall_in_their_partys_column_or_under_others(world, pw):
    department = OrganisationFactory(
        name="Socialförvaltningen", kind=OrganisationKind.DEPARTMENT, parent=world.municipality
    )
    unit = OrganisationFactory(
        name="Fältgruppen", kind=OrganisationKind.DEPARTMENT, parent=department
    )
    outsider_org = OrganisationFactory(name="Idrottsföreningen")
    activity = make_activity(pw.plan, focus_area=pw.focus_areas[0], roles=False)
    deep = ActivityRoleFactory(activity=activity, organisation=unit, role=SUPPORTS)
    police = ActivityRoleFactory(activity=activity, organisation=world.police_area)
    other = ActivityRoleFactory(activity=activity, organisation=outsider_org)
    plain = make_activity(pw.plan, focus_area=pw.focus_areas[0], roles=False)
    table = _table(pw.plan)
    row, plain_row = table["groups"][0].rows
    assert [c.label for c in row.cells] == ["Kommunen", "Polisen"]
    assert [list(c) for c in row.cells] == [[deep], [police]]
    assert row.other_roles == [other]
    assert [role.role_label for role in row.cells[0]] == [str(PartyRole.SUPPORTS.label)]
    assert row.activity.status_label == str(ActivityStatus(activity.status).label)
    assert table["has_other_roles"] is True
    assert plain_row.other_roles == [] and plain_row.activity == plain
    assert row.can_edit and plain_row.can_edit
    assert not any(
        r.can_edit for g in _table(pw.plan, all_editable=False)["groups"] for r in g.rows
    )


def test_a_further_party_has_its_own_column_named_by_its_short_name(world, pw):
    housing = OrganisationFactory(name="Bostadsbolaget AB", short_name="Bostadsbolaget")
    school = OrganisationFactory(name="Friskolan", short_name="")
    AgreementParty.objects.create(agreement=world.agreement, organisation=housing, position=3)
    AgreementParty.objects.create(agreement=world.agreement, organisation=school, position=4)
    activity = make_activity(pw.plan, focus_area=pw.focus_areas[0], roles=False)
    role = ActivityRoleFactory(activity=activity, organisation=housing)
    table = _table(pw.plan)
    assert [c.label for c in table["columns"]] == [
        "Kommunen",
        "Polisen",
        "Bostadsbolaget",
        "Friskolan",
    ]
    [row] = table["groups"][0].rows
    assert [list(c) for c in row.cells] == [[], [], [role], []]
    assert table["has_other_roles"] is False


def test_party_of_looks_up_the_tree_but_no_further_than_it_may_be_deep(world):
    chain = [world.municipality]
    for level in range(access.TREE_DEPTH + 1):
        chain.append(
            OrganisationFactory(
                kind=OrganisationKind.DEPARTMENT, parent=chain[-1], name=f"N{level}"
            )
        )
    parties = [world.municipality.pk]
    role = ActivityRole(organisation=chain[access.TREE_DEPTH])
    assert selectors.party_of(role, parties) == world.municipality.pk
    too_deep = ActivityRole(organisation=chain[access.TREE_DEPTH + 1])
    assert selectors.party_of(too_deep, parties) is None
    assert selectors.party_of(ActivityRole(organisation=world.police_area), parties) is None


# ---------------------------------------------------------------------------
# Change requests, the review queue, an activity's history
# ---------------------------------------------------------------------------


def test_each_returned_activity_shows_its_latest_change_request(world, pw, police):
    returned = make_activity(pw.plan, review_state=ReviewState.RETURNED, position=2)
    earlier = make_activity(pw.plan, review_state=ReviewState.RETURNED, position=1)
    answered = make_activity(pw.plan, review_state=ReviewState.SUBMITTED, position=3)
    old = ReviewFactory(
        activity=returned, reviewer=police, decision=ReviewDecision.RETURNED, comment="Först"
    )
    new = ReviewFactory(
        activity=returned, reviewer=police, decision=ReviewDecision.RETURNED, comment="Sedan"
    )
    Review.objects.filter(pk=old.pk).update(created_at=new.created_at - datetime.timedelta(hours=1))
    ReviewFactory(activity=returned, reviewer=police, decision=ReviewDecision.COMMENT)
    on_earlier = ReviewFactory(activity=earlier, reviewer=police, decision=ReviewDecision.RETURNED)
    ReviewFactory(activity=answered, reviewer=police, decision=ReviewDecision.RETURNED)
    other = make_activity(pw.other_plan, review_state=ReviewState.RETURNED)
    ReviewFactory(activity=other, reviewer=police, decision=ReviewDecision.RETURNED)
    assert selectors.open_change_requests_for_plan(plan=pw.plan) == [on_earlier, new]


def test_the_review_queue_and_the_change_requests_are_each_users_own(
    world, pw, coordinator, police, outsider
):
    sent = make_activity(pw.plan, review_state=ReviewState.SUBMITTED, position=2)
    first = make_activity(pw.plan, review_state=ReviewState.SUBMITTED, position=1)
    returned = make_activity(pw.plan, review_state=ReviewState.RETURNED, position=3)
    make_activity(pw.plan, review_state=ReviewState.DRAFT, position=4)
    make_activity(pw.other_plan, review_state=ReviewState.SUBMITTED)
    assert list(selectors.review_queue(police)) == [first, sent]
    assert list(selectors.review_queue(coordinator)) == []  # the coordinator does not review
    assert list(selectors.review_queue(outsider)) == []
    assert list(selectors.open_change_requests(coordinator)) == [returned]
    assert list(selectors.open_change_requests(police)) == []
    assert list(selectors.open_change_requests(outsider)) == []


def test_an_activitys_history_lists_its_changes_roles_and_reviews_newest_first(
    world, pw, coordinator, police
):
    activity = make_activity(pw.plan, roles=False, title="Före")
    activity.title = "Efter"
    activity._history_user = coordinator
    activity.save()
    ActivityRoleFactory(activity=activity, organisation=world.police_area)
    ReviewFactory(
        activity=activity, reviewer=police, decision=ReviewDecision.RETURNED, comment="Ändra"
    )
    entries = selectors.activity_history(activity=activity)
    kinds = [e["kind"] for e in entries]
    assert kinds == ["review", "+", "~", "+"]
    dates = [e["date"] for e in entries]
    assert dates == sorted(dates, reverse=True)
    review, role, change, created = entries
    assert (review["user"], review["comment"]) == (police, "Ändra")
    assert review["label"] == str(ReviewDecision.RETURNED.label)
    assert role["label"] == f"{world.police_area}: {PartyRole.LEADS.label}"
    assert change["user"] == coordinator and change["label"] == "Efter"
    assert [(c.old, c.new) for c in change["changes"]] == [("Före", "Efter")]
    assert created["changes"] == []  # nothing to compare the first version with
    assert [e["kind"] for e in selectors.activity_history(activity=activity, limit=2)] == [
        "review",
        "+",
    ]


def test_an_activitys_progress_is_read_from_its_latest_approved_update_only(
    world, pw, django_assert_num_queries
):
    from tests.forums.factories import ForumFactory

    forum = ForumFactory(municipality=world.municipality, name="KSG Trygghet")
    activity = make_activity(
        pw.plan, pw.focus_areas[0], status=ActivityStatus.IN_PROGRESS, forum=forum
    )
    plain = make_activity(pw.plan, pw.focus_areas[1], status=ActivityStatus.PLANNED)

    def report(end):
        return ReportFactory(
            plan=pw.plan, title=f"Till {end}", period_start=d(end.year, 1, 1), period_end=end
        )

    UpdateFactory(
        report=report(d(2024, 12, 31)), activity=activity, progress=30, review_state="approved"
    )
    latest = UpdateFactory(
        report=report(d(2025, 8, 31)), activity=activity, progress=70, review_state="approved"
    )
    # A later report's update still under review does not count yet.
    UpdateFactory(
        report=report(d(2025, 12, 31)), activity=activity, progress=95, review_state="submitted"
    )
    # Another plan's approved update of a later period is not this activity's.
    other = make_activity(pw.other_plan)
    UpdateFactory(
        report=ReportFactory(plan=pw.other_plan, period_end=d(2026, 6, 30)),
        activity=other,
        progress=10,
        review_state="approved",
    )
    queryset = pw.plan.activities.order_by("position", "pk")
    # activities, roles (with their organisations' tree), sub-goals, areas, updates
    with django_assert_num_queries(5):
        rows = list(selectors.activities_with_related(queryset))
        seen = [
            (
                a.plan.agreement.municipality.name,
                a.plan.agreement.police_area.name,
                a.focus_area.title,
                a.responsible,
                getattr(a.forum, "name", None),
                [
                    (r.organisation.name, getattr(r.organisation.parent, "name", ""))
                    for r in a.roles.all()
                ],
                [s.text for s in a.sub_goals.all()],
                [x.name for x in a.areas.all()],
                [(u.progress, u.report.title) for u in a.approved_updates],
            )
            for a in rows
        ]
    assert [row.pk for row in rows] == [activity.pk, plain.pk]
    assert [row[4] for row in seen] == ["KSG Trygghet", None]
    assert seen[0][-1] == [(70, "Till 2025-08-31")]
    assert seen[1][-1] == []
    assert [u.pk for u in rows[0].approved_updates] == [latest.pk]
    assert activity_progress(rows[0]) == 70


#: The number of a row imported with its own (high) number: the rows added after it get lower
#: ones although they lie after it in the table, so rows that tie on every other ordered
#: column come back in an order that only the number gives.
IMPORTED = 10**9


def test_queues_come_agreement_by_agreement_then_plan_by_plan_in_each_plans_order(
    world, pw, coordinator, police, django_assert_num_queries
):
    from tests.factories import MunicipalityFactory

    # A second plan of Ankeby's agreement, and a neighbouring kommun of the same police area
    # whose agreement's title sorts first although it was added last.
    later_plan = ActionPlanFactory(agreement=world.agreement, title="Åtgärdsplan Ankeby 2")
    aaby = AgreementFactory(
        municipality=MunicipalityFactory(name="Aaby kommun"),
        police_area=world.police_area,
        title="Avtal Aaby",
    )
    aaby_plan = ActionPlanFactory(agreement=aaby, title="Åtgärdsplan Aaby")

    def queue_row(plan, position, state=ReviewState.SUBMITTED, **kwargs):
        return make_activity(plan, roles=False, position=position, review_state=state, **kwargs)

    a2_same = queue_row(pw.plan, 2, id=IMPORTED)
    a1 = queue_row(pw.plan, 1)
    a2 = queue_row(pw.plan, 2)
    b1 = queue_row(later_plan, 1)
    aaby_row = queue_row(aaby_plan, 5)
    assert list(selectors.review_queue(police)) == [aaby_row, a1, a2, a2_same, b1]

    r2_same = queue_row(pw.plan, 7, ReviewState.RETURNED, id=IMPORTED + 1)
    r1 = queue_row(pw.plan, 6, ReviewState.RETURNED)
    r2 = queue_row(pw.plan, 7, ReviewState.RETURNED)
    rb = queue_row(later_plan, 0, ReviewState.RETURNED)
    get_access(coordinator)
    with django_assert_num_queries(1):
        shown = [(a.pk, a.plan.title) for a in selectors.open_change_requests(coordinator)]
    assert [pk for pk, _title in shown] == [r1.pk, r2.pk, r2_same.pk, rb.pk]
    assert shown[-1][1] == "Åtgärdsplan Ankeby 2"

    # "Åtgärdsplan" in the menu: one plan per kommun, the kommuner by name.
    assert [p.agreement.municipality.name for p in selectors.current_plans(police)] == [
        "Aaby kommun",
        "Ankeby kommun",
    ]


def test_an_activitys_history_names_what_changed_who_did_it_and_the_unit_by_name(
    world, pw, coordinator, police, django_assert_num_queries
):
    activity = make_activity(pw.plan, roles=False, title="Samma", responsible=world.municipality)
    moment = activity.history.latest().history_date
    activity.responsible = world.police_area
    activity._history_user = coordinator
    activity.save()
    # Saved in the same instant as its creation (an import): still after it, by its number.
    activity.history.filter(history_id=activity.history.latest().history_id).update(
        history_date=moment
    )
    role = ActivityRoleFactory(activity=activity, organisation=world.police_area)
    role.history.update(history_user=police)
    ReviewFactory(activity=activity, reviewer=police, decision=ReviewDecision.APPROVED, comment="")
    # The activity's versions and their users; the names of its plan and of its units (one
    # query a model); the roles with their users; the reviews with their reviewers.
    with django_assert_num_queries(5):
        entries = selectors.activity_history(activity=activity)
        shown = [(e["what"], e["kind"], getattr(e["user"], "username", None)) for e in entries]
    assert shown == [
        ("granskning", "review", police.username),
        ("roll i aktivitet", "+", police.username),
        ("aktivitet", "~", coordinator.username),
        ("aktivitet", "+", None),
    ]
    review, _role, change, _created = entries
    assert review["changes"] == []
    assert [(c.old, c.new) for c in change["changes"]] == [
        (world.municipality.name, world.police_area.name)
    ]


def test_the_plan_table_reads_every_cell_it_shows_in_a_fixed_number_of_queries(
    world, pw, django_assert_num_queries
):
    from tests.factories import AreaFactory as _AreaFactory
    from tests.forums.factories import ForumFactory

    forum = ForumFactory(municipality=world.municipality, name="KSG Trygghet")
    for n in range(3):
        activity = make_activity(
            pw.plan,
            focus_area=pw.focus_areas[n % 2] if n < 2 else None,
            sub_goals=[pw.sub_goals[n % 2]],
            responsible=world.municipality,
            forum=forum,
            position=n + 1,
            status=ActivityStatus.DONE if n == 2 else ActivityStatus.IN_PROGRESS,
        )
        activity.areas.add(_AreaFactory(municipality=world.municipality, name=f"Område {n}"))
    # The parties, the rows (with focus area, responsible and forum), their roles, sub-goals,
    # areas and approved updates, the focus areas and their sub-goals.
    with django_assert_num_queries(8):
        table = _table(pw.plan)
        shown = [
            (
                row.activity.plan.title,
                getattr(row.activity.focus_area, "title", None),
                row.activity.responsible.name,
                row.activity.forum.name,
                [s.text for s in row.activity.sub_goals.all()],
                [a.name for a in row.activity.areas.all()],
                [list(c) and c[0].organisation.name for c in row.cells],
            )
            for group in table["groups"]
            for row in group.rows
        ]
        sub_goals = [[s.text for s in fa.sub_goals.all()] for fa in table["focus_areas"]]
    assert [plan for plan, *_rest in shown] == [pw.plan.title] * 3
    assert [focus for _plan, focus, *_rest in shown] == [
        "Trygga det offentliga rummet",
        "Stoppa nyrekrytering",
        None,
    ]
    assert shown[0][2:] == (
        world.municipality.name,
        "KSG Trygghet",
        ["Ökad tillit till polis och kommun"],
        ["Område 0"],
        [world.municipality.name, world.police_area.name],
    )
    assert sub_goals == [["Ökad tillit till polis och kommun"], ["Meningsfull fritid"]]
    # The rows without a focus area have their own rollup: one done activity.
    leftover = table["groups"][-1]
    assert (leftover.focus_area, leftover.rollup.counted) == (None, 1)
    assert leftover.rollup.percent == 100


def test_lists_of_activities_agreements_and_change_requests_read_what_they_show_at_once(
    world, pw, coordinator, police, django_assert_num_queries
):
    for n in range(2):
        activity = make_activity(
            pw.plan, focus_area=pw.focus_areas[n], responsible=world.municipality, position=1
        )
        ReviewFactory(activity=activity, reviewer=police, decision=ReviewDecision.RETURNED)
        type(activity)._base_manager.filter(pk=activity.pk).update(
            review_state=ReviewState.RETURNED
        )
    get_access(coordinator)
    with django_assert_num_queries(3):  # the visible plans, the rows, their roles
        rows = [
            (
                a.plan.title,
                a.focus_area.title,
                a.responsible.name,
                [r.organisation.name for r in a.roles.all()],
            )
            for a in selectors.activity_list(coordinator)
        ]
    assert rows[0] == (
        pw.plan.title,
        "Trygga det offentliga rummet",
        world.municipality.name,
        [world.municipality.name, world.police_area.name],
    )
    with django_assert_num_queries(1):
        agreements = [
            (a.municipality.name, a.police_area.name)
            for a in selectors.agreements_managed_by(coordinator)
        ]
    assert agreements == [(world.municipality.name, world.police_area.name)]
    with django_assert_num_queries(1):
        requests = [
            (r.activity.pk, r.activity.title, r.reviewer.username)
            for r in selectors.open_change_requests_for_plan(plan=pw.plan)
        ]
    # Two rows at the same position: each its own request, in the order of the rows' numbers.
    assert [pk for pk, _t, _u in requests] == sorted(pk for pk, _t, _u in requests)
    assert len(requests) == 2 and {u for *_r, u in requests} == {police.username}


def test_tables_show_translated_labels_and_the_stored_value_when_there_is_none(world, pw):
    activity = make_activity(
        pw.plan, status=ActivityStatus.DONE, review_state=ReviewState.SUBMITTED, roles=True
    )
    legacy = make_activity(pw.plan, roles=False)
    legacy.status, legacy.review_state = "pausad", "okänd"  # values of an older version
    labelled = selectors.label_activities(
        selectors.activities_with_related(pw.plan.activities.filter(pk=activity.pk))
    )
    [row] = labelled
    assert (row.status_label, row.review_label) == (
        str(ActivityStatus.DONE.label),
        str(ReviewState.SUBMITTED.label),
    )
    assert sorted(r.role_label for r in row.roles.all()) == sorted(
        [str(PartyRole.LEADS.label), str(PartyRole.PARTICIPATES.label)]
    )
    [old] = selectors.label_activities([legacy])
    assert (old.status_label, old.review_label) == ("pausad", "okänd")


def test_the_plans_a_user_reads_come_with_their_agreement_and_both_parties_in_one_query(
    world, pw, coordinator, django_assert_num_queries
):
    get_access(coordinator)
    with django_assert_num_queries(1):
        shown = [
            (
                p.title,
                p.agreement.title,
                p.agreement.municipality.name,
                p.agreement.police_area.name,
            )
            for p in selectors.plans_visible_to(coordinator)
        ]
    assert shown == [
        (pw.plan.title, world.agreement.title, world.municipality.name, world.police_area.name)
    ]
