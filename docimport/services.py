"""Writes of the document import: read and recognise an upload, and create the draft.

The draft and its tree are created through the services and models of the apps
that own them (``agreements.services.agreement_create`` / ``item_create``,
``actionplans.services.plan_create`` / ``activity_create``, ``full_clean`` on
forums and promises), inside one transaction, so that validation, positions,
history and the access checks apply exactly as in the editing screens.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.choices import PartyRole
from actionplans.services import activity_create, plan_create
from agreements import access
from agreements.choices import OrganisationKind, PoliceClassification
from agreements.models import (
    Agreement,
    Area,
    CitizenPromise,
    Commitment,
    FocusArea,
    Organisation,
    Signatory,
    SubGoal,
)
from agreements.services import (
    agreement_approve,
    agreement_create,
    agreement_sign,
    agreement_submit_for_review,
    item_create,
)
from agreements.signing import SigningError, store_signed_scan
from core.models import MAX_TEXT
from forums.choices import ForumKind, Frequency
from forums.models import Forum

from . import readers
from .models import DocumentImport
from .recognise import (
    ACTIVITY,
    AREA,
    COMMITMENT,
    FOCUS_AREA,
    FORUM,
    JOINT,
    MUNICIPALITY,
    POLICE,
    PROMISE,
    SECTION,
    SIGNATORY,
    SUB_GOAL,
    Item,
    Tree,
    has_structure,
    recognise,
)

#: Agreement fields a section item may fill.
SECTION_FIELDS = {
    "background",
    "situation_sources",
    "purpose",
    "overall_goal",
    "organisation_text",
    "followup_text",
    "budget_text",
    "communication_text",
    "decision_condition",
}


def _require_coordinator(user, municipality: Organisation) -> None:
    if municipality.pk not in access.edits(user):
        raise PermissionDenied(_("Only the municipality's safety coordinator may do this."))


def read_and_recognise(
    *, name: str, data: bytes, municipality: Organisation, police_area: Organisation
) -> Tree:
    """Read the file and recognise the agreement in it; :class:`readers.ReadError` when the
    file cannot be read or holds nothing an agreement is made of."""
    result = readers.read_document(name=name, data=data)
    tree = recognise(
        result.blocks, municipality_name=municipality.name, police_name=police_area.name
    )
    tree.warnings = list(result.warnings) + tree.warnings
    if not has_structure(tree):
        raise readers.ReadError(
            _(
                "No agreement structure was recognised in the file (no focus areas, "
                "commitments, activities or signatories). Check that it is the agreement itself."
            )
        )
    return tree


@transaction.atomic
def document_import_start(
    *,
    user,
    municipality: Organisation,
    police_area: Organisation,
    name: str,
    data: bytes,
) -> DocumentImport:
    """Parse an upload and keep it, with what was recognised, for the review screen."""
    _require_coordinator(user, municipality)
    tree = read_and_recognise(
        name=name, data=data, municipality=municipality, police_area=police_area
    )
    record = DocumentImport(
        uploaded_by=user,
        municipality=municipality,
        police_area=police_area,
        original_name=(name or "")[:255],
        schema_version=tree.schema,
        tree=tree.as_dict(),
    )
    record.original.save(_safe_name(name), ContentFile(data), save=False)
    record.full_clean()
    record.save()
    return record


def document_imports_prune(*, older_than: datetime.timedelta, now=None) -> int:
    """Forget uploads that never became a draft, ``older_than`` after they were made: the
    record, what was recognised in it and the stored original (through the storage API).
    Imports that created an agreement are kept — they say where the draft came from."""
    cutoff = (now or timezone.now()) - older_than
    removed = 0
    for record in DocumentImport.objects.filter(agreement__isnull=True, created_at__lt=cutoff):
        if record.original:
            record.original.delete(save=False)
        record.delete()
        removed += 1
    return removed


def _safe_name(name: str) -> str:
    """A stored name nobody can guess (the original's name is kept in the record)."""
    suffix = re.sub(r"[^a-z]", "", (name or "").rsplit(".", 1)[-1].lower())[:5] or "bin"
    return f"{uuid.uuid4().hex}.{suffix}"


# ---------------------------------------------------------------------------
# Creating the draft
# ---------------------------------------------------------------------------


@dataclass
class ImportReport:
    agreement: Agreement
    created_organisations: list[str] = field(default_factory=list)
    created_forums: list[str] = field(default_factory=list)
    reused_forums: list[str] = field(default_factory=list)
    created_areas: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _clip(text: str, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _date(value) -> datetime.date | None:
    if not value:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _norm(text: str) -> str:
    return re.sub(r"[^\wåäö]+", " ", (text or "").lower()).strip()


class _Organisations:
    """Finds the organisations a document names, creating missing units under the kommun."""

    def __init__(self, municipality: Organisation, police_area: Organisation, report):
        self.municipality = municipality
        self.police_area = police_area
        self.report = report
        self.known = {
            _norm(o.name): o
            for o in Organisation.objects.in_trees_of([municipality.pk]).filter(is_active=True)
        }
        for org in (municipality, police_area):
            self.known[_norm(org.name)] = org
            if org.short_name:
                self.known[_norm(org.short_name)] = org

    def party(self, key: str) -> Organisation | None:
        if key == MUNICIPALITY:
            return self.municipality
        if key == POLICE:
            return self.police_area
        if not key or key == JOINT:
            return None
        return self.other_party(key)

    def other_party(self, name: str) -> Organisation:
        """A further party named in the document ("Räddningstjänsten", "Region Skåne",
        "Eslövs Bostads AB"): an existing organisation of that name, else a new one —
        a region or a rescue service on its own, anything else under the municipality."""
        name = _clip(name.strip(" .,;"), 200)
        key = _norm(name)
        if key in self.known:
            return self.known[key]
        existing = Organisation.objects.filter(name__iexact=name, is_active=True).first()
        if existing is not None:
            self.known[key] = existing
            return existing
        if key.startswith("region") or "räddningstjänst" in key:
            kind = OrganisationKind.REGION if key.startswith("region") else OrganisationKind.RESCUE
            org = Organisation(name=name, kind=kind)
            org.full_clean()
            org.save()
            self.known[key] = org
            self.report.created_organisations.append(org.name)
            return org
        return self.unit(name)

    def unit(self, name: str, *, parent: Organisation | None = None, kind=None) -> Organisation:
        name = _clip(name.strip(" .,;"), 200)
        key = _norm(name)
        if re.fullmatch(r"(?:lokal)?polis(?:en|myndigheten)?|lpo\w*", key):
            return self.police_area
        if key in {"kommunen", "kommun"}:
            return self.municipality
        if key in self.known:
            return self.known[key]
        parent = parent or self.municipality
        if kind is None:
            kind = (
                OrganisationKind.COMPANY
                if re.search(r"\bab\b|bolag|bostäder|fastigheter", key)
                else OrganisationKind.RESCUE
                if "räddningstjänst" in key
                else OrganisationKind.DEPARTMENT
            )
        org = Organisation(name=name, kind=kind, parent=parent)
        org.full_clean()
        org.save()
        self.known[key] = org
        self.report.created_organisations.append(
            f"{org.name} ({parent.name})" if parent != self.municipality else org.name
        )
        return org

    def responsible(self, text: str) -> tuple[Organisation | None, list[Organisation]]:
        """ "Gata-trafik-park inom Miljö och samhällsbyggnad" → the unit inside its
        förvaltning; "Skolan samt polisen" → the school, with the police taking part."""
        text = (text or "").strip(" .")
        if not text:
            return None, []
        others: list[Organisation] = []
        if re.search(r"(?:,|\s+och|\s+samt)\s+(?:lokal)?polisen\s*$", text, re.IGNORECASE):
            others.append(self.police_area)
            text = re.sub(
                r"(?:,|\s+och|\s+samt)\s+(?:lokal)?polisen\s*$", "", text, flags=re.IGNORECASE
            )
        inside = re.match(r"^(.+?)\s+(?:inom|på|vid)\s+(.+)$", text) or re.match(
            r"^(.+),\s+([A-ZÅÄÖ][^,]+)$", text
        )
        if inside:
            parent = self.unit(inside[2])
            if parent in (self.municipality, self.police_area):
                return self.unit(inside[1]), others
            return self.unit(inside[1], parent=parent), others
        return self.unit(text), others


_ROLE_WORDS = [
    (r"samordna|ansvarig|sammankall|leder|\bleds\b", PartyRole.LEADS),
    (r"initier", PartyRole.INITIATES),
    (r"stödj|stöttar", PartyRole.SUPPORTS),
    (r"samverka", PartyRole.COLLABORATES),
    (r"delta", PartyRole.PARTICIPATES),
]


def _role(text: str) -> str:
    lowered = (text or "").lower()
    for pattern, role in _ROLE_WORDS:
        if re.search(pattern, lowered):
            return role
    return PartyRole.PARTICIPATES


def _forum_for(municipality, item: Item, report: ImportReport) -> Forum:
    abbreviation = _clip(item.data.get("abbreviation") or "", 30)
    existing = Forum.objects.filter(municipality=municipality, name__iexact=item.title).first()
    if existing is None and abbreviation:
        existing = Forum.objects.filter(
            municipality=municipality, abbreviation__iexact=abbreviation
        ).first()
    if existing is not None:
        report.reused_forums.append(str(existing))
        return existing
    kind = item.data.get("forum_kind") or ForumKind.WORKING_GROUP
    # No frequency in the document: leave it empty (it would otherwise print "vid behov").
    frequency = item.data.get("frequency") or ""
    forum = Forum(
        municipality=municipality,
        name=_clip(item.title, 200),
        abbreviation=abbreviation,
        purpose=_clip(item.text, MAX_TEXT),
        kind=kind if kind in ForumKind.values else ForumKind.WORKING_GROUP,
        frequency=frequency if frequency in Frequency.values else "",
        chair=_clip(item.data.get("chair") or "", 200),
    )
    forum.full_clean()
    forum.save()
    report.created_forums.append(str(forum))
    return forum


@transaction.atomic
def document_import_run(
    *, user, municipality: Organisation, police_area: Organisation, tree: Tree
) -> ImportReport:
    """Create the draft and everything recognised under it; all of it or nothing."""
    _require_coordinator(user, municipality)
    report = ImportReport(agreement=None)  # type: ignore[arg-type]
    orgs = _Organisations(municipality, police_area, report)
    items = [item for item in tree.items if not item.data.get("dropped")]

    valid_from, valid_to = _date(tree.valid_from), _date(tree.valid_to)
    if valid_from is None or valid_to is None:
        raise ValidationError(
            {"valid_from": _("No period was found in the document. Enter when it is valid.")}
        )
    sections: dict[str, list[str]] = {}
    decision_body = ""
    for item in items:
        if item.kind != SECTION:
            continue
        if item.section == "decision_body":
            decision_body = decision_body or item.text
        elif item.section in SECTION_FIELDS:
            sections.setdefault(item.section, []).append(item.text)
    data = {
        "title": _clip(tree.title, 300),
        "municipality": municipality,
        "police_area": police_area,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "decision_body": _clip(decision_body, 200),
        "decision_date": _date(tree.decision_date),
    }
    for name, texts in sections.items():
        joined = "\n\n".join(t for t in texts if t)
        if len(joined) > MAX_TEXT:
            report.notes.append(
                _("The section “%(name)s” was shortened to %(limit)s characters.")
                % {"name": name, "limit": MAX_TEXT}
            )
        data[name] = _clip(joined, MAX_TEXT)

    other_parties = []
    for item in items:
        if item.kind == COMMITMENT and item.party not in ("", JOINT, MUNICIPALITY, POLICE):
            org = orgs.party(item.party)
            if org is not None and org not in (municipality, police_area, *other_parties):
                other_parties.append(org)
    agreement = agreement_create(user=user, data=data, other_parties=other_parties)
    report.agreement = agreement

    focus: dict[int, FocusArea] = {}
    for item in items:
        if item.kind == FOCUS_AREA:
            focus[item.id] = item_create(
                item=FocusArea(
                    agreement=agreement,
                    title=_clip(item.title, 300),
                    description=_clip(item.text, MAX_TEXT),
                ),
                user=user,
            )
    for item in items:
        if item.kind == SUB_GOAL:
            parent = focus.get(item.parent)
            if parent is None:
                report.notes.append(
                    _("A sub-goal without a focus area was left out: %(text)s")
                    % {"text": _clip(item.text, 80)}
                )
                continue
            item_create(item=SubGoal(focus_area=parent, text=_clip(item.text, MAX_TEXT)), user=user)
        elif item.kind == COMMITMENT:
            item_create(
                item=Commitment(
                    agreement=agreement,
                    focus_area=focus.get(item.parent),
                    party=orgs.party(item.party),
                    text=_clip(item.text, MAX_TEXT),
                ),
                user=user,
            )
        elif item.kind == SIGNATORY:
            party = orgs.party(item.party) or municipality
            item_create(
                item=Signatory(
                    agreement=agreement,
                    name=_clip(item.title, 200),
                    title=_clip(item.data.get("position") or "", 200),
                    organisation=party,
                    place=_clip(item.data.get("place") or "", 100),
                    signed_on=_date(item.data.get("signed_on")),
                ),
                user=user,
            )

    forums: list[Forum] = []
    for item in items:
        if item.kind == FORUM:
            forum = _forum_for(municipality, item, report)
            if forum not in forums:
                forums.append(forum)
                forum.agreements.add(agreement)

    activities = [item for item in items if item.kind == ACTIVITY]
    if activities:
        plan = plan_create(
            agreement=agreement,
            title=_clip(tree.plan_title or _("Action plan"), 300),
            valid_from=valid_from,
            valid_to=valid_to,
        )
        for item in activities:
            responsible, taking_part = orgs.responsible(item.data.get("responsible", ""))
            party_roles: dict[Organisation, tuple[str, str]] = {}
            for key, text in (item.data.get("roles") or {}).items():
                org = orgs.party(key)
                if org is not None:
                    party_roles[org] = (_role(text), _clip(text, MAX_TEXT))
            for org in taking_part:
                party_roles.setdefault(org, (PartyRole.PARTICIPATES, ""))
            forum = next(
                (
                    f
                    for f in forums
                    if _norm(item.title) in {_norm(f.name), _norm(f.abbreviation)}
                    or (
                        f.abbreviation and _norm(item.title).startswith(_norm(f.abbreviation) + " ")
                    )
                ),
                None,
            )
            activity_create(
                plan=plan,
                user=user,
                title=_clip(item.title, 300),
                description=_clip(item.text, MAX_TEXT),
                focus_area=focus.get(item.parent),
                effect_goal=_clip(item.data.get("effect_goal", ""), MAX_TEXT),
                responsible=responsible,
                schedule=_clip(item.data.get("schedule", ""), 200),
                followup_method=_clip(item.data.get("followup_method", ""), MAX_TEXT),
                communication=_clip(item.data.get("communication", ""), MAX_TEXT),
                forum=forum,
                party_roles=party_roles,
            )

    promise_areas = []
    for item in items:
        if item.kind == AREA:
            classification = item.data.get("classification") or PoliceClassification.VULNERABLE
            area, created = Area.objects.get_or_create(
                municipality=municipality,
                name=_clip(item.title, 200),
                defaults={
                    "police_classification": classification
                    if classification in PoliceClassification.values
                    else PoliceClassification.VULNERABLE
                },
            )
            if created:
                report.created_areas.append(area.name)
            promise_areas.append(area)
    for item in items:
        if item.kind == PROMISE:
            year = item.data.get("year") or valid_from.year
            promise = CitizenPromise(
                agreement=agreement,
                year=int(year),
                title=_clip(item.title, 300),
                text=_clip(item.text or item.title, MAX_TEXT),
            )
            promise.full_clean()
            promise.save()
            promise.parties.set([municipality, police_area])
    return report


def document_import_create(
    *, user, municipality: Organisation, police_area: Organisation, tree: Tree
) -> Agreement:
    """Create the draft agreement (and its plan, forums, areas, promises) from ``tree``."""
    return document_import_run(
        user=user, municipality=municipality, police_area=police_area, tree=tree
    ).agreement


@transaction.atomic
def document_import_finish(
    *, record: DocumentImport, user, tree: Tree, signed_on: datetime.date | None = None
) -> ImportReport:
    """Create the draft from a reviewed import and remember which agreement it became.

    With ``signed_on`` the document is the signed agreement: the draft goes through
    review and approval and is signed on that date (its PDF stored as for any signing),
    and an original PDF is kept as the scanned signed copy with its SHA-256.
    """
    locked = DocumentImport.objects.select_for_update().get(pk=record.pk)
    if locked.agreement_id is not None:
        raise ValidationError(_("This document has already been imported."))
    report = document_import_run(
        user=user, municipality=locked.municipality, police_area=locked.police_area, tree=tree
    )
    if signed_on is not None:
        agreement = report.agreement
        agreement_submit_for_review(agreement=agreement, user=user)
        agreement_approve(agreement=agreement, user=user)
        agreement_sign(agreement=agreement, user=user, signed_on=signed_on)
        if locked.original and locked.original_name.lower().endswith(".pdf"):
            with locked.original.open("rb") as original:
                try:
                    store_signed_scan(agreement=agreement, upload=original, user=user)
                except SigningError as error:
                    raise ValidationError(str(error)) from error
        report.agreement.refresh_from_db()
    locked.tree = tree.as_dict()
    locked.agreement = report.agreement
    locked.save(update_fields=["tree", "agreement"])
    record.refresh_from_db()
    return report
