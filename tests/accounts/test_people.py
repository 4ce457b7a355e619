"""The coordinator sees who has access, changes roles and deactivates accounts — never
deletes them — and manages the municipality's units and areas."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from agreements.choices import OrganisationKind, PoliceClassification, Role
from agreements.models import Area, Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.rendered import form_data

User = get_user_model()


def test_the_people_page_lists_members_of_the_tree_and_the_police_area(
    coordinator_client, manage_url, council_member, police, department, outsider
):
    in_unit = UserFactory(username="enhet", first_name="Ulla", last_name="Enhet")
    MembershipFactory(user=in_unit, organisation=department, role=Role.VIEWER)
    html = coordinator_client.get(manage_url).content.decode()
    for name in ("kug-a", "kommunpolis-a", "Ulla Enhet", "Socialförvaltningen Ankeby"):
        assert name in html
    assert "samordnare-b" not in html  # another municipality's coordinator


@pytest.mark.parametrize("persona", ["outsider_client", "council_client", "police_client"])
def test_only_the_coordinator_manages(request, persona, manage_url):
    client = request.getfixturevalue(persona)
    expected = 404 if persona == "outsider_client" else 403
    assert client.get(manage_url).status_code == expected


def test_changing_a_role_is_kept_in_history(coordinator_client, coordinator, world, council_member):
    membership = Membership.objects.get(user=council_member)
    url = reverse("accounts:membership-role", args=[world.municipality.pk, membership.pk])
    page = coordinator_client.get(url)
    response = coordinator_client.post(url, form_data(page, role=Role.VIEWER))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    latest = membership.history.first()
    assert (latest.role, latest.history_user) == (Role.VIEWER, coordinator)
    # The police role is not offered for a municipal membership, and is refused if posted.
    page = coordinator_client.get(url)
    assert f'value="{Role.POLICE}"' not in page.content.decode()
    response = coordinator_client.post(url, form_data(page, role=Role.POLICE))
    assert response.status_code == 200 and 'id="id_role_error"' in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_a_membership_of_another_municipality_is_not_found(coordinator_client, world, outsider):
    theirs = Membership.objects.get(user=outsider)
    url = reverse("accounts:membership-role", args=[world.municipality.pk, theirs.pk])
    assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.post(url, {"role": Role.VIEWER}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == Role.COORDINATOR


def test_a_deactivated_user_cannot_log_in_and_keeps_their_history(
    coordinator_client, coordinator, world, council_member, manage_url
):
    url = reverse("accounts:user-active", args=[world.municipality.pk, council_member.pk])
    response = coordinator_client.post(url, {"action": "deactivate"})
    assert response.status_code == 302
    council_member.refresh_from_db()
    assert not council_member.is_active
    assert not Client().login(username="kug-a", password="demo")
    assert Membership.objects.filter(user=council_member).exists()  # nothing deleted
    record = council_member.history.first()
    assert (record.is_active, record.history_user) == (False, coordinator)
    assert "Inaktiverad" in coordinator_client.get(manage_url).content.decode()
    coordinator_client.post(url, {"action": "activate"})
    assert Client().login(username="kug-a", password="demo")


def test_a_coordinator_cannot_deactivate_themselves_or_someone_with_other_roles(
    coordinator_client, coordinator, world, council_member
):
    own = reverse("accounts:user-active", args=[world.municipality.pk, coordinator.pk])
    response = coordinator_client.post(own, {"action": "deactivate"}, follow=True)
    assert "ditt eget konto" in response.content.decode()
    MembershipFactory(user=council_member, organisation=world.other_municipality, role=Role.VIEWER)
    other = reverse("accounts:user-active", args=[world.municipality.pk, council_member.pk])
    response = coordinator_client.post(other, {"action": "deactivate"}, follow=True)
    assert "andra organisationer" in response.content.decode()
    coordinator.refresh_from_db()
    council_member.refresh_from_db()
    assert coordinator.is_active and council_member.is_active


def test_a_person_outside_the_municipality_cannot_be_deactivated(
    coordinator_client, world, outsider
):
    url = reverse("accounts:user-active", args=[world.municipality.pk, outsider.pk])
    assert coordinator_client.post(url, {"action": "deactivate"}).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


def test_the_coordinator_adds_and_edits_units(coordinator_client, world, department):
    url = reverse("accounts:unit-create", args=[world.municipality.pk])
    page = coordinator_client.get(url)
    html = page.content.decode()
    assert "Bergsjö" not in html
    data = form_data(
        page,
        name="Gata-trafik-park",
        kind=OrganisationKind.DEPARTMENT,
        parent=str(department.pk),
    )
    assert coordinator_client.post(url, data).status_code == 302
    unit = Organisation.objects.get(name="Gata-trafik-park")
    assert unit.parent == department
    edit = reverse("accounts:unit-edit", args=[world.municipality.pk, unit.pk])
    page = coordinator_client.get(edit)
    data = form_data(page, name="Gata, trafik och park", is_active=None)
    assert coordinator_client.post(edit, data).status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.is_active) == ("Gata, trafik och park", False)
    assert unit.history.count() == 2


def test_a_unit_cannot_be_hung_under_another_municipality(coordinator_client, world):
    url = reverse("accounts:unit-create", args=[world.municipality.pk])
    page = coordinator_client.get(url)
    data = form_data(page, name="Smuggel", parent=str(world.other_municipality.pk))
    response = coordinator_client.post(url, data)
    assert response.status_code == 200 and 'id="id_parent_error"' in response.content.decode()
    assert not Organisation.objects.filter(name="Smuggel").exists()
    theirs = OrganisationFactory(name="Bergsjö gata", parent=world.other_municipality)
    edit = reverse("accounts:unit-edit", args=[world.municipality.pk, theirs.pk])
    assert coordinator_client.get(edit).status_code == 404


def test_the_coordinator_adds_areas_and_a_stale_edit_is_refused(coordinator_client, world):
    url = reverse("accounts:area-create", args=[world.municipality.pk])
    page = coordinator_client.get(url)
    data = form_data(
        page,
        name="Norra Ankeby",
        police_classification=PoliceClassification.VULNERABLE,
        socioeconomic_challenges="on",
    )
    assert coordinator_client.post(url, data).status_code == 302
    area = Area.objects.get(name="Norra Ankeby")
    assert area.municipality == world.municipality
    edit = reverse("accounts:area-edit", args=[world.municipality.pk, area.pk])
    page = coordinator_client.get(edit)
    Area.objects.get(pk=area.pk).save()  # someone else saves in between
    response = coordinator_client.post(edit, form_data(page, name="Ändrat namn"))
    assert response.status_code == 200
    assert "någon annan" in response.content.decode().lower()
    area.refresh_from_db()
    assert area.name == "Norra Ankeby"
    # The same name twice in one municipality is refused beside the field.
    response = coordinator_client.post(url, data)
    assert response.status_code == 200 and "redan ett område" in response.content.decode()


def test_a_new_municipalitys_dropdowns_show_only_its_own_organisations(world, client):
    """A new customer's coordinator sees no other municipality's organisations in
    "Övriga parter" nor among a forum's seat choices."""
    from forums.models import Forum

    kommun = OrganisationFactory(name="Ydre kommun", kind=OrganisationKind.MUNICIPALITY)
    lpo = OrganisationFactory(name="Lokalpolisområde Ydre", kind=OrganisationKind.POLICE_AREA)
    kommun.police_area = lpo
    kommun.save()
    OrganisationFactory(name="Ydrebostäder", kind=OrganisationKind.COMPANY, parent=kommun)
    OrganisationFactory(
        name="Ankebybostäder", kind=OrganisationKind.COMPANY, parent=world.municipality
    )
    OrganisationFactory(name="Fristående bolag", kind=OrganisationKind.COMPANY)
    coordinator = UserFactory(username="samordnare-ydre")
    MembershipFactory(user=coordinator, organisation=kommun, role=Role.COORDINATOR)
    client.force_login(coordinator)
    html = client.get(reverse("agreements:create")).content.decode()
    assert "Ydrebostäder" in html
    for foreign in ("Ankebybostäder", "Fristående bolag", "Ankeby kommun", "Bergsjö kommun"):
        assert foreign not in html, foreign
    forum = Forum.objects.create(municipality=kommun, name="Trygghetsrådet Ydre")
    html = client.get(reverse("forums:seat-create", args=[forum.pk])).content.decode()
    assert "Ydrebostäder" in html and "Lokalpolisområde Ydre" in html
    for foreign in ("Ankebybostäder", "Fristående bolag", "Lokalpolisområde Ankeby"):
        assert foreign not in html, foreign
