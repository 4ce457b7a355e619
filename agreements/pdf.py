"""The agreement's documents: the agreement and a citizen promise as PDF.

The renderer itself (WeasyPrint, the static-only URL fetcher, the worker pool) is
``core.pdf``; this module only gathers what an agreement prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


def signing_parties(agreement, parties=None) -> list:
    """The parties that sign, in the document's order: those with a signatory, or every
    party while no signatory is entered yet. They get the initials boxes and the author
    field; a party that only takes part (or a promise's partner) does not."""
    parties = parties if parties is not None else agreement.document_parties()
    signing_ids = {s.organisation_id for s in agreement.signatories.all()}
    if not signing_ids:
        return list(parties)
    return [party for party in parties if party.pk in signing_ids]


@dataclass
class ForumNode:
    """A forum of the agreement with the forums that report to it."""

    forum: object
    children: list[ForumNode] = field(default_factory=list)

    @property
    def seat_groups(self) -> list[tuple[str, list[str]]]:
        """The forum's seats per organisation (in seat order): who each party sends."""
        groups: dict[int, tuple[str, list[str]]] = {}
        for seat in self.forum.seats.all():
            org = seat.organisation
            groups.setdefault(org.pk, (org.short_name or org.name, []))[1].append(seat.function)
        return list(groups.values())


def forum_tree(forums) -> list[ForumNode]:
    """The agreement's forums as the organisation they form: each under the forum it reports
    to when that forum is named by the agreement too, else at the top (forums with others
    under them first); otherwise in the given order."""
    nodes = {forum.pk: ForumNode(forum) for forum in forums}
    roots = []
    for forum in forums:
        parent = nodes.get(forum.parent_id)
        # A loop cannot be saved (Forum.clean), but never let one hide a forum.
        if (
            parent is not None
            and parent.forum.pk != forum.pk
            and not _below(parent, forum.pk, nodes)
        ):
            parent.children.append(nodes[forum.pk])
        else:
            roots.append(nodes[forum.pk])
    # The organisation (a council with the groups under it) first, single forums after.
    return sorted(roots, key=lambda node: not node.children)


def _below(node: ForumNode, pk: int, nodes: dict) -> bool:
    """Whether ``node`` already hangs (directly or further down) under forum ``pk``."""
    seen, current = set(), node.forum
    while current is not None and current.pk not in seen:
        if current.parent_id == pk:
            return True
        seen.add(current.pk)
        parent = nodes.get(current.parent_id)
        current = parent.forum if parent else None
    return False


def agreement_pdf_context(agreement) -> dict:
    """Template context of ``pdf/agreement.html`` (``agreement`` from :func:`agreement_for_print`)."""

    parties = agreement.document_parties()
    groups = group_commitments(agreement)
    focus_areas = list(agreement.focus_areas.all())
    for area in focus_areas:
        area.commitment_groups = groups.get(area.pk, [])
    signing = signing_parties(agreement, parties)
    signature_blocks = list(agreement.signatories.all()) or [
        {"organisation": party.organisation} for party in signing
    ]
    return {
        "agreement": agreement,
        "parties": parties,
        "initial_parties": signing,
        "focus_areas": focus_areas,
        "commitment_groups": groups.get(None, []),
        "forums": forum_tree(list(agreement.forums.all())),
        "attachments": list(agreement.attachments.all()),
        "signature_blocks": signature_blocks,
        "document_date": agreement_document_date(agreement),
        "pdf_watermark": agreement.status in (AgreementStatus.DRAFT, AgreementStatus.REVIEW),
    }


def agreement_pdf_document(agreement) -> dict:
    """What the agreement's PDF prints: template, context, title and author."""
    printable = agreement_for_print(agreement.pk)
    # The caller's lifecycle state wins (the sign service may not have saved it yet).
    printable.status, printable.signed_at = agreement.status, agreement.signed_at
    return {
        "template_name": "pdf/agreement.html",
        "context": agreement_pdf_context(printable),
        "title": printable.title,
        "author": ", ".join(party.name for party in signing_parties(printable)),
    }


def render_agreement_pdf(agreement, *, lang: str = "sv") -> bytes:
    """Render the agreement as the A4 PDF for signature (always freshly rendered)."""
    document = agreement_pdf_document(agreement)
    return render_template_to_pdf(
        document["template_name"],
        document["context"],
        title=document["title"],
        author=document["author"],
        lang=lang,
    )


def promise_pdf_document(promise) -> dict:
    """What a citizen promise's (medborgarlöfte's) PDF prints."""
    agreement = promise.agreement
    # The agreement's parties that give the promise, then its own partners (a housing
    # company…): each gets a signature block; none of the partners is a party to the agreement.
    parties = promise.givers()
    context = {
        "promise": promise,
        "agreement": agreement,
        "parties": parties,
        "signature_blocks": [{"organisation": org} for org in parties],
        "areas": list(promise.areas.all()),
        "document_date": timezone.localtime(promise.updated_at).date()
        if promise.updated_at
        else timezone.localdate(),
    }
    return {
        "template_name": "pdf/promise.html",
        "context": context,
        "title": promise.title,
        "author": ", ".join(party.name for party in parties),
    }


def render_promise_pdf(promise, *, lang: str = "sv") -> bytes:
    """Render a citizen promise (medborgarlöfte) as an A4 PDF."""
    document = promise_pdf_document(promise)
    return render_template_to_pdf(
        document["template_name"],
        document["context"],
        title=document["title"],
        author=document["author"],
        lang=lang,
    )
