"""The accounts services' rules, each refusal with its message and nothing changed (#22).

The views' tests show that a role change or a deactivation works through the form; these
call the services directly, one rule at a time, and check the database afterwards."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from agreements.choices import OrganisationKind, Role
from agreements.models import Agreement, Membership, Organisation
from core.models import StaleVersionError
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    PoliceAreaFactory,
    UserFactory,
)

User = get_user_model()


def _messages(exc: ValidationError) -> dict:
    return {key: [str(m) for m in value] for key, value in exc.message_dict.items()}


def _set_role(coordinator, world, membership, role):
    return services.membership_set_role(
        user=coordinator, municipality=world.municipality, membership=membership, role=role
    )


# ---------------------------------------------------------------------------
# membership_set_role
# ---------------------------------------------------------------------------


def test_a_role_change_is_saved_with_its_history(coordinator, world, council_member):
    membership = Membership.objects.get(user=council_member)
    before = membership.history.count()
    changed = _set_role(coordinator, world, membership, Role.VIEWER)
    assert changed.role == Role.VIEWER
    assert Membership.objects.get(pk=membership.pk).role == Role.VIEWER
    assert membership.history.count() == before + 1


def test_the_same_role_again_changes_nothing_and_writes_no_history(
    coordinator, world, council_member
):
    membership = Membership.objects.get(user=council_member)
    before = membership.history.count()
    assert _set_role(coordinator, world, membership, Role.COUNCIL_MEMBER).pk == membership.pk
    assert membership.history.count() == before


def test_a_role_the_person_already_has_there_is_refused(coordinator, world, council_member):
    MembershipFactory(user=council_member, organisation=world.municipality, role=Role.VIEWER)
    membership = Membership.objects.get(user=council_member, role=Role.COUNCIL_MEMBER)
    with pytest.raises(ValidationError) as refused:
        _set_role(coordinator, world, membership, Role.VIEWER)
    assert _messages(refused.value) == {"role": ["Personen har redan den här rollen här."]}
    assert Membership.objects.get(pk=membership.pk).role == Role.COUNCIL_MEMBER


def test_a_coordinator_cannot_take_away_their_own_coordinator_role(coordinator, world):
    mine = Membership.objects.get(user=coordinator)
    with pytest.raises(ValidationError) as refused:
        _set_role(coordinator, world, mine, Role.VIEWER)
    assert _messages(refused.value) == {
        "role": ["Du kan inte ta bort din egen roll som trygghetssamordnare."]
    }
    assert Membership.objects.get(pk=mine.pk).role == Role.COORDINATOR


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_staff_or_a_superuser_may_change_their_own_coordinator_role(world, flag):
    admin = UserFactory(username="admin-samordnare", **{flag: True})
    mine = MembershipFactory(user=admin, organisation=world.municipality, role=Role.COORDINATOR)
    services.membership_set_role(
        user=admin, municipality=world.municipality, membership=mine, role=Role.VIEWER
    )
    assert Membership.objects.get(pk=mine.pk).role == Role.VIEWER


def test_another_coordinator_may_change_a_coordinators_role(coordinator, world):
    colleague = UserFactory(username="samordnare-a2")
    theirs = MembershipFactory(
        user=colleague, organisation=world.municipality, role=Role.COORDINATOR
    )
    _set_role(coordinator, world, theirs, Role.VIEWER)
    assert Membership.objects.get(pk=theirs.pk).role == Role.VIEWER


@pytest.mark.parametrize(
    ("where", "role", "message"),
    [
        ("municipality", "", "Välj en av rollerna som erbjuds."),
        ("municipality", "chief", "Välj en av rollerna som erbjuds."),
        (
            "municipality",
            Role.POLICE,
            "Polisrollen ges i lokalpolisområdet, inte i kommunen.",
        ),
        (
            "municipality",
            Role.REPORTER,
            "Rapportörer hör till den enhet som rapporterar (en förvaltning, en avdelning eller "
            "ett bolag): välj enheten, inte kommunen.",
        ),
        ("police_area", Role.COORDINATOR, "Personer i lokalpolisområdet har polisrollen."),
        ("police_area", Role.REPORTER, "Personer i lokalpolisområdet har polisrollen."),
        ("department", Role.POLICE, "Polisrollen ges i lokalpolisområdet, inte i kommunen."),
    ],
)
def test_a_role_that_does_not_belong_to_the_organisation_is_refused_with_a_reason(
    coordinator, world, department, where, role, message
):
    organisation = {
        "municipality": world.municipality,
        "police_area": world.police_area,
        "department": department,
    }[where]
    start = Role.POLICE if where == "police_area" else Role.VIEWER
    person = UserFactory(username="person")
    membership = MembershipFactory(user=person, organisation=organisation, role=start)
    with pytest.raises(ValidationError) as refused:
        _set_role(coordinator, world, membership, role)
    assert _messages(refused.value) == {"role": [message]}
    assert Membership.objects.get(pk=membership.pk).role == start


def test_a_unit_may_have_reporters(coordinator, world, department):
    person = UserFactory(username="rapportor")
    membership = MembershipFactory(user=person, organisation=department, role=Role.VIEWER)
    _set_role(coordinator, world, membership, Role.REPORTER)
    assert Membership.objects.get(pk=membership.pk).role == Role.REPORTER


def test_only_the_municipalitys_coordinator_changes_roles(world, council_member, outsider):
    membership = Membership.objects.get(user=council_member)
    for actor in (council_member, outsider):
        with pytest.raises(PermissionDenied):
            _set_role(actor, world, membership, Role.VIEWER)
    assert Membership.objects.get(pk=membership.pk).role == Role.COUNCIL_MEMBER


def test_a_membership_of_another_municipality_cannot_be_changed(coordinator, world, outsider):
    theirs = Membership.objects.get(user=outsider)
    with pytest.raises(Membership.DoesNotExist):
        _set_role(coordinator, world, theirs, Role.VIEWER)
    assert Membership.objects.get(pk=theirs.pk).role == Role.COORDINATOR


# ---------------------------------------------------------------------------
# user_set_active
# ---------------------------------------------------------------------------


def _set_active(actor, world, person, active):
    return services.user_set_active(
        user=actor, municipality=world.municipality, person=person, active=active
    )


def test_an_account_is_deactivated_and_reactivated_never_deleted(coordinator, world, viewer):
    assert _set_active(coordinator, world, viewer, False).is_active is False
    assert User.objects.get(pk=viewer.pk).is_active is False
    assert Membership.objects.filter(user=viewer).exists()
    assert _set_active(coordinator, world, viewer, True).is_active is True
    assert User.objects.get(pk=viewer.pk).is_active is True


def test_a_member_of_a_unit_or_the_police_area_may_be_deactivated(
    coordinator, world, department, police
):
    person = UserFactory(username="enhet")
    MembershipFactory(user=person, organisation=department, role=Role.VIEWER)
    for who in (person, police):
        _set_active(coordinator, world, who, False)
        assert User.objects.get(pk=who.pk).is_active is False


def test_a_person_without_a_role_here_is_not_the_coordinators_to_deactivate(
    coordinator, world, outsider
):
    with pytest.raises(PermissionDenied) as refused:
        _set_active(coordinator, world, outsider, False)
    assert str(refused.value) == "Personen har ingen roll i din kommun."
    assert User.objects.get(pk=outsider.pk).is_active


def test_nobody_deactivates_their_own_account(coordinator, world):
    with pytest.raises(ValidationError) as refused:
        _set_active(coordinator, world, coordinator, False)
    assert refused.value.messages == ["Du kan inte inaktivera ditt eget konto."]
    assert User.objects.get(pk=coordinator.pk).is_active


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_staff_accounts_are_left_to_the_system_administrators(coordinator, world, flag):
    person = UserFactory(username="drift", **{flag: True})
    MembershipFactory(user=person, organisation=world.municipality, role=Role.VIEWER)
    with pytest.raises(ValidationError) as refused:
        _set_active(coordinator, world, person, False)
    assert refused.value.messages == ["Personalkonton hanteras av systemförvaltarna."]
    assert User.objects.get(pk=person.pk).is_active


@pytest.mark.parametrize(
    ("first", "last", "shown"), [("Eva", "Berg", "Eva Berg"), ("", "", "dubbel")]
)
def test_someone_with_roles_elsewhere_is_left_to_the_system_administrators(
    coordinator, world, first, last, shown
):
    person = UserFactory(username="dubbel", first_name=first, last_name=last)
    MembershipFactory(user=person, organisation=world.municipality, role=Role.VIEWER)
    MembershipFactory(user=person, organisation=world.other_municipality, role=Role.VIEWER)
    with pytest.raises(ValidationError) as refused:
        _set_active(coordinator, world, person, False)
    assert refused.value.messages == [
        f"{shown} har också roller i andra organisationer. Be systemförvaltarna att "
        "inaktivera kontot."
    ]
    assert User.objects.get(pk=person.pk).is_active


def test_only_the_coordinator_deactivates(world, council_member, viewer):
    with pytest.raises(PermissionDenied):
        _set_active(council_member, world, viewer, False)
    assert User.objects.get(pk=viewer.pk).is_active


# ---------------------------------------------------------------------------
# police_areas_of and the organisations offered
# ---------------------------------------------------------------------------


def test_the_police_areas_are_the_linked_one_and_those_of_its_agreements(world):
    linked = PoliceAreaFactory(name="Lokalpolisområde Länk")
    unrelated = PoliceAreaFactory(name="Lokalpolisområde Annan")
    assert set(services.police_areas_of(world.municipality)) == {world.police_area}
    Organisation.objects.filter(pk=world.municipality.pk).update(police_area=linked)
    world.municipality.refresh_from_db()
    areas = set(services.police_areas_of(world.municipality))
    assert areas == {world.police_area, linked}
    assert unrelated not in areas and world.other_police_area not in areas


def test_a_municipality_without_agreements_or_link_has_no_police_area(db):
    lonely = OrganisationFactory(name="Ensam kommun", kind=OrganisationKind.MUNICIPALITY)
    PoliceAreaFactory(name="Lokalpolisområde Ensam")
    assert list(services.police_areas_of(lonely)) == []


def test_only_active_organisations_of_the_tree_and_the_police_area_are_offered(world, department):
    closed = OrganisationFactory(
        name="Nedlagd förvaltning",
        kind=OrganisationKind.DEPARTMENT,
        parent=world.municipality,
        is_active=False,
    )
    AgreementFactory(municipality=world.other_municipality, police_area=world.other_police_area)
    offered = set(services.invitable_organisations(world.municipality))
    assert offered == {world.municipality, department, world.police_area}
    assert closed in set(services.units_of(world.municipality))


# ---------------------------------------------------------------------------
# unit_save
# ---------------------------------------------------------------------------


def _unit_save(coordinator, world, unit, version=None):
    """Save as the form does: with the version the unit was loaded with."""
    version = unit.version if version is None else version
    return services.unit_save(
        user=coordinator, municipality=world.municipality, unit=unit, version=version
    )


def test_a_unit_is_saved_under_the_municipality_or_one_of_its_units(coordinator, world, department):
    team = Organisation(name="Fältgruppen", kind=OrganisationKind.OTHER, parent=department)
    _unit_save(coordinator, world, team)
    assert Organisation.objects.get(name="Fältgruppen").parent == department


def test_the_municipality_itself_is_not_edited_here(coordinator, world):
    world.municipality.name = "Nytt namn"
    with pytest.raises(ValidationError) as refused:
        _unit_save(coordinator, world, world.municipality)
    assert refused.value.messages == ["Själva kommunen ändras av systemförvaltarna."]
    assert Organisation.objects.get(pk=world.municipality.pk).name == "Ankeby kommun"


@pytest.mark.parametrize(
    "kind", [OrganisationKind.MUNICIPALITY, OrganisationKind.POLICE_AREA, "nonsense"]
)
def test_a_kind_that_is_not_a_unit_is_refused(coordinator, world, kind):
    unit = Organisation(name="Fel sort", kind=kind, parent=world.municipality)
    with pytest.raises(ValidationError) as refused:
        _unit_save(coordinator, world, unit)
    assert _messages(refused.value) == {"kind": ["Välj en av typerna som erbjuds."]}
    assert not Organisation.objects.filter(name="Fel sort").exists()


def test_every_unit_kind_offered_may_be_saved(coordinator, world):
    for kind in services.UNIT_KINDS:
        _unit_save(
            coordinator,
            world,
            Organisation(name=f"Enhet {kind}", kind=kind, parent=world.municipality),
        )
    assert Organisation.objects.filter(parent=world.municipality).count() == len(
        services.UNIT_KINDS
    )


@pytest.mark.parametrize("parent", [None, "other"])
def test_a_unit_outside_the_municipalitys_tree_is_refused(coordinator, world, parent):
    unit = Organisation(
        name="Fel plats",
        kind=OrganisationKind.DEPARTMENT,
        parent=world.other_municipality if parent else None,
    )
    with pytest.raises(ValidationError) as refused:
        _unit_save(coordinator, world, unit)
    assert _messages(refused.value) == {"parent": ["Välj kommunen eller en av dess enheter."]}
    assert not Organisation.objects.filter(name="Fel plats").exists()


def test_a_unit_cannot_be_hung_under_its_own_child(coordinator, world, department):
    child = OrganisationFactory(name="Barn", kind=OrganisationKind.OTHER, parent=department)
    department.parent = child
    with pytest.raises(ValidationError) as refused:
        _unit_save(coordinator, world, department)
    assert _messages(refused.value) == {"parent": ["Organisationsträdet får inte gå i cirkel."]}
    assert Organisation.objects.get(pk=department.pk).parent_id == world.municipality.pk


def test_a_unit_saved_from_a_stale_form_is_refused(coordinator, world, department):
    stale = department.version
    Organisation.objects.get(pk=department.pk).save()  # someone else saved it meanwhile
    department.name = "Omdöpt"
    with pytest.raises(StaleVersionError):
        _unit_save(coordinator, world, department, version=stale)
    assert Organisation.objects.get(pk=department.pk).name == "Socialförvaltningen Ankeby"


def test_only_the_coordinator_saves_units(world, council_member):
    unit = Organisation(name="Obehörig", kind=OrganisationKind.OTHER, parent=world.municipality)
    with pytest.raises(PermissionDenied):
        _unit_save(council_member, world, unit)
    assert not Organisation.objects.filter(name="Obehörig").exists()


def test_a_unit_with_units_under_it_can_still_be_renamed(coordinator, world, department):
    OrganisationFactory(name="Barn", kind=OrganisationKind.OTHER, parent=department)
    department.name = "Social- och omsorgsförvaltningen"
    _unit_save(coordinator, world, department)
    assert Organisation.objects.get(pk=department.pk).name == "Social- och omsorgsförvaltningen"


# ---------------------------------------------------------------------------
# invitations and a new customer
# ---------------------------------------------------------------------------


def _invite(coordinator, world, email="ny@ankeby.se"):
    return services.invitation_create(
        user=coordinator,
        municipality=world.municipality,
        organisation=world.municipality,
        role=Role.VIEWER,
        email=email,
        base_url="http://testserver",
    )


@pytest.mark.parametrize("how", ["revoked", "accepted"])
def test_an_invitation_no_longer_waiting_cannot_be_revoked(coordinator, world, how):
    invitation = _invite(coordinator, world)
    if how == "revoked":
        services.invitation_revoke(user=coordinator, invitation=invitation)
    else:
        services.invitation_accept(invitation=invitation, password="Ett långt lösenord 2026")
    before = type(invitation).objects.get(pk=invitation.pk)
    with pytest.raises(ValidationError) as refused:
        services.invitation_revoke(user=coordinator, invitation=invitation)
    assert refused.value.messages == ["Den här inbjudan kan inte längre återkallas."]
    after = type(invitation).objects.get(pk=invitation.pk)
    assert (after.revoked_at, after.accepted_at) == (before.revoked_at, before.accepted_at)


def test_only_the_coordinator_revokes_an_invitation(coordinator, world, council_member):
    invitation = _invite(coordinator, world)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(user=council_member, invitation=invitation)
    assert type(invitation).objects.get(pk=invitation.pk).revoked_at is None


def _customer(user, **names):
    return services.customer_create(
        user=user,
        municipality=Organisation(name="Cedersby kommun"),
        police_area=Organisation(name="Lokalpolisområde Cedersby"),
        police_region=None,
        units=[],
        areas=[],
        coordinator_email="samordnare@cedersby.se",
        base_url="http://testserver",
        **names,
    )


def test_a_new_customer_gets_its_police_area_and_an_invitation_in_the_coordinators_name(staff):
    setup = _customer(staff, coordinator_first_name=" Cecilia ", coordinator_last_name=" Ceder ")
    assert setup.police_area == Organisation.objects.get(name="Lokalpolisområde Cedersby")
    assert setup.municipality.police_area == setup.police_area
    invitation = setup.invitation
    assert (invitation.first_name, invitation.last_name) == ("Cecilia", "Ceder")
    assert (invitation.organisation, invitation.role) == (setup.municipality, Role.COORDINATOR)


def test_a_new_customers_invitation_without_names_has_none(staff):
    invitation = _customer(staff).invitation
    assert (invitation.first_name, invitation.last_name) == ("", "")


def test_only_staff_set_up_a_customer(coordinator):
    with pytest.raises(PermissionDenied) as refused:
        _customer(coordinator)
    assert str(refused.value) == "Bara personal får lägga upp en ny kommun."
    assert not Organisation.objects.filter(name="Cedersby kommun").exists()


def test_someone_else_with_the_role_there_or_the_person_with_it_elsewhere_is_no_duplicate(
    coordinator, world, department, council_member
):
    other = UserFactory(username="annan")
    MembershipFactory(user=other, organisation=world.municipality, role=Role.VIEWER)
    MembershipFactory(user=council_member, organisation=department, role=Role.VIEWER)
    membership = Membership.objects.get(user=council_member, organisation=world.municipality)
    _set_role(coordinator, world, membership, Role.VIEWER)
    assert Membership.objects.get(pk=membership.pk).role == Role.VIEWER


def test_an_invitation_to_an_organisation_outside_the_municipality_is_refused(coordinator, world):
    with pytest.raises(ValidationError) as refused:
        services.invitation_create(
            user=coordinator,
            municipality=world.municipality,
            organisation=world.other_municipality,
            role=Role.VIEWER,
            email="ny@ankeby.se",
            base_url="http://testserver",
        )
    assert _messages(refused.value) == {"organisation": ["Välj en av din kommuns organisationer."]}
    assert not services.Invitation.objects.exists()


def test_an_invitation_without_names_has_none(coordinator, world):
    invitation = _invite(coordinator, world)
    assert (invitation.first_name, invitation.last_name) == ("", "")


def test_a_waiting_invitation_blocks_only_the_same_address_in_the_same_municipality(
    coordinator, world, outsider
):
    services.invitation_create(
        user=outsider,
        municipality=world.other_municipality,
        organisation=world.other_municipality,
        role=Role.VIEWER,
        email="ny@ankeby.se",
        base_url="http://testserver",
    )
    _invite(coordinator, world, "annan@ankeby.se")
    _invite(coordinator, world, "ny@ankeby.se")  # waiting in Bergsjö only: no obstacle here
    with pytest.raises(ValidationError) as refused:
        _invite(coordinator, world, "NY@ankeby.se")
    assert _messages(refused.value) == {
        "email": [
            "En inbjudan till NY@ankeby.se väntar redan. Återkalla den först om du vill "
            "skicka en ny."
        ]
    }


def test_someone_who_already_has_access_is_not_invited_again(coordinator, world, viewer):
    viewer.email = "lasare@ankeby.se"
    viewer.save()
    with pytest.raises(ValidationError) as refused:
        _invite(coordinator, world, "Lasare@ankeby.se")
    assert _messages(refused.value) == {
        "email": ["Lasare@ankeby.se har redan behörighet här. Ändra rollen i listan i stället."]
    }


def test_a_used_invitation_link_does_not_work_again(coordinator, world):
    invitation = _invite(coordinator, world)
    services.invitation_accept(invitation=invitation, password="Ett långt lösenord 2026")
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation=invitation, password="Ett långt lösenord 2026")
    assert refused.value.messages == ["Inbjudningslänken har redan använts eller har gått ut."]
    assert User.objects.filter(email__iexact="ny@ankeby.se").count() == 1


def test_a_signed_in_user_with_another_address_is_told_whose_invitation_it_is(
    coordinator, world, viewer
):
    invitation = _invite(coordinator, world)
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation=invitation, user=viewer)
    assert refused.value.messages == [
        "Inbjudan gäller ny@ankeby.se. Logga ut och öppna länken igen."
    ]
    assert type(invitation).objects.get(pk=invitation.pk).accepted_at is None


@pytest.mark.parametrize("clash", ["email", "username"])
def test_an_existing_account_must_log_in_to_accept(coordinator, world, clash):
    invitation = _invite(coordinator, world)
    if clash == "email":
        UserFactory(username="befintlig", email="NY@ankeby.se")
    else:
        UserFactory(username="ny@ankeby.se", email="")
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation=invitation, password="Ett långt lösenord 2026")
    assert refused.value.messages == [
        "Det finns redan ett konto med den här adressen. Logga in för att ta emot inbjudan."
    ]
    assert type(invitation).objects.get(pk=invitation.pk).accepted_at is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [(("", ""), ("Nina", "Ny")), ((" Nora ", " Nyström "), ("Nora", "Nyström"))],
)
def test_a_new_account_gets_the_address_and_the_names_given_or_invited(
    coordinator, world, given, expected
):
    invitation = services.invitation_create(
        user=coordinator,
        municipality=world.municipality,
        organisation=world.municipality,
        role=Role.VIEWER,
        email="ny@ankeby.se",
        first_name="Nina",
        last_name="Ny",
        base_url="http://testserver",
    )
    names = {"first_name": given[0], "last_name": given[1]} if any(given) else {}
    account = services.invitation_accept(
        invitation=invitation, password="Ett långt lösenord 2026", **names
    )
    stored = User.objects.get(pk=account.pk)
    assert (stored.username, stored.email) == ("ny@ankeby.se", "ny@ankeby.se")
    assert (stored.first_name, stored.last_name) == expected
    assert stored.check_password("Ett långt lösenord 2026")


def test_a_signed_in_user_who_accepts_sees_the_municipality_at_once(coordinator, world):
    person = UserFactory(username="inloggad", email="ny@ankeby.se")
    assert not Agreement.objects.visible_to(person).filter(pk=world.agreement.pk).exists()
    invitation = _invite(coordinator, world)
    services.invitation_accept(invitation=invitation, user=person)
    # The same user object (the request's) no longer carries the access of before.
    assert Agreement.objects.visible_to(person).filter(pk=world.agreement.pk).exists()


def test_the_organisations_offered_come_by_kind_then_name_with_their_parents_in_one_query(
    world, department, django_assert_num_queries
):
    OrganisationFactory(
        name="Arbetsmarknadsförvaltningen",
        kind=OrganisationKind.DEPARTMENT,
        parent=world.municipality,
    )
    offered = list(services.invitable_organisations(world.municipality))
    names = [o.name for o in offered]
    # Förvaltningar (department) before the kommun and the police area, each by name.
    assert names == [
        "Arbetsmarknadsförvaltningen",
        "Socialförvaltningen Ankeby",
        "Ankeby kommun",
        "Lokalpolisområde Ankeby",
    ]
    with django_assert_num_queries(1):
        parents = [o.parent for o in services.invitable_organisations(world.municipality)]
    assert parents[0] == world.municipality
