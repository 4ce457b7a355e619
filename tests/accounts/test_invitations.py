"""A coordinator invites people by e-mail; the link works once, expires, and lands on a
page where the person sets a password."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from agreements.access import get_access
from agreements.choices import Role
from agreements.models import Membership
from tests.factories import MembershipFactory, UserFactory
from tests.rendered import form_data

User = get_user_model()


def _invite(client, invite_url, capture, **values):
    page = client.get(invite_url)
    assert page.status_code == 200
    data = form_data(page, values=values)
    with capture(execute=True):
        return client.post(invite_url, data)


def _link(message) -> str:
    return re.search(r"http://testserver(/organisation/inbjudan/\S+/)", message.body).group(1)


def test_an_invited_colleague_sets_a_password_and_gets_the_role(
    coordinator_client,
    invite_url,
    manage_url,
    department,
    client,
    django_capture_on_commit_callbacks,
):
    response = _invite(
        coordinator_client,
        invite_url,
        django_capture_on_commit_callbacks,
        email="handlaggare@ankeby.se",
        first_name="Hanna",
        last_name="Handläggare",
        organisation=str(department.pk),
        role=Role.VIEWER,
    )
    assert response.status_code == 302 and response.url == manage_url + "#invitations"
    assert "handlaggare@ankeby.se" in coordinator_client.get(manage_url).content.decode()
    [message] = mail.outbox
    link = _link(message)

    page = client.get(link)
    assert page.status_code == 200
    assert "Hanna" in page.content.decode()  # the name is filled in from the invitation
    data = form_data(page, password1="Trygg-Ankeby-2026", password2="Trygg-Ankeby-2026")
    done = client.post(link, data)
    assert done.status_code == 302
    account = User.objects.get(username="handlaggare@ankeby.se")
    assert (account.first_name, account.last_name) == ("Hanna", "Handläggare")
    assert account.check_password("Trygg-Ankeby-2026")
    assert Membership.objects.filter(
        user=account, organisation=department, role=Role.VIEWER
    ).exists()
    assert department.parent_id in get_access(account).org_ids
    # Logged in straight away, and the link is spent.
    assert client.get(reverse("dashboard:home")).status_code == 200
    again = client.get(link)
    assert again.status_code == 410
    assert "redan tagits emot" in again.content.decode()
    assert Invitation.objects.get().accepted_by == account


def test_a_weak_or_mismatched_password_is_refused_beside_the_field(coordinator, world, client):
    invitation, token = _invitation(coordinator, world.municipality)
    url = reverse("accounts:accept", args=[token])
    page = client.get(url)
    for p1, p2, message in [
        ("Trygg-Ankeby-2026", "Annat-lösen-99", "skiljer sig åt"),
        ("12345678", "12345678", "för vanligt"),
    ]:
        response = client.post(url, form_data(page, password1=p1, password2=p2))
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


def _invitation(coordinator, organisation, *, email="ny@ankeby.se", role=Role.VIEWER, **extra):
    from accounts.models import hash_token

    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        municipality=organisation,
        organisation=organisation,
        role=role,
        email=email,
        invited_by=coordinator,
        token_hash=hash_token(token),
        expires_at=extra.pop("expires_at", timezone.now() + datetime.timedelta(days=14)),
        **extra,
    )
    return invitation, token


def test_expired_revoked_and_unknown_links_explain_themselves(coordinator, world, client):
    _expired, expired_token = _invitation(
        coordinator, world.municipality, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(reverse("accounts:accept", args=[expired_token]))
    assert response.status_code == 410 and "har gått ut" in response.content.decode()
    assert client.post(reverse("accounts:accept", args=[expired_token]), {}).status_code == 410
    revoked, revoked_token = _invitation(
        coordinator, world.municipality, email="b@ankeby.se", revoked_at=timezone.now()
    )
    response = client.get(reverse("accounts:accept", args=[revoked_token]))
    assert response.status_code == 410 and "återkallades" in response.content.decode()
    assert client.get(reverse("accounts:accept", args=["nonsense"])).status_code == 404
    assert not User.objects.filter(email__in=["ny@ankeby.se", "b@ankeby.se"]).exists()


def test_revoking_an_invitation_kills_its_link(coordinator_client, coordinator, world, client):
    invitation, token = _invitation(coordinator, world.municipality)
    response = coordinator_client.post(reverse("accounts:invitation-revoke", args=[invitation.pk]))
    assert response.status_code == 302
    assert client.get(reverse("accounts:accept", args=[token])).status_code == 410


def test_someone_with_an_account_accepts_as_themselves(coordinator, world, client):
    person = UserFactory(username="delad", email="delad@example.se")
    MembershipFactory(user=person, organisation=world.other_municipality, role=Role.VIEWER)
    invitation, token = _invitation(
        coordinator, world.municipality, email="Delad@example.se", role=Role.COUNCIL_MEMBER
    )
    url = reverse("accounts:accept", args=[token])
    assert "Logga in" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 302  # to the login page, nothing accepted
    assert not Membership.objects.filter(user=person, organisation=world.municipality).exists()
    client.force_login(person)
    page = client.get(url)
    assert client.post(url, form_data(page)).status_code == 302
    assert Membership.objects.filter(
        user=person, organisation=world.municipality, role=Role.COUNCIL_MEMBER
    ).exists()
    assert client.get(url).status_code == 410


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"email": "samordnare-a@example.se"}, "email", "har redan behörighet"),
        ({"email": "inte en adress"}, "email", "giltig e-postadress"),
        ({"role": Role.POLICE}, "role", "lokalpolisområdet"),
        ({"role": "staff"}, "role", "giltigt alternativ"),
    ],
)
def test_bad_invitations_are_refused_beside_the_field(
    coordinator_client, invite_url, values, field, message
):
    page = coordinator_client.get(invite_url)
    data = form_data(page, values={"email": "ny@ankeby.se", "role": Role.VIEWER, **values})
    response = coordinator_client.post(invite_url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and f'id="id_{field}_error"' in html
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_second_invitation_to_a_waiting_address_is_refused(
    coordinator_client, invite_url, django_capture_on_commit_callbacks
):
    for expected in (302, 200):
        response = _invite(
            coordinator_client,
            invite_url,
            django_capture_on_commit_callbacks,
            email="ny@ankeby.se",
            role=Role.VIEWER,
        )
        assert response.status_code == expected
    assert "väntar redan" in response.content.decode()
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_a_coordinator_cannot_invite_into_another_municipality(
    coordinator_client, invite_url, world
):
    from tests.factories import OrganisationFactory

    theirs = OrganisationFactory(name="Bergsjö socialförvaltning", parent=world.other_municipality)
    page = coordinator_client.get(invite_url)
    assert "Bergsjö" not in page.content.decode()  # never offered
    data = form_data(page, email="x@ankeby.se", role=Role.VIEWER, organisation=str(theirs.pk))
    response = coordinator_client.post(invite_url, data)
    assert response.status_code == 200 and 'id="id_organisation_error"' in response.content.decode()
    # Nor through the other municipality's own page: it does not exist for them.
    other = reverse("accounts:invite", args=[world.other_municipality.pk])
    assert coordinator_client.get(other).status_code == 404
    assert coordinator_client.post(other, data).status_code == 404
    assert not Invitation.objects.exists()


def test_an_invitation_never_grants_staff(
    coordinator_client, invite_url, client, django_capture_on_commit_callbacks
):
    _invite(
        coordinator_client,
        invite_url,
        django_capture_on_commit_callbacks,
        email="ny@ankeby.se",
        role=Role.COORDINATOR,
        is_staff="on",
        is_superuser="on",
    )
    link = _link(mail.outbox[0])
    page = client.get(link)
    client.post(
        link,
        form_data(
            page,
            first_name="N",
            last_name="Y",
            password1="Trygg-Ankeby-2026",
            password2="Trygg-Ankeby-2026",
            is_staff="on",
            is_superuser="on",
        ),
    )
    account = User.objects.get(username="ny@ankeby.se")
    assert not account.is_staff and not account.is_superuser


def test_the_police_area_gets_police_colleagues(
    coordinator_client, invite_url, world, django_capture_on_commit_callbacks
):
    response = _invite(
        coordinator_client,
        invite_url,
        django_capture_on_commit_callbacks,
        email="polis@polisen.se",
        organisation=str(world.police_area.pk),
        role=Role.POLICE,
    )
    assert response.status_code == 302
    assert Invitation.objects.get().organisation == world.police_area
    response = _invite(
        coordinator_client,
        invite_url,
        django_capture_on_commit_callbacks,
        email="polis2@polisen.se",
        organisation=str(world.police_area.pk),
        role=Role.COORDINATOR,
    )
    assert "polisrollen" in response.content.decode()
