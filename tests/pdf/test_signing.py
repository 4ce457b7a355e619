"""The signed PDF is rendered once, stored with its hash and served byte-identical."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

import agreements.pdf_views
import agreements.signing
from agreements.choices import AgreementStatus
from agreements.signing import SigningError, store_signed_pdf
from core.pdf import PdfRenderFailed
from tests.rendered import form_data

from .conftest import pdf_pages, sign


def _refuse_to_render(*args, **kwargs):
    raise AssertionError("a signed agreement must not be re-rendered")


def test_signing_stores_the_pdf_once_with_its_hash(full_agreement):
    sign(full_agreement)
    store_signed_pdf(agreement=full_agreement)
    full_agreement.refresh_from_db()
    assert full_agreement.signed_pdf.name.endswith(".pdf")
    with full_agreement.signed_pdf.open("rb") as handle:
        stored = handle.read()
    assert stored.startswith(b"%PDF-")
    assert hashlib.sha256(stored).hexdigest() == full_agreement.signed_pdf_sha256
    name = full_agreement.signed_pdf.name
    store_signed_pdf(agreement=full_agreement)  # a second call changes nothing
    full_agreement.refresh_from_db()
    assert full_agreement.signed_pdf.name == name


def test_the_signed_pdf_is_served_byte_identical_and_never_re_rendered(
    coordinator_client, police_client, full_agreement, monkeypatch
):
    sign(full_agreement)
    store_signed_pdf(agreement=full_agreement)
    full_agreement.refresh_from_db()
    monkeypatch.setattr("core.pdfjobs.render_html_to_pdf", _refuse_to_render)
    monkeypatch.setattr(agreements.signing, "render_agreement_pdf", _refuse_to_render)
    url = reverse("agreements:pdf", args=[full_agreement.pk])
    first = coordinator_client.get(url).content
    second = police_client.get(url).content
    assert first == second
    assert hashlib.sha256(first).hexdigest() == full_agreement.signed_pdf_sha256
    assert coordinator_client.get(url)["ETag"] == f'"{full_agreement.signed_pdf_sha256}"'


def test_the_signed_pdf_has_no_watermark_and_carries_the_signing_date(full_agreement):
    sign(full_agreement)
    store_signed_pdf(agreement=full_agreement)
    with full_agreement.signed_pdf.open("rb") as handle:
        pages = pdf_pages(handle.read())
    signed_on = full_agreement.signed_at.astimezone().strftime("%Y-%m-%d")
    assert all("UTKAST" not in page for page in pages)
    assert all(signed_on in page for page in pages)


def test_an_unsigned_agreement_gets_no_signed_pdf(full_agreement):
    full_agreement.status = AgreementStatus.APPROVED
    full_agreement.save()
    with pytest.raises(SigningError):
        store_signed_pdf(agreement=full_agreement)
    full_agreement.refresh_from_db()
    assert not full_agreement.signed_pdf


def test_a_signed_agreement_without_a_stored_pdf_gets_one_on_first_view(
    coordinator_client, full_agreement
):
    sign(full_agreement)
    url = reverse("agreements:pdf", args=[full_agreement.pk])
    first = coordinator_client.get(url).content
    full_agreement.refresh_from_db()
    assert hashlib.sha256(first).hexdigest() == full_agreement.signed_pdf_sha256
    assert coordinator_client.get(url).content == first


def test_a_tampered_stored_pdf_is_not_served(coordinator_client, full_agreement):
    sign(full_agreement)
    store_signed_pdf(agreement=full_agreement)
    full_agreement.refresh_from_db()
    with open(full_agreement.signed_pdf.path, "ab") as handle:
        handle.write(b"% changed")
    response = coordinator_client.get(reverse("agreements:pdf", args=[full_agreement.pk]))
    assert response.status_code == 503
    assert "kontrollsumma" in response.content.decode()


def test_a_public_signed_agreement_can_be_downloaded_by_anyone(client, full_agreement):
    sign(full_agreement)
    full_agreement.is_public = True
    full_agreement.save()
    store_signed_pdf(agreement=full_agreement)
    full_agreement.refresh_from_db()
    response = client.get(reverse("agreements:pdf", args=[full_agreement.pk]))
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == full_agreement.signed_pdf_sha256


def _approve_and_open_sign_form(client, agreement):
    """Approve, enter the dates and reach the confirmation; returns its POST."""
    agreement.status = AgreementStatus.APPROVED
    agreement.save()
    url = reverse("agreements:sign", args=[agreement.pk])
    page = client.get(url)
    assert page.status_code == 200
    dates = {f"signed_on_{s.pk}": "2024-01-10" for s in agreement.signatories.all()}
    assert dates, "the agreement needs signatories"
    confirmation = client.post(url, form_data(page, values=dates))
    assert confirmation.status_code == 200
    assert agreement.__class__.objects.get(pk=agreement.pk).status == AgreementStatus.APPROVED
    return url, form_data(confirmation)


def test_signing_through_the_form_stores_the_real_pdf(coordinator_client, full_agreement):
    url, data = _approve_and_open_sign_form(coordinator_client, full_agreement)
    response = coordinator_client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == full_agreement.get_absolute_url()
    assert "Överenskommelsen är undertecknad." in response.content.decode()
    full_agreement.refresh_from_db()
    assert full_agreement.status == AgreementStatus.SIGNED
    stored = agreements.signing.read_signed_pdf(full_agreement)
    assert hashlib.sha256(stored).hexdigest() == full_agreement.signed_pdf_sha256
    text = " ".join(pdf_pages(stored))
    for signatory in full_agreement.signatories.all():
        assert signatory.signed_on.isoformat() == "2024-01-10"
        assert signatory.name in text


def test_a_render_failure_during_signing_leaves_the_agreement_unsigned(
    coordinator_client, full_agreement, monkeypatch
):
    def broken(*args, **kwargs):
        raise PdfRenderFailed("planted failure")

    monkeypatch.setattr(agreements.signing, "render_agreement_pdf", broken)
    url, data = _approve_and_open_sign_form(coordinator_client, full_agreement)
    response = coordinator_client.post(url, data, follow=True)
    assert response.status_code == 200  # the job's page, which says why
    page = response.content.decode()
    assert "inte undertecknad" in page and "inget ändrades" in page
    assert f'href="{url}"' in page  # "Försök igen" leads back to the signing form
    assert "hx-trigger" not in page  # a failed job is not asked about again
    full_agreement.refresh_from_db()
    assert full_agreement.status == AgreementStatus.APPROVED
    assert not full_agreement.signed_pdf and not full_agreement.signed_pdf_sha256
    assert not full_agreement.signatories.exclude(signed_on=None).exists()
