"""Signing is irreversible, so it is confirmed: the page lists exactly what will be locked,
and only its POST signs — and only if the agreement is still what it showed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from agreements.choices import AgreementStatus
from agreements.models import Agreement
from tests.factories import CommitmentFactory
from tests.rendered import form_data

from .conftest import set_status


@pytest.fixture
def approved(tree, stored_pdfs):
    set_status(tree, AgreementStatus.APPROVED)
    for signatory in tree.signatories.all():
        signatory.place = "Ankeby"
        signatory.save()
    return tree


def _confirmation(client, agreement, day="2024-01-15"):
    url = reverse("agreements:sign", args=[agreement.pk])
    dates = {f"signed_on_{s.pk}": day for s in agreement.signatories.all()}
    return url, client.post(url, form_data(client.get(url), values=dates))


def test_the_dates_lead_to_a_confirmation_of_what_will_be_locked(coordinator_client, approved):
    url, response = _confirmation(coordinator_client, approved)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bekräfta undertecknandet" in html
    for area in approved.focus_areas.all():
        assert area.title in html
        for goal in area.sub_goals.all():
            assert goal.text in html
    for commitment in approved.commitments.all():
        assert commitment.text in html
    for signatory in approved.signatories.all():
        assert signatory.name in html
    assert "Ankeby den 15 januari 2024" in html  # as the PDF will print it
    assert Agreement.objects.get(pk=approved.pk).status == AgreementStatus.APPROVED
    assert not approved.signatories.exclude(signed_on=None).exists()


def test_confirming_signs_with_the_dates_entered(coordinator_client, approved, stored_pdfs):
    url, confirmation = _confirmation(coordinator_client, approved)
    response = coordinator_client.post(url, form_data(confirmation))
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == AgreementStatus.SIGNED
    assert {s.signed_on for s in approved.signatories.all()} == {datetime.date(2024, 1, 15)}
    assert stored_pdfs == [approved.pk]


def test_a_change_after_the_confirmation_was_shown_refuses_the_signing(
    coordinator_client, approved
):
    url, confirmation = _confirmation(coordinator_client, approved)
    # Someone adds a commitment while the coordinator reads the confirmation.
    CommitmentFactory(agreement=approved, party=approved.police_area, text="Smugglat åtagande")
    response = coordinator_client.post(url, form_data(confirmation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ändrades efter att du granskade" in html
    assert "Smugglat åtagande" in html  # shown again, now with the change
    assert Agreement.objects.get(pk=approved.pk).status == AgreementStatus.APPROVED
    # Confirming what is now shown signs it.
    assert coordinator_client.post(url, form_data(response)).status_code == 302
    assert Agreement.objects.get(pk=approved.pk).status == AgreementStatus.SIGNED


def test_a_future_date_is_refused_before_the_confirmation(coordinator_client, approved):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    url, response = _confirmation(coordinator_client, approved, day=future)
    assert response.status_code == 200
    assert "framtiden" in response.content.decode()
    assert "Bekräfta undertecknandet" not in response.content.decode()


def test_the_signed_agreement_page_links_scan_upload_and_verification(
    coordinator_client, police_client, approved
):
    url, confirmation = _confirmation(coordinator_client, approved)
    coordinator_client.post(url, form_data(confirmation))
    approved.refresh_from_db()
    page = coordinator_client.get(approved.get_absolute_url()).content.decode()
    assert reverse("agreements:scan-upload", args=[approved.pk]) in page
    assert reverse("agreements:agreement-verify", args=[approved.pk]) in page
    police_page = police_client.get(approved.get_absolute_url()).content.decode()
    assert reverse("agreements:agreement-verify", args=[approved.pk]) in police_page
    assert reverse("agreements:scan-upload", args=[approved.pk]) not in police_page
    assert (
        police_client.get(reverse("agreements:agreement-verify", args=[approved.pk])).status_code
        == 200
    )
