"""Staff set a new customer up on one page; the first coordinator gets an invitation."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation
from agreements.choices import OrganisationKind, PoliceClassification, Role
from agreements.models import Area, Organisation
from tests.factories import OrganisationFactory
from tests.rendered import form_data

URL = reverse("accounts:onboarding")


def _filled(response, **values):
    base = {
        "municipality_name": "Ydre kommun",
        "municipality_code": "0512",
        "police_area_name": "Lokalpolisområde Ydre",
        "police_area_short_name": "LPO Ydre",
        "police_region_name": "Polisregion Öst",
        "departments": "Socialförvaltningen\nBarn- och utbildningsförvaltningen",
        "companies": "Ydrebostäder AB",
        "areas-0-name": "Österbymo centrum",
        "areas-0-police_classification": PoliceClassification.RISK,
        "areas-0-socioeconomic_challenges": "on",
        "coordinator_email": "Samordnare@Ydre.se",
        "coordinator_first_name": "Ylva",
        "coordinator_last_name": "Ydre",
    }
    base.update(values)
    return form_data(response, values=base)


def test_it_sets_up_municipality_police_area_units_areas_and_invites_the_coordinator(
    staff_client, django_capture_on_commit_callbacks
):
    page = staff_client.get(URL)
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(URL, _filled(page))
    kommun = Organisation.objects.get(name="Ydre kommun")
    assert response.status_code == 302
    assert response.url == reverse("accounts:manage", args=[kommun.pk])
    assert kommun.kind == OrganisationKind.MUNICIPALITY and kommun.code == "0512"
    lpo = kommun.police_area
    assert (lpo.name, lpo.kind, lpo.parent.name) == (
        "Lokalpolisområde Ydre",
        OrganisationKind.POLICE_AREA,
        "Polisregion Öst",
    )
    assert sorted(kommun.children.values_list("name", "kind")) == [
        ("Barn- och utbildningsförvaltningen", OrganisationKind.DEPARTMENT),
        ("Socialförvaltningen", OrganisationKind.DEPARTMENT),
        ("Ydrebostäder AB", OrganisationKind.COMPANY),
    ]
    area = Area.objects.get(municipality=kommun)
    assert (area.name, area.police_classification, area.socioeconomic_challenges) == (
        "Österbymo centrum",
        PoliceClassification.RISK,
        True,
    )
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.role) == (kommun, Role.COORDINATOR)
    assert invitation.email == "Samordnare@ydre.se"  # the domain is normalised
    [message] = mail.outbox
    assert message.to == ["Samordnare@ydre.se"]
    assert "Ydre kommun" in message.subject
    assert "har bjudit in dig" in message.body and "Trygghetssamordnare" in message.body
    assert re.search(r"http://testserver/organisation/inbjudan/\S+/", message.body)
    follow = staff_client.get(response.url)
    assert "Ydre kommun" in follow.content.decode()


def test_an_existing_police_area_can_be_chosen(staff_client):
    lpo = OrganisationFactory(name="Lokalpolisområde Kinda", kind=OrganisationKind.POLICE_AREA)
    page = staff_client.get(URL)
    data = _filled(
        page,
        police_area=str(lpo.pk),
        police_area_name="",
        police_area_short_name="",
        police_region_name="",
    )
    assert staff_client.post(URL, data).status_code == 302
    assert Organisation.objects.get(name="Ydre kommun").police_area == lpo


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"municipality_name": "Ankeby kommun"}, "municipality_name", "finns redan"),
        ({"municipality_code": "12"}, "municipality_code", "fyrsiffriga"),
        ({"police_area_name": ""}, "police_area", "lokalpolisområdet"),
        ({"police_region_name": ""}, "police_region", "polisregion"),
        ({"coordinator_email": "inte-en-adress"}, "coordinator_email", "e-postadress"),
        ({"departments": "Socialförvaltningen\nsocialförvaltningen"}, "departments", "två gånger"),
        ({"areas-1-name": "Österbymo centrum"}, None, "samma namn"),
    ],
)
def test_bad_input_gets_a_swedish_message_and_changes_nothing(
    staff_client, world, values, field, message
):
    before = (Organisation.objects.count(), Area.objects.count(), Invitation.objects.count())
    page = staff_client.get(URL)
    response = staff_client.post(URL, _filled(page, **values))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    if field:
        assert f'id="id_{field}_error"' in html  # the message sits beside the field
    assert before == (
        Organisation.objects.count(),
        Area.objects.count(),
        Invitation.objects.count(),
    )


def test_nobody_but_staff_may_set_up_a_municipality(coordinator_client, client):
    assert coordinator_client.get(URL).status_code == 403
    assert coordinator_client.post(URL, {"municipality_name": "X"}).status_code == 403
    assert client.get(URL).status_code == 302
    assert not Organisation.objects.filter(name="X").exists()
