"""agreements.access for a unit's reporter: which activities of an agreement they report on."""

from agreements import access
from agreements.choices import OrganisationKind, Role
from tests.actionplans.factories import ActivityRoleFactory
from tests.factories import AgreementFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.followup.factories import FollowupActivityFactory, FollowupPlanFactory


def test_a_reporter_reports_on_the_units_activities_of_that_agreement_only(
    world, django_assert_num_queries
):
    social = OrganisationFactory(
        name="Socialförvaltningen", kind=OrganisationKind.DEPARTMENT, parent=world.municipality
    )
    reporter = UserFactory(username="rapportor-soc")
    MembershipFactory(user=reporter, organisation=social, role=Role.REPORTER)
    own = FollowupActivityFactory(
        plan=FollowupPlanFactory(agreement=world.agreement), responsible=social
    )
    # Not the unit's: the municipality leads it and the police have a role in it.
    others = FollowupActivityFactory(plan=own.plan, responsible=world.municipality)
    ActivityRoleFactory(activity=others, organisation=world.police_area)
    # The municipality's next agreement: the unit is responsible there too.
    later = AgreementFactory(
        municipality=world.municipality, police_area=world.police_area, title="Nästa"
    )
    next_one = FollowupActivityFactory(
        plan=FollowupPlanFactory(agreement=later), responsible=social
    )
    # The neighbour's agreement gives the unit a role, but the reporter does not read it.
    theirs = FollowupActivityFactory(
        plan=FollowupPlanFactory(agreement=world.other_agreement),
        responsible=world.other_municipality,
    )
    ActivityRoleFactory(activity=theirs, organisation=social)

    access.get_access(reporter)
    with django_assert_num_queries(1):
        assert access.reported_activity_ids(reporter, world.agreement) == {own.pk}
    with django_assert_num_queries(0):  # asked again: kept on the user for the request
        assert access.reported_activity_ids(reporter, world.agreement) == {own.pk}
    with django_assert_num_queries(1):
        assert access.reported_activity_ids(reporter, later) == {next_one.pk}
    assert access.reported_activity_ids(reporter, world.other_agreement) == frozenset()
    assert access.reported_activity_ids(reporter, world.agreement) == {own.pk}
