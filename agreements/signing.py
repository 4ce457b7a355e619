"""The proof of what was signed: the stored signed PDF and the scanned signed copy.

``store_signed_pdf(agreement=...)`` is called by the signing service inside its
transaction, once the agreement's status is ``signed``: it renders the agreement
PDF once, stores it (Django's default storage) with its SHA-256, and never
re-renders it afterwards — the PDF view serves the stored bytes, so what was
signed stays byte-identical.

``store_signed_scan(...)`` stores the scanned, signed paper copy with its hash;
``find_matches(...)`` tells whether an uploaded file is byte-identical to either.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.pdf import read_stored

from .choices import LOCKED_STATUSES
from .models import (
    Agreement,
    AgreementArea,
    AgreementParty,
    Attachment,
    Cause,
    Commitment,
    FocusArea,
    FocusAreaArea,
    Signatory,
    SubGoal,
)
from .pdf import render_agreement_pdf

CHUNK = 64 * 1024


def _tree_rows(agreement: Agreement) -> list:
    """Every row of the agreement's tree (each with its version), its parties in order with
    their short names, its attachments (with their SHA-256) and its forums."""
    rows: list = []
    for model, path in (
        (AgreementArea, "agreement"),
        (FocusAreaArea, "focus_area__agreement"),
        (FocusArea, "agreement"),
        (SubGoal, "focus_area__agreement"),
        (Cause, "focus_area__agreement"),
        (Commitment, "agreement"),
        (Signatory, "agreement"),
    ):
        rows += [
            (model.__name__, pk, version)
            for pk, version in model._base_manager.filter(**{path: agreement.pk})
            .order_by("pk")
            .values_list("pk", "version")
        ]
    rows += [
        ("party", *row)
        for row in AgreementParty._base_manager.filter(agreement=agreement.pk)
        .order_by("organisation_id")
        .values_list("organisation_id", "position", "short_name")
    ]
    rows += [
        ("attachment", *row)
        for row in Attachment._base_manager.filter(agreement=agreement.pk)
        .order_by("pk")
        .values_list("pk", "version", "sha256")
    ]
    rows += [("forum", pk) for pk in agreement.forums.order_by("pk").values_list("pk", flat=True)]
    return rows


def lock_fingerprint(agreement: Agreement) -> str:
    """A digest of everything signing locks: the agreement and every row of its tree (each
    with its version), its parties in order with their short names, its attachments and
    its forums.

    The confirmation step shows the coordinator what will be locked with this fingerprint;
    signing refuses when the tree no longer matches it (someone changed it in between).
    """
    rows: list = [("agreement", agreement.pk, agreement.version), *_tree_rows(agreement)]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def content_fingerprint(agreement: Agreement) -> str:
    """A digest of the draft's content: like :func:`lock_fingerprint`, but the agreement's
    own row by its content fields, so that moving it along its lifecycle (draft → review →
    approved, which saves it) does not count as a change. A police approval keeps it, and
    is shown as given to an earlier version once the content differs."""
    current = Agreement._base_manager.get(pk=agreement.pk)
    skipped = Agreement.LIFECYCLE_FIELDS | {"created_at", "id"}
    own = [
        (f.attname, repr(getattr(current, f.attname)))
        for f in Agreement._meta.concrete_fields
        if f.attname not in skipped and f.name not in skipped
    ]
    rows: list = [("agreement", agreement.pk, own), *_tree_rows(agreement)]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class SigningError(Exception):
    """The signed copy cannot be stored (message is for the user)."""


def hash_file(file) -> str:
    """SHA-256 (hex) of an open file or uploaded file, read in chunks."""
    digest = hashlib.sha256()
    if hasattr(file, "seek"):
        file.seek(0)
    chunks = file.chunks(CHUNK) if hasattr(file, "chunks") else iter(lambda: file.read(CHUNK), b"")
    for chunk in chunks:
        digest.update(chunk)
    if hasattr(file, "seek"):
        file.seek(0)
    return digest.hexdigest()


def _file_name(agreement: Agreement, digest: str, kind: str) -> str:
    stem = slugify(agreement.identifier) or f"agreement-{agreement.pk}"
    return f"{stem}-v{agreement.revision_number}-{kind}-{digest[:12]}.pdf"


def store_signed_pdf(*, agreement: Agreement) -> None:
    """Render the signed agreement once and store the PDF with its SHA-256.

    Does nothing when a signed PDF is already stored (it is never re-rendered).
    Call inside the signing transaction, after the status became ``signed``.
    """
    if agreement.signed_pdf and agreement.signed_pdf_sha256:
        return
    if agreement.status not in LOCKED_STATUSES:
        raise SigningError(_("Only a signed agreement has a signed PDF."))
    pdf = render_agreement_pdf(agreement)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        agreement.signed_pdf.save(
            _file_name(agreement, digest, "signed"), ContentFile(pdf), save=False
        )
        agreement.signed_pdf_sha256 = digest
        agreement.save(update_fields=["signed_pdf", "signed_pdf_sha256", "updated_at"])


def read_signed_pdf(agreement: Agreement) -> bytes:
    """The stored signed PDF's bytes (checked against the stored hash)."""
    data = read_stored(agreement.signed_pdf, agreement.signed_pdf_sha256)
    if data is None:
        raise SigningError(_("The stored signed PDF does not match its recorded hash."))
    return data


def store_signed_scan(*, agreement: Agreement, upload, user=None) -> Agreement:
    """Store the scanned signed copy (already checked to be a PDF) with its SHA-256.

    The agreement must be signed and have no scan yet: a stored proof is never replaced.
    """
    digest = hash_file(upload)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status not in LOCKED_STATUSES:
            raise SigningError(_("A scanned copy can only be added to a signed agreement."))
        if locked.signed_scan:
            raise SigningError(_("A scanned signed copy is already stored for this agreement."))
        upload.seek(0)
        locked.signed_scan.save(_file_name(locked, digest, "scan"), upload, save=False)
        locked.signed_scan_sha256 = digest
        locked.save(update_fields=["signed_scan", "signed_scan_sha256", "updated_at"])
    return locked


@dataclass(frozen=True)
class Match:
    """An agreement whose stored signed PDF, scan or attachment is byte-identical to an upload."""

    agreement: Agreement
    kind: str  # "signed_pdf", "signed_scan" or "attachment"
    attachment: Attachment | None = None

    @property
    def label(self) -> str:
        if self.kind == "signed_pdf":
            return _("the signed PDF")
        if self.kind == "attachment":
            return _("the attachment “%(title)s”") % {"title": self.attachment.title}
        return _("the scanned signed copy")


def _same_bytes(field_file, upload) -> bool:
    """Compare the stored file with the upload byte by byte."""
    try:
        with field_file.open("rb") as stored:
            upload.seek(0)
            while True:
                a, b = stored.read(CHUNK), upload.read(CHUNK)
                if a != b:
                    return False
                if not a:
                    return True
    except OSError:
        return False
    finally:
        upload.seek(0)


def find_matches(*, upload, agreements) -> list[Match]:
    """Stored signed PDFs and scans among ``agreements`` byte-identical to ``upload``."""
    from django.db.models import Q

    digest = hash_file(upload)
    candidates = agreements.filter(Q(signed_pdf_sha256=digest) | Q(signed_scan_sha256=digest))
    matches = []
    for agreement in candidates.select_related("municipality", "police_area"):
        for kind in ("signed_pdf", "signed_scan"):
            field_file = getattr(agreement, kind)
            stored_digest = getattr(agreement, f"{kind}_sha256")
            if stored_digest == digest and field_file and _same_bytes(field_file, upload):
                matches.append(Match(agreement=agreement, kind=kind))
    # The attachments of a signed agreement are part of what was signed: verifiable too.
    attachments = Attachment.objects.filter(
        agreement__in=agreements.filter(status__in=LOCKED_STATUSES), sha256=digest
    ).select_related("agreement__municipality", "agreement__police_area")
    for attachment in attachments:
        if attachment.file and _same_bytes(attachment.file, upload):
            matches.append(
                Match(agreement=attachment.agreement, kind="attachment", attachment=attachment)
            )
    return matches
