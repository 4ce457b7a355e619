"""The Django admin of the municipal coordinator: a signed agreement stays as it was."""

from django.test import Client
from django.urls import reverse

from agreements.choices import AgreementStatus
from agreements.models import Agreement
from tests.factories import UserFactory
from tests.rendered import form_data


def _superuser_client():
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_saving_a_signed_agreement_in_the_admin_writes_nothing(world):
    agreement = world.agreement
    agreement.status = AgreementStatus.SIGNED
    agreement.save()
    version, history = agreement.version, agreement.history.count()
    client = _superuser_client()
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # view only
    client.post(url, {"title": "Ändrad i admin", "_save": "Spara"})
    fresh = Agreement.objects.get(pk=agreement.pk)
    assert (fresh.title, fresh.version) == (agreement.title, version)
    assert fresh.history.count() == history


def test_an_unchanged_draft_saved_in_the_admin_keeps_its_version(world):
    agreement = world.agreement
    version, history = agreement.version, agreement.history.count()
    client = _superuser_client()
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    page = client.get(url)
    response = client.post(url, form_data(page))
    assert response.status_code in (200, 302)
    fresh = Agreement.objects.get(pk=agreement.pk)
    assert fresh.version == version and fresh.history.count() == history
