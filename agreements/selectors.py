"""Reads of the agreements app. Each selector takes the user and returns only what they may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.history import FieldChange, field_changes, related_labels
from core.hooks import history_sources

from .models import (
    RESTORABLE,
    Agreement,
    Attachment,
    Cause,
    CitizenPromise,
    Commitment,
    FocusArea,
    Organisation,
    RemissApproval,
    RemissComment,
    Signatory,
    SubGoal,
)


def agreement_list(*, user) -> QuerySet[Agreement]:
    return Agreement.objects.visible_to(user).select_related("municipality", "police_area")


def agreement_get(*, user, pk: int) -> Agreement:
    return get_object_or_404(agreement_list(user=user), pk=pk)


def agreement_document(*, user, pk: int) -> Agreement:
    """The agreement with everything the document page shows, in a fixed number of queries."""
    queryset = (
        agreement_list(user=user)
        .with_document_tree()
        .select_related("revision_of")
        .prefetch_related(
            Prefetch(
                "revisions", queryset=Agreement.objects.only("pk", "title", "status", "revision_of")
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass
class PartyCommitments:
    party: Organisation | None
    items: list[Commitment] = field(default_factory=list)
    #: How the text names the party: its short name in this agreement, else its name.
    label: str = ""

    @property
    def is_joint(self) -> bool:
        return self.party is None


def group_commitments(agreement: Agreement) -> dict[int | None, list[PartyCommitments]]:
    """Commitments per focus area (None = the whole agreement), each grouped by party.

    Parties come in the document's order of parties, each named as the text names it
    (its short name, e.g. "Polisen"); joint last.
    """
    parties = agreement.document_parties()
    order = {party.pk: index for index, party in enumerate(parties)}
    labels = {party.pk: party.label for party in parties}
    grouped: dict[int | None, dict[int | None, PartyCommitments]] = defaultdict(dict)
    for commitment in agreement.commitments.all():
        groups = grouped[commitment.focus_area_id]
        group = groups.setdefault(
            commitment.party_id,
            PartyCommitments(
                commitment.party,
                label=labels.get(commitment.party_id)
                or (commitment.party.name if commitment.party else ""),
            ),
        )
        group.items.append(commitment)
    return {
        key: sorted(
            groups.values(),
            key=lambda g: (g.party is None, order.get(g.party.pk if g.party else None, 99)),
        )
        for key, groups in grouped.items()
    }


def remiss_comments(*, user, agreement: Agreement) -> dict[str, list[RemissComment]]:
    """The remiss comments on ``agreement`` that ``user`` sees (the coordinator and the police
    of its police area), by item key (``focus_area:12``, ``section:background``…), oldest
    first. Comments whose item was removed since are under ``removed``."""
    comments = (
        RemissComment.objects.visible_to(user)
        .filter(agreement=agreement)
        .select_related("author", "resolved_by")
        .order_by("created_at", "pk")
    )
    grouped: dict[str, list[RemissComment]] = defaultdict(list)
    for comment in comments:
        grouped[comment.item_key].append(comment)
    return dict(grouped)


def attachment_list(*, user, agreement: Agreement) -> QuerySet[Attachment]:
    return (
        Attachment.objects.visible_to(user).filter(agreement=agreement).order_by("position", "pk")
    )


def attachment_get(*, user, pk: int) -> Attachment:
    return get_object_or_404(Attachment.objects.visible_to(user).select_related("agreement"), pk=pk)


def promise_list(*, user, agreement: Agreement) -> QuerySet[CitizenPromise]:
    return (
        CitizenPromise.objects.visible_to(user)
        .filter(agreement=agreement)
        .prefetch_related("areas", "parties", "partners")
        .order_by("-year", "title", "pk")
    )


def promise_get(*, user, pk: int) -> CitizenPromise:
    return get_object_or_404(
        CitizenPromise.objects.visible_to(user)
        .select_related("agreement__municipality", "agreement__police_area")
        .prefetch_related("areas", "parties", "partners"),
        pk=pk,
    )


def public_agreements() -> QuerySet[Agreement]:
    return Agreement.objects.public().select_related("municipality", "police_area")


def public_agreement_get(pk: int) -> Agreement:
    queryset = (
        public_agreements()
        .with_document_tree(causes=False, forums=False)
        .prefetch_related(
            Prefetch(
                "citizen_promises",
                queryset=CitizenPromise.objects.prefetch_related("areas", "parties").order_by(
                    "-year", "title"
                ),
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


# ---------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------

#: Fields never shown in the history: bookkeeping, not content.


def _own_history_querysets(agreement: Agreement) -> list[QuerySet]:
    """Historical rows of the agreement and everything that ever hung under it."""
    focus_ids = FocusArea.history.filter(agreement_id=agreement.pk).values("id")
    return [
        Agreement.history.filter(id=agreement.pk),
        FocusArea.history.filter(agreement_id=agreement.pk),
        SubGoal.history.filter(focus_area_id__in=focus_ids),
        Cause.history.filter(focus_area_id__in=focus_ids),
        Commitment.history.filter(agreement_id=agreement.pk),
        Signatory.history.filter(agreement_id=agreement.pk),
        CitizenPromise.history.filter(agreement_id=agreement.pk),
        RemissComment.history.filter(agreement_id=agreement.pk),
        RemissApproval.history.filter(agreement_id=agreement.pk),
        Attachment.history.filter(agreement_id=agreement.pk),
    ]


def history_querysets(agreement: Agreement) -> list[QuerySet]:
    sources = _own_history_querysets(agreement)
    for source in history_sources():
        result = source(agreement)
        if result is not None:
            sources.append(result)
    return sources


@dataclass
class HistoryEntry:
    record: object
    model_label: str
    verbose_name: str
    object_label: str
    kind: str  # "+", "~", "-"
    user: object
    date: object
    changes: list[FieldChange]
    restorable: bool = False

    @property
    def token(self) -> str:
        return f"{self.model_label}:{self.record.history_id}"


class HistoryPage:
    """Entries of every source, newest first, paged without loading every row's content."""

    def __init__(self, agreement: Agreement):
        self.sources = history_querysets(agreement)

    def keys(self) -> list[tuple]:
        """(date, source index, history_id) of every change: small rows, one query a source."""
        keys = chain.from_iterable(
            ((date, index, hid) for date, hid in qs.values_list("history_date", "history_id"))
            for index, qs in enumerate(self.sources)
        )
        return sorted(keys, key=lambda k: (k[0], k[2]), reverse=True)

    def entries(self, keys: list[tuple]) -> list[HistoryEntry]:
        wanted: dict[int, list[int]] = defaultdict(list)
        for _date, index, hid in keys:
            wanted[index].append(hid)
        records: dict[tuple[int, int], object] = {}
        previous: dict[tuple[int, int], object] = {}
        for index, hids in wanted.items():
            qs = self.sources[index]
            rows = list(qs.model.objects.filter(history_id__in=hids).select_related("history_user"))
            for row in rows:
                records[(index, row.history_id)] = row
            # Every earlier version of the objects on this page, in one query.
            object_ids = {row.id for row in rows}
            latest = max(row.history_date for row in rows)
            earlier = qs.model.objects.filter(id__in=object_ids, history_date__lte=latest).order_by(
                "id", "history_date", "history_id"
            )
            by_object: dict[int, list] = defaultdict(list)
            for row in earlier:
                by_object[row.id].append(row)
            for row in rows:
                versions = by_object[row.id]
                before = [
                    v
                    for v in versions
                    if (v.history_date, v.history_id) < (row.history_date, row.history_id)
                ]
                previous[(index, row.history_id)] = before[-1] if before else None
        fk_labels = related_labels(records.values(), previous.values())
        result = []
        for _date, index, hid in keys:
            record = records.get((index, hid))
            if record is None:
                continue
            result.append(self._entry(record, previous.get((index, hid)), fk_labels))
        return result

    def _entry(self, record, prev, fk_labels) -> HistoryEntry:
        model = record.instance_type
        changes = field_changes(record, prev, fk_labels)
        return HistoryEntry(
            record=record,
            model_label=model._meta.label_lower,
            verbose_name=str(model._meta.verbose_name),
            object_label=str(record.history_object)[:120],
            kind=record.history_type,
            user=record.history_user,
            date=record.history_date,
            changes=changes,
            restorable=model in RESTORABLE,
        )


def history_record(*, agreement: Agreement, token: str):
    """The historical row named by ``label:history_id``, if it belongs to the agreement's history."""
    label, _sep, hid = token.partition(":")
    if not hid.isdigit():
        raise Http404
    for qs in history_querysets(agreement):
        if qs.model.instance_type._meta.label_lower == label:
            record = qs.filter(history_id=int(hid)).first()
            if record is not None:
                return record
    raise Http404
