"""The one place where visibility is decided: memberships → what a user sees and edits."""

from agreements.access import get_access
from agreements.choices import OrganisationKind, Role
from agreements.models import Agreement, Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def visible_titles(user):
    return set(Agreement.objects.visible_to(user).values_list("title", flat=True))


def test_coordinator_sees_own_municipalitys_agreement_only(coordinator, world):
    assert visible_titles(coordinator) == {world.agreement.title}


def test_police_see_their_police_areas_agreement(police, world):
    assert visible_titles(police) == {world.agreement.title}


def test_council_member_reads_but_does_not_edit(council_member, world):
    assert visible_titles(council_member) == {world.agreement.title}
    assert not Agreement.objects.editable_by(council_member).exists()


def test_outsider_sees_only_their_own(outsider, world):
    assert visible_titles(outsider) == {world.other_agreement.title}


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Agreement.objects.visible_to(AnonymousUser()).exists()


def test_staff_see_everything_but_edit_nothing(staff, world):
    assert visible_titles(staff) == {world.agreement.title, world.other_agreement.title}
    assert not Agreement.objects.editable_by(staff).exists()


def test_only_the_municipalitys_coordinator_edits(coordinator, police, outsider, world):
    assert list(Agreement.objects.editable_by(coordinator)) == [world.agreement]
    assert not Agreement.objects.editable_by(police).exists()
    assert list(Agreement.objects.editable_by(outsider)) == [world.other_agreement]


def test_membership_of_a_department_counts_for_its_municipality(world):
    department = OrganisationFactory(
        name="Socialförvaltningen", kind=OrganisationKind.DEPARTMENT, parent=world.municipality
    )
    unit = OrganisationFactory(
        name="Fältgruppen", kind=OrganisationKind.DEPARTMENT, parent=department
    )
    user = UserFactory(username="falt")
    MembershipFactory(user=user, organisation=unit, role=Role.VIEWER)
    assert visible_titles(user) == {world.agreement.title}


def test_a_further_party_sees_the_agreement(world):
    housing = OrganisationFactory(name="Ankeby Bostäder AB", kind=OrganisationKind.COMPANY)
    world.agreement.other_parties.add(housing)
    user = UserFactory(username="bostad")
    MembershipFactory(user=user, organisation=housing, role=Role.VIEWER)
    assert visible_titles(user) == {world.agreement.title}


def test_access_is_computed_once_per_user_object(coordinator, django_assert_num_queries):
    with django_assert_num_queries(1):
        get_access(coordinator)
        get_access(coordinator)
        Agreement.objects.visible_to(coordinator)


def test_visibility_query_does_not_multiply_rows(world):
    a = Organisation.objects.create(name="Extra part", kind=OrganisationKind.OTHER)
    world.agreement.other_parties.add(a)
    user = UserFactory(username="flera")
    for org in (world.municipality, world.police_area, a):
        MembershipFactory(user=user, organisation=org, role=Role.VIEWER)
    assert Agreement.objects.visible_to(user).count() == 1
