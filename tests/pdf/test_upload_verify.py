"""Uploading the scanned signed copy, and verifying a PDF against the stored ones."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.signing import store_signed_pdf

from .conftest import blank_pdf, sign


def _upload(data: bytes, name: str = "skannad.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def signed(full_agreement):
    sign(full_agreement)
    store_signed_pdf(agreement=full_agreement)
    full_agreement.refresh_from_db()
    return full_agreement


def test_the_coordinator_stores_the_scanned_copy_with_its_hash(coordinator_client, signed):
    scan = blank_pdf(pages=3)
    url = reverse("agreements:scan-upload", args=[signed.pk])
    response = coordinator_client.post(url, {"file": _upload(scan)}, follow=True)
    assert response.status_code == 200
    assert "Den skannade undertecknade kopian har sparats." in response.content.decode()
    signed.refresh_from_db()
    assert signed.signed_scan_sha256 == hashlib.sha256(scan).hexdigest()
    with signed.signed_scan.open("rb") as handle:
        assert handle.read() == scan
    download = coordinator_client.get(reverse("agreements:scan-download", args=[signed.pk]))
    assert download.content == scan


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Hej, detta ar ingen PDF.", "Filen är inte en PDF."),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "Filen är inte en PDF."),
        (b"%PDF-1.7\nskrap utan sidor\n%%EOF", "Filen gick inte att läsa som en PDF."),
    ],
)
def test_the_upload_refuses_what_is_not_a_pdf(coordinator_client, signed, data, message):
    url = reverse("agreements:scan-upload", args=[signed.pk])
    response = coordinator_client.post(url, {"file": _upload(data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    signed.refresh_from_db()
    assert not signed.signed_scan and not signed.signed_scan_sha256


def test_the_upload_refuses_an_oversize_file(coordinator_client, signed, settings):
    scan = blank_pdf(pages=20)
    settings.SAMVERKAN_MAX_UPLOAD_BYTES = len(scan) - 1
    url = reverse("agreements:scan-upload", args=[signed.pk])
    response = coordinator_client.post(url, {"file": _upload(scan)})
    assert "Filen är för stor" in response.content.decode()
    signed.refresh_from_db()
    assert not signed.signed_scan


def test_a_stored_scan_is_never_replaced(coordinator_client, signed):
    url = reverse("agreements:scan-upload", args=[signed.pk])
    coordinator_client.post(url, {"file": _upload(blank_pdf(1))})
    signed.refresh_from_db()
    first = signed.signed_scan_sha256
    response = coordinator_client.post(url, {"file": _upload(blank_pdf(2))})
    assert "finns redan sparad" in response.content.decode()
    signed.refresh_from_db()
    assert signed.signed_scan_sha256 == first


def test_an_unsigned_agreement_takes_no_scan(coordinator_client, full_agreement):
    url = reverse("agreements:scan-upload", args=[full_agreement.pk])
    response = coordinator_client.post(url, {"file": _upload(blank_pdf())})
    assert "kan bara läggas till en undertecknad" in response.content.decode()
    full_agreement.refresh_from_db()
    assert not full_agreement.signed_scan


def test_only_the_coordinator_uploads(police_client, outsider_client, client, signed):
    url = reverse("agreements:scan-upload", args=[signed.pk])
    assert police_client.post(url, {"file": _upload(blank_pdf())}).status_code == 403
    assert outsider_client.post(url, {"file": _upload(blank_pdf())}).status_code == 404
    assert outsider_client.get(url).status_code == 404
    assert client.get(url).status_code == 302
    signed.refresh_from_db()
    assert not signed.signed_scan


def test_verification_recognises_the_signed_pdf(police_client, signed):
    with signed.signed_pdf.open("rb") as handle:
        data = handle.read()
    for url in (
        reverse("agreements:verify"),
        reverse("agreements:agreement-verify", args=[signed.pk]),
    ):
        response = police_client.post(url, {"file": _upload(data, "kopia.pdf")})
        page = response.content.decode()
        assert "Överensstämmer:" in page
        assert "den undertecknade pdf:en" in page.lower()
        assert signed.title in page


def test_verification_recognises_the_scan(coordinator_client, signed):
    scan = blank_pdf(pages=2)
    coordinator_client.post(
        reverse("agreements:scan-upload", args=[signed.pk]), {"file": _upload(scan)}
    )
    response = coordinator_client.post(reverse("agreements:verify"), {"file": _upload(scan)})
    page = response.content.decode()
    assert "Överensstämmer:" in page and "den skannade undertecknade kopian" in page.lower()


def test_verification_reports_a_changed_pdf_as_no_match(police_client, signed):
    with signed.signed_pdf.open("rb") as handle:
        data = bytearray(handle.read())
    data[-10] ^= 0x01  # one bit changed
    response = police_client.post(reverse("agreements:verify"), {"file": _upload(bytes(data))})
    page = response.content.decode()
    assert "Ingen överensstämmelse:" in page
    assert "Överensstämmer:" not in page


def test_verification_does_not_reveal_agreements_the_user_cannot_see(outsider_client, signed):
    with signed.signed_pdf.open("rb") as handle:
        data = handle.read()
    response = outsider_client.post(reverse("agreements:verify"), {"file": _upload(data)})
    page = response.content.decode()
    assert "Ingen överensstämmelse:" in page
    assert signed.title not in page
    url = reverse("agreements:agreement-verify", args=[signed.pk])
    assert outsider_client.get(url).status_code == 404


def test_verification_refuses_non_pdfs(police_client, signed):
    response = police_client.post(reverse("agreements:verify"), {"file": _upload(b"GIF89a")})
    page = response.content.decode()
    assert "Filen är inte en PDF." in page
    assert "Överensstämmer:" not in page and "Ingen överensstämmelse:" not in page
