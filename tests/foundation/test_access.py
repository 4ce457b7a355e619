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


def test_each_role_answers_for_its_own_organisation_only(
    coordinator, police, council_member, world
):
    a, lpo, b = world.municipality.pk, world.police_area.pk, world.other_municipality.pk
    c, p, m = get_access(coordinator), get_access(police), get_access(council_member)
    assert (c.is_coordinator_of(a), c.is_coordinator_of(b), c.is_coordinator_of(None)) == (
        True,
        False,
        False,
    )
    assert (p.is_police_of(lpo), p.is_police_of(a), p.is_police_of(None)) == (True, False, False)
    assert (a in m.org_ids, b in m.org_ids, None in m.org_ids) == (True, False, False)
    assert not m.is_coordinator_of(a) and not m.is_police_of(lpo)
    assert c.coordinator_org_ids == {a} and p.police_org_ids == {lpo}
    assert c.org_ids == {a} and not c.sees_everything and not c.edits_everything


def test_staff_read_and_superusers_also_edit_everywhere(staff, world):
    superuser = UserFactory(username="rot", is_staff=True, is_superuser=True)
    s, su = get_access(staff), get_access(superuser)
    b = world.other_municipality.pk
    assert s.sees_everything and not s.edits_everything
    assert not s.is_coordinator_of(b) and not s.is_police_of(b)
    assert su.sees_everything and su.edits_everything
    assert su.is_coordinator_of(b) and su.is_police_of(b)
    assert (s.is_staff, s.is_superuser, su.is_superuser) == (True, False, True)


def test_nobody_signed_in_has_no_access(world):
    from django.contrib.auth.models import AnonymousUser

    for user in (None, AnonymousUser()):
        access = get_access(user)
        assert not access.is_authenticated and not access.org_ids
        assert world.municipality.pk not in access.org_ids
        assert not access.sees_everything


def test_a_unit_four_levels_down_counts_for_the_municipality(world):
    """kommun > förvaltning > avdelning > enhet > grupp: the roles climb the whole tree."""
    parent = world.municipality
    for level, kind in enumerate(
        [
            OrganisationKind.DEPARTMENT,
            OrganisationKind.DEPARTMENT,
            OrganisationKind.OTHER,
            OrganisationKind.OTHER,
        ],  # fmt: skip
        start=1,
    ):
        parent = OrganisationFactory(name=f"Nivå {level}", kind=kind, parent=parent)
    deep = UserFactory(username="djup")
    MembershipFactory(user=deep, organisation=parent, role=Role.COORDINATOR)
    access = get_access(deep)
    assert access.is_coordinator_of(world.municipality.pk)
    assert parent.parent.parent.pk in access.org_ids
    assert world.municipality.pk in access.coordinator_org_ids
    assert None not in access.org_ids  # the climb stops at the top
    assert visible_titles(deep) == {world.agreement.title}


def test_roles_in_two_units_of_one_municipality_are_both_kept(world):
    """Two units under the same förvaltning with different roles: both climb to the top."""
    forvaltning = OrganisationFactory(name="Förvaltning", parent=world.municipality)
    one = OrganisationFactory(name="Enhet ett", parent=forvaltning)
    two = OrganisationFactory(name="Enhet två", parent=forvaltning)
    deeper_one = OrganisationFactory(name="Grupp ett", parent=one)
    deeper_two = OrganisationFactory(name="Grupp två", parent=two)
    user = UserFactory(username="tva")
    MembershipFactory(user=user, organisation=deeper_one, role=Role.VIEWER)
    MembershipFactory(user=user, organisation=deeper_two, role=Role.COUNCIL_MEMBER)
    roles = get_access(user).roles_by_org[world.municipality.pk]
    assert roles == {Role.VIEWER, Role.COUNCIL_MEMBER}


def test_an_inactive_organisation_gives_no_access(world):
    user = UserFactory(username="nedlagd")
    gone = OrganisationFactory(name="Nedlagd", parent=world.municipality, is_active=False)
    MembershipFactory(user=user, organisation=gone, role=Role.COORDINATOR)
    assert not get_access(user).org_ids


def test_forgetting_access_reads_the_memberships_again(world):
    from agreements.access import forget_access

    user = UserFactory(username="ny")
    assert not get_access(user).org_ids
    MembershipFactory(user=user, organisation=world.municipality, role=Role.VIEWER)
    assert not get_access(user).org_ids  # cached on the user object
    forget_access(user)
    assert get_access(user).org_ids == {world.municipality.pk}
    forget_access(None)  # harmless
    forget_access(UserFactory(username="aldrig-last"))  # nothing cached yet: harmless too
