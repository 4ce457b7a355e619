"""The agreement PDF lists its attachments (bilagor) by title and SHA-256, in the open PDF and
in the stored signed one."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from agreements import services
from agreements.pdf import render_agreement_pdf
from agreements.signing import read_signed_pdf, store_signed_pdf

from .conftest import pdf_text, sign

PDF = b"%PDF-1.7\n%%EOF\n"


def _attach(agreement, user, title, data):
    return services.attachment_create(
        agreement=agreement,
        user=user,
        title=title,
        upload=SimpleUploadedFile("bilaga.pdf", data),
        kind="pdf",
        sha256=hashlib.sha256(data).hexdigest(),
    )


def test_the_pdf_lists_the_attachments_with_their_sha256(full_agreement, coordinator):
    first = _attach(full_agreement, coordinator, "Bilaga 1 Lägesbild", PDF)
    second = _attach(full_agreement, coordinator, "Bilaga 2 Åtgärdsplan <i>", PDF + b"2")
    text = pdf_text(render_agreement_pdf(full_agreement))
    assert "Bilagor" in text
    assert text.index("Bilaga 1 Lägesbild") < text.index("Bilaga 2 Åtgärdsplan <i>")
    for attachment in (first, second):
        assert attachment.sha256 in text.replace(" ", "")


def test_the_signed_pdf_keeps_the_list(full_agreement, coordinator):
    attachment = _attach(full_agreement, coordinator, "Bilaga 1 Lägesbild", PDF)
    sign(full_agreement)
    store_signed_pdf(agreement=full_agreement)
    full_agreement.refresh_from_db()
    text = pdf_text(read_signed_pdf(full_agreement))
    assert "Bilaga 1 Lägesbild" in text and attachment.sha256 in text.replace(" ", "")


def test_no_attachments_no_list(full_agreement):
    assert "Bilagor" not in pdf_text(render_agreement_pdf(full_agreement))
