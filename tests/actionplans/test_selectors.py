"""The action-plan selectors called directly: which plan is "the plan we work by now"."""

import datetime

import pytest

from actionplans import selectors
from actionplans.choices import PartyRole
from agreements.models import AgreementParty
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
