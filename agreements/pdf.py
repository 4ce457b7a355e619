"""The agreement's documents: the agreement and a citizen promise as PDF.

The renderer itself (WeasyPrint, the static-only URL fetcher, the worker pool) is
``core.pdf``; this module only gathers what an agreement prints.
"""

from __future__ import annotations

from django.utils import timezone

from core.pdf import render_template_to_pdf

from .choices import AgreementStatus
from .models import Agreement
from .selectors import group_commitments


def agreement_for_print(pk: int):
    """The agreement with everything the PDF prints, in a fixed number of queries."""
    return Agreement.objects.with_document_tree().get(pk=pk)


def agreement_document_date(agreement):
    """The date printed on every page: the signing date (the day the last signatory
    signed, not the day the signing was recorded), else decided, else last changed."""
    if agreement.is_locked and agreement.signing_date:
        return agreement.signing_date
    if agreement.decision_date:
        return agreement.decision_date
    if agreement.updated_at:
        return timezone.localtime(agreement.updated_at).date()
    return timezone.localdate()


def agreement_pdf_context(agreement) -> dict:
    """Template context of ``pdf/agreement.html`` (``agreement`` from :func:`agreement_for_print`)."""

    parties = agreement.parties
    groups = group_commitments(agreement)
    focus_areas = list(agreement.focus_areas.all())
    for area in focus_areas:
        area.commitment_groups = groups.get(area.pk, [])
    signature_blocks = list(agreement.signatories.all()) or [
        {"organisation": party} for party in parties[:2]
    ]
    return {
        "agreement": agreement,
        "parties": parties,
        "initial_parties": parties,
        "focus_areas": focus_areas,
        "commitment_groups": groups.get(None, []),
        "forums": list(agreement.forums.all()),
        "signature_blocks": signature_blocks,
        "document_date": agreement_document_date(agreement),
        "pdf_watermark": agreement.status in (AgreementStatus.DRAFT, AgreementStatus.REVIEW),
    }


def render_agreement_pdf(agreement, *, lang: str = "sv") -> bytes:
    """Render the agreement as the A4 PDF for signature (always freshly rendered)."""
    printable = agreement_for_print(agreement.pk)
    # The caller's lifecycle state wins (the sign service may not have saved it yet).
    printable.status, printable.signed_at = agreement.status, agreement.signed_at
    return render_template_to_pdf(
        "pdf/agreement.html",
        agreement_pdf_context(printable),
        title=printable.title,
        author=", ".join(party.name for party in printable.parties),
        lang=lang,
    )


def render_promise_pdf(promise, *, lang: str = "sv") -> bytes:
    """Render a citizen promise (medborgarlöfte) as an A4 PDF."""
    agreement = promise.agreement
    parties = list(promise.parties.all()) or agreement.parties
    context = {
        "promise": promise,
        "agreement": agreement,
        "parties": parties,
        "areas": list(promise.areas.all()),
        "document_date": timezone.localtime(promise.updated_at).date()
        if promise.updated_at
        else timezone.localdate(),
    }
    return render_template_to_pdf(
        "pdf/promise.html",
        context,
        title=promise.title,
        author=", ".join(party.name for party in parties),
        lang=lang,
    )
