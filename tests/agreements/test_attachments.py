"""Attachments (bilagor): uploaded as rendered, checked by content and size, served only to
those who read the agreement, locked with it once signed."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import services
from agreements.locking import AgreementLocked
from agreements.models import Attachment
from tests.rendered import form_data

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def ooxml(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def _upload(client, agreement, title, data, name):
    url = reverse("agreements:attachment-create", args=[agreement.pk])
    page = client.get(url)
    assert page.status_code == 200
    post = form_data(page, title=title)
    post["file"] = SimpleUploadedFile(name, data)
    return client.post(url, post)


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (PDF, "lagesbild.pdf", "pdf"),
        (ooxml("word/document.xml"), "plan.docx", "docx"),
        (ooxml("xl/workbook.xml"), "statistik.xlsx", "xlsx"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 50, "karta.png", "png"),
        (b"\xff\xd8\xff\xe0" + b"0" * 50, "foto.jpg", "jpeg"),
    ],
)
def test_the_coordinator_attaches_a_file_as_rendered_and_anyone_who_reads_downloads_it(
    world, coordinator_client, council_client, data, name, kind
):
    response = _upload(coordinator_client, world.agreement, "Bilaga 1 Lägesbild", data, name)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.kind == kind and attachment.title == "Bilaga 1 Lägesbild"
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.original_name == name and attachment.size == len(data)

    page = coordinator_client.get(world.agreement.get_absolute_url()).content.decode()
    assert "Bilaga 1 Lägesbild" in page and attachment.sha256 in page

    download = council_client.get(reverse("agreements:attachment-download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Disposition"].startswith("attachment;")
    assert (
        f'filename="bilaga-1-lagesbild.{attachment.extension}"' in download["Content-Disposition"]
    )
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"Hej, ingen PDF alls", "lagesbild.pdf"),  # the name says PDF, the content does not
        (b"MZ\x90\x00" + b"0" * 50, "program.exe"),
        (ooxml("other/thing.xml"), "arkiv.docx"),  # a zip, but no Word document inside
        (b"PK\x03\x04 trasig zip", "trasig.xlsx"),
        (b"<svg onload='alert(1)'/>", "bild.svg"),
    ],
)
def test_a_file_of_another_type_is_refused_beside_the_field(world, coordinator_client, data, name):
    response = _upload(coordinator_client, world.agreement, "Bilaga", data, name)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filen är inte en PDF-, Word- (DOCX), Excel- (XLSX), PNG- eller JPEG-fil." in html
    assert 'aria-invalid="true"' in html and "id_file_error" in html
    assert not Attachment.objects.exists()


def test_an_oversize_file_is_refused_with_the_limit(world, coordinator_client, settings):
    settings.SAMVERKAN_MAX_ATTACHMENT_BYTES = 100
    response = _upload(coordinator_client, world.agreement, "Stor", PDF + b"0" * 200, "stor.pdf")
    assert response.status_code == 200
    assert "Filen är för stor. Största tillåtna storlek är 100" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.fixture
def attachment(world, coordinator):
    upload = SimpleUploadedFile("lagesbild.pdf", PDF)
    return services.attachment_create(
        agreement=world.agreement,
        user=coordinator,
        title="Bilaga 1 Lägesbild",
        upload=upload,
        kind="pdf",
        sha256=hashlib.sha256(PDF).hexdigest(),
    )


def test_outsiders_get_404_and_readers_may_not_add_or_remove(
    attachment, world, outsider_client, council_client
):
    for name, pk in (
        ("agreements:attachment-download", attachment.pk),
        ("agreements:attachment-delete", attachment.pk),
        ("agreements:attachment-create", world.agreement.pk),
    ):
        assert outsider_client.get(reverse(name, args=[pk])).status_code == 404, name
    assert (
        council_client.get(
            reverse("agreements:attachment-create", args=[world.agreement.pk])
        ).status_code
        == 403
    )
    assert (
        council_client.post(
            reverse("agreements:attachment-delete", args=[attachment.pk])
        ).status_code
        == 403
    )
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_the_coordinator_removes_an_attachment_of_a_draft_as_rendered(
    attachment, coordinator_client
):
    url = reverse("agreements:attachment-delete", args=[attachment.pk])
    page = coordinator_client.get(url)
    assert coordinator_client.post(url, form_data(page)).status_code == 302
    assert not Attachment.objects.exists()
    assert Attachment.history.filter(id=attachment.pk, history_type="-").exists()


def test_a_signed_agreement_locks_its_attachments_and_the_confirmation_lists_them(
    attachment, world, coordinator, coordinator_client
):
    from agreements.choices import AgreementStatus
    from tests.factories import SignatoryFactory

    SignatoryFactory(agreement=world.agreement, organisation=world.municipality)
    services.agreement_submit_for_review(agreement=world.agreement, user=coordinator)
    services.agreement_approve(agreement=world.agreement, user=coordinator)
    sign_url = reverse("agreements:sign", args=[world.agreement.pk])
    confirmation = coordinator_client.post(sign_url, form_data(coordinator_client.get(sign_url)))
    html = confirmation.content.decode()
    assert 'id="locked-attachments"' in html and attachment.sha256 in html
    assert coordinator_client.post(sign_url, form_data(confirmation)).status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.status == AgreementStatus.SIGNED

    with pytest.raises(PermissionDenied):
        services.attachment_create(
            agreement=world.agreement,
            user=coordinator,
            title="Sen bilaga",
            upload=SimpleUploadedFile("x.pdf", PDF),
            kind="pdf",
            sha256="0" * 64,
        )
    attachment.title = "Ändrad"
    with pytest.raises(AgreementLocked):
        attachment.save()
    with pytest.raises(AgreementLocked):
        Attachment.objects.filter(pk=attachment.pk).delete()
    url = reverse("agreements:attachment-delete", args=[attachment.pk])
    assert coordinator_client.post(url).status_code == 403
    assert (
        coordinator_client.get(
            reverse("agreements:attachment-create", args=[world.agreement.pk])
        ).status_code
        == 403
    )
    # Still listed and served.
    page = coordinator_client.get(world.agreement.get_absolute_url()).content.decode()
    assert "Bilaga 1 Lägesbild" in page
    assert coordinator_client.get(attachment.get_absolute_url()).status_code == 200


def test_a_signed_agreements_attachment_is_verifiable_as_rendered(
    attachment, world, coordinator, coordinator_client
):
    from agreements.choices import AgreementStatus

    url = reverse("agreements:agreement-verify", args=[world.agreement.pk])
    page = coordinator_client.get(url)
    post = {**form_data(page), "file": SimpleUploadedFile("fran-mejlet.pdf", PDF)}
    assert "Överensstämmer:" not in coordinator_client.post(url, post).content.decode()
    world.agreement.status = AgreementStatus.SIGNED  # lifecycle fields may change when signed
    world.agreement.save()
    post = {**form_data(page), "file": SimpleUploadedFile("fran-mejlet.pdf", PDF)}
    html = coordinator_client.post(url, post).content.decode()
    assert "Överensstämmer:" in html and "Bilagan ”Bilaga 1 Lägesbild”" in html
