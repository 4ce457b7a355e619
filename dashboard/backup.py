"""Export one agreement's whole tree as JSON, and restore it.

``manage.py export_agreement PK`` / ``manage.py import_agreement FILE`` (see the README,
*Backup and restore*). The file holds, in an order in which it can be inserted:

* the users the tree names (reviewers, authors) and the members of its organisations —
  username, names, e-mail and whether active; never passwords, staff or superuser flags
  (restored users get an unusable password and must reset it);
* the organisations it references (parties, responsible units, seats…) with their parents,
  the memberships in them, and the municipality's areas;
* the agreement with its focus areas, sub-goals, causes, commitments, signatories and
  citizen promises;
* the forums it names or its activities and reports point at (with their parent forums),
  their seats, meetings, decisions and attendance;
* its action plans with activities, roles and reviews; its follow-up rhythm, reports and
  updates; the municipality's indicators with their values;
* the signed PDF and scan, base64-encoded with their SHA-256.

Objects are Django's ``python`` serialisation (primary keys kept; users by username, their
natural key), so a restore into an empty database gives the same rows with the same keys.
History is not part of the file (use ``pg_dump`` for a whole-database backup); the restore
writes one history entry per object, "restored from backup".

Restoring deliberately takes Django's raw save path (``save_base(raw=True)``, as ``loaddata``
does). That path skips ``save()``, so it keeps versions and timestamps as they were and
does not trip the immutability guard of signed agreements (``agreements/locking.py``).
The guards it cannot skip are signals on an agreement's party rows (``AgreementParty``), so
a signed agreement is inserted as a draft, everything else is inserted, and then — still
raw — it is given its real status, all inside one transaction.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from actionplans.models import ActionPlan, Activity, ActivityRole, Review
from agreements.choices import LOCKED_STATUSES, AgreementStatus
from agreements.locking import AgreementLocked, LockedTreeModel
from agreements.models import (
    Agreement,
    AgreementArea,
    AgreementParty,
    Area,
    Cause,
    CitizenPromise,
    Commitment,
    FocusArea,
    FocusAreaArea,
    Membership,
    Organisation,
    PromisePartner,
    Signatory,
    SubGoal,
)
from core.models import DomainModel, policy_errors
from followup.choices import ReportStatus
from followup.models import (
    ActivityUpdate,
    FollowUpReport,
    FollowUpRhythm,
    Indicator,
    IndicatorValue,
)
from forums.models import Attendance, Forum, ForumSeat, Meeting, MeetingDecision

FORMAT = "samverkan.agreement"
FORMAT_VERSION = 1
RESTORED_REASON = "Återställd från säkerhetskopia"

#: Every model in the export, in insertion order.
EXPORTED_MODELS: tuple[type[models.Model], ...] = (
    Organisation,
    Membership,
    Area,
    Agreement,
    AgreementParty,
    AgreementArea,
    FocusArea,
    FocusAreaArea,
    SubGoal,
    Cause,
    Commitment,
    Signatory,
    CitizenPromise,
    PromisePartner,
    Forum,
    ForumSeat,
    Meeting,
    MeetingDecision,
    Attendance,
    ActionPlan,
    Activity,
    ActivityRole,
    Review,
    FollowUpRhythm,
    FollowUpReport,
    ActivityUpdate,
    Indicator,
    IndicatorValue,
)

#: Models of the domain apps that are deliberately not in an agreement's export.
NOT_EXPORTED: dict[str, str] = {
    "forums.CalendarToken": "a user's secret calendar address, not part of the agreement",
    "followup.ReportReminder": "a log of reminder e-mails sent, not part of the agreement",
    "core.PdfJob": "a cache of printed PDFs, made again when asked for",
    "agreements.RemissComment": "the remiss's working comments on a draft; not yet in the "
    "single-agreement export (the whole-database dump keeps them)",
    "agreements.RemissApproval": "the police area's approval of a draft; not yet in the "
    "single-agreement export (the whole-database dump keeps it)",
    "agreements.Attachment": "files: not yet in the single-agreement export (the "
    "whole-database dump and the media backup keep them, each with its SHA-256)",
}

USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active")


class BackupError(Exception):
    """The file cannot be restored (wrong format, or it clashes with the database)."""


class _Encoder(DjangoJSONEncoder):
    """Like Django's, but keeps datetimes to the microsecond so a restore is exact."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        if isinstance(o, decimal.Decimal):
            return str(o)
        return super().default(o)


def dumps(data) -> str:
    return json.dumps(data, cls=_Encoder, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------


def _with_ancestors(model, pks: set[int]) -> set[int]:
    pks = {pk for pk in pks if pk is not None}
    frontier = set(pks)
    while frontier:
        parents = set(
            model._base_manager.filter(pk__in=frontier, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        frontier = parents - pks
        pks |= frontier
    return pks


@dataclass
class _Selection:
    querysets: dict[type[models.Model], models.QuerySet] = field(default_factory=dict)

    def pks(self, model) -> set[int]:
        qs = self.querysets.get(model)
        return set(qs.values_list("pk", flat=True)) if qs is not None else set()


def _select(agreement: Agreement) -> _Selection:
    """The querysets of everything that belongs to ``agreement``'s export."""
    sel = _Selection()
    base = {m: m._base_manager for m in EXPORTED_MODELS}
    a = agreement.pk
    q = sel.querysets
    q[Agreement] = base[Agreement].filter(pk=a)
    q[AgreementParty] = base[AgreementParty].filter(agreement_id=a)
    q[AgreementArea] = base[AgreementArea].filter(agreement_id=a)
    q[FocusArea] = base[FocusArea].filter(agreement_id=a)
    q[FocusAreaArea] = base[FocusAreaArea].filter(focus_area__agreement_id=a)
    q[SubGoal] = base[SubGoal].filter(focus_area__agreement_id=a)
    q[Cause] = base[Cause].filter(focus_area__agreement_id=a)
    q[Commitment] = base[Commitment].filter(agreement_id=a)
    q[Signatory] = base[Signatory].filter(agreement_id=a)
    q[CitizenPromise] = base[CitizenPromise].filter(agreement_id=a)
    q[PromisePartner] = base[PromisePartner].filter(promise__agreement_id=a)
    q[ActionPlan] = base[ActionPlan].filter(agreement_id=a)
    q[Activity] = base[Activity].filter(plan__agreement_id=a)
    q[ActivityRole] = base[ActivityRole].filter(activity__plan__agreement_id=a)
    q[Review] = base[Review].filter(activity__plan__agreement_id=a)
    q[FollowUpRhythm] = base[FollowUpRhythm].filter(agreement_id=a)
    q[FollowUpReport] = base[FollowUpReport].filter(agreement_id=a)
    q[ActivityUpdate] = base[ActivityUpdate].filter(report__agreement_id=a)
    q[Indicator] = base[Indicator].filter(municipality_id=agreement.municipality_id)
    q[IndicatorValue] = base[IndicatorValue].filter(indicator__in=q[Indicator])

    forum_ids = set(base[Forum].filter(agreements=agreement).values_list("pk", flat=True))
    forum_ids |= set(q[Activity].values_list("forum_id", flat=True))
    forum_ids |= set(q[FollowUpReport].values_list("presented_to_id", flat=True))
    for rhythm in q[FollowUpRhythm]:
        forum_ids |= {rhythm.forum_id, rhythm.annual_forum_id}
    forum_ids = _with_ancestors(Forum, forum_ids)
    q[Forum] = base[Forum].filter(pk__in=forum_ids)
    q[ForumSeat] = base[ForumSeat].filter(forum_id__in=forum_ids)
    q[Meeting] = base[Meeting].filter(forum_id__in=forum_ids)
    q[MeetingDecision] = base[MeetingDecision].filter(meeting__forum_id__in=forum_ids)
    q[Attendance] = base[Attendance].filter(meeting__forum_id__in=forum_ids)

    # Areas: the municipality's, and any other an exported object names.
    area_ids = set(
        base[Area].filter(municipality_id=agreement.municipality_id).values_list("pk", flat=True)
    )
    area_ids |= set(q[IndicatorValue].values_list("area_id", flat=True))
    for model, name in ((CitizenPromise, "areas"), (Activity, "areas")):
        area_ids |= set(q[model].values_list(name, flat=True))
    area_ids.discard(None)

    # Organisations: every foreign key and many-to-many of the selection that points at one.
    org_ids: set[int] = set()
    for model, qs in list(q.items()):
        for f in model._meta.get_fields():
            if (
                getattr(f, "related_model", None) is Organisation
                and (f.many_to_many or f.many_to_one or f.one_to_one)
                and f.concrete
            ):
                org_ids |= set(qs.values_list(f.name, flat=True))
    org_ids |= set(base[Area].filter(pk__in=area_ids).values_list("municipality_id", flat=True))
    org_ids = _with_ancestors(Organisation, org_ids)
    q[Organisation] = base[Organisation].filter(pk__in=org_ids)
    q[Area] = base[Area].filter(pk__in=area_ids)
    q[Membership] = base[Membership].filter(organisation_id__in=org_ids)
    return sel


def _user_fks(model) -> list[models.Field]:
    user_model = get_user_model()
    return [
        f for f in model._meta.concrete_fields if f.is_relation and f.related_model is user_model
    ]


def export_agreement(agreement: Agreement) -> dict:
    """The export of ``agreement`` as a JSON-ready dict."""
    sel = _select(agreement)
    exported_pks = {model: sel.pks(model) for model in EXPORTED_MODELS}
    objects: list[dict] = []
    user_ids: set[int] = set()
    for model in EXPORTED_MODELS:
        qs = sel.querysets[model].order_by("pk")
        for f in _user_fks(model):
            user_ids |= set(qs.values_list(f.attname, flat=True))
        for item in serializers.serialize("python", qs, use_natural_foreign_keys=True):
            fields = item["fields"]
            # Links to objects outside the export (another agreement's sub-goals…) are dropped.
            for f in model._meta.many_to_many:
                if f.name in fields:
                    keep = exported_pks.get(f.related_model, set())
                    fields[f.name] = sorted(pk for pk in fields[f.name] if pk in keep)
            objects.append(item)
    user_ids.discard(None)
    users = [
        {name: getattr(u, name) for name in USER_FIELDS}
        for u in get_user_model()._base_manager.filter(pk__in=user_ids).order_by("username")
    ]
    files = []
    reports = sel.querysets[FollowUpReport].exclude(approved_pdf="")
    approved_pdfs = reports.values_list("approved_pdf", flat=True)
    for name in (agreement.signed_pdf.name, agreement.signed_scan.name, *approved_pdfs):
        if name and default_storage.exists(name):
            with default_storage.open(name, "rb") as fh:
                content = fh.read()
            files.append(
                {
                    "name": name,
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "base64": base64.b64encode(content).decode("ascii"),
                }
            )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "agreement": agreement.pk,
        "users": users,
        "objects": objects,
        "files": files,
    }


def export_agreement_json(agreement: Agreement) -> str:
    return dumps(export_agreement(agreement))


# ---------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    users_created: int = 0
    warnings: list[str] = field(default_factory=list)


def _normalised(item: dict) -> str:
    return json.dumps(item, cls=_Encoder, sort_keys=True)


def _existing_as_item(model, pk) -> dict | None:
    obj = model._base_manager.filter(pk=pk).first()
    if obj is None:
        return None
    [item] = serializers.serialize("python", [obj], use_natural_foreign_keys=True)
    return item


def import_agreement(data: dict, *, with_users: bool = False) -> ImportResult:
    """Restore an export made by :func:`export_agreement` (atomic: all or nothing).

    Nothing in the file can raise anyone's rights or rewrite what was signed:

    * users are created only with ``with_users`` (the operator's ``--with-users``), never
      as staff or superusers and without passwords; memberships in the file are restored
      only for the users this import creates, so an existing account's access never
      changes through an import;
    * no row may be added to, or change, a signed or superseded agreement already in the
      database, nor anything under it.
    """
    if data.get("format") != FORMAT or data.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Not a {FORMAT} file of version {FORMAT_VERSION}.")
    result = ImportResult()
    models_by_label = {m._meta.label_lower: m for m in EXPORTED_MODELS}
    try:
        with transaction.atomic():
            _import(data, result, models_by_label, with_users=with_users)
    except AgreementLocked as exc:
        raise BackupError(
            "The file would change a signed agreement that is already in the database; "
            "nothing was imported."
        ) from exc
    return result


def _import(data: dict, result: ImportResult, models_by_label, *, with_users: bool) -> None:
    new_users = _restore_users(data.get("users", []), result) if with_users else set()
    by_key = {(item["model"], item["pk"]): item for item in data["objects"]}
    in_file = set(by_key)
    to_insert = []
    for item in data["objects"]:
        model = models_by_label.get(item["model"])
        if model is None:
            raise BackupError(f"Unknown model in the file: {item['model']}")
        if model is Membership and not _membership_allowed(item, new_users, result):
            continue
        _drop_missing_optional_links(model, item, in_file, result)
        _drop_missing_users(model, item, result)
        existing = _existing_as_item(model, item["pk"])
        if existing is None:
            _refuse_rows_under_signed(model, item, by_key)
            to_insert.append(item)
        elif _normalised(_comparable(existing, model, item)) == _normalised(
            _comparable(item, model, item)
        ):
            result.unchanged += 1
        else:
            raise BackupError(
                f"{item['model']} {item['pk']} already exists with other content; "
                "restore into an empty database or remove it first."
            )
    _insert(data, result, to_insert)


def _membership_allowed(item: dict, new_users: set[str], result: ImportResult) -> bool:
    username = item["fields"]["user"]
    username = username[0] if isinstance(username, list) else username
    if username in new_users:
        return True
    result.warnings.append(
        f"agreements.membership {item['pk']}: {username} is not a user this import created; "
        "memberships of existing accounts are never changed by an import (skipped)."
    )
    return False


def _drop_missing_users(model, item: dict, result: ImportResult) -> None:
    """A link to a user who is not in the database: cleared if it may be, else refused."""
    user_model = get_user_model()
    fields = item["fields"]
    for f in model._meta.concrete_fields:
        if not f.is_relation or f.related_model is not user_model or f.name not in fields:
            continue
        value = fields[f.name]
        if value is None:
            continue
        username = value[0] if isinstance(value, list) else value
        if user_model._base_manager.filter(username=username).exists():
            continue
        if not f.null:
            raise BackupError(
                f"{item['model']} {item['pk']}: the user {username} is not in the database; "
                "import with --with-users to create the file's users."
            )
        fields[f.name] = None
        result.warnings.append(
            f"{item['model']} {item['pk']}: {f.name} {username} unknown; cleared."
        )


def _refuse_rows_under_signed(model, item: dict, by_key: dict) -> None:
    """A new row in the tree of a signed agreement already in the database is refused."""
    if not issubclass(model, LockedTreeModel) or model is Agreement:
        return
    path = model.agreement_path.split("__")
    target = item["fields"].get(path[0])
    if len(path) > 1 and target is not None:
        parent_model = model._meta.get_field(path[0]).related_model
        parent = by_key.get((parent_model._meta.label_lower, target))
        if parent is not None:
            target = parent["fields"].get(path[1])
        else:
            target = (
                parent_model._base_manager.filter(pk=target)
                .values_list(f"{path[1]}_id", flat=True)
                .first()
            )
    if Agreement._base_manager.filter(pk=target, status__in=LOCKED_STATUSES).exists():
        raise BackupError(
            f"{item['model']} {item['pk']} would be added to the signed agreement {target}; "
            "a signed agreement changes only through a revision. Nothing was imported."
        )


def _insert(data: dict, result: ImportResult, to_insert: list[dict]) -> None:
    restored: dict[type[models.Model], list[models.Model]] = {}
    signed: list[tuple[Agreement, str]] = []
    for deserialized in serializers.deserialize("python", to_insert):
        obj = deserialized.object
        errors = policy_errors(obj) if isinstance(obj, DomainModel) else {}
        if errors:
            raise BackupError(f"{obj._meta.label} {obj.pk}: {sorted(errors)} out of range.")
        if isinstance(obj, Agreement) and obj.status in LOCKED_STATUSES:
            # A draft until its parties and tree are in; then its real status.
            signed.append((obj, obj.status))
            obj.status = AgreementStatus.DRAFT
        if isinstance(obj, FollowUpReport) and obj.status == ReportStatus.APPROVED:
            # Submitted until its updates are in (an approved report takes no new rows).
            signed.append((obj, obj.status))
            obj.status = ReportStatus.SUBMITTED
        deserialized.save()
        restored.setdefault(type(obj), []).append(obj)
        label = obj._meta.label
        result.created[label] = result.created.get(label, 0) + 1
    for obj, status in signed:
        obj.status = status
        type(obj).save_base(obj, raw=True)
    _restore_files(data.get("files", []))
    _reset_sequences(list(restored))
    now = timezone.now()
    for model, objs in restored.items():
        history = getattr(model, "history", None)
        if history is not None:
            history.bulk_history_create(
                objs, default_change_reason=RESTORED_REASON, default_date=now
            )


def _comparable(item: dict, model, reference: dict) -> dict:
    """An item without what a restore may legitimately leave different: links (many-to-many)
    to objects outside the file's selection, e.g. a forum that also serves another agreement."""
    fields = dict(item["fields"])
    for f in model._meta.many_to_many:
        if f.name in fields and f.name in reference["fields"]:
            mine, theirs = set(fields[f.name] or []), set(reference["fields"][f.name] or [])
            if theirs <= mine:
                fields[f.name] = sorted(theirs)
    return {"model": item["model"], "pk": item["pk"], "fields": fields}


#: What an import may set on a user it creates: never staff, superuser or a password.
IMPORTED_USER_FIELDS = ("first_name", "last_name", "email", "is_active")


def _restore_users(users: Iterable[dict], result: ImportResult) -> set[str]:
    """Create the file's users that do not exist; return the usernames created."""
    user_model = get_user_model()
    created_names = set()
    for row in users:
        user, created = user_model._base_manager.get_or_create(
            username=row["username"],
            defaults={k: v for k, v in row.items() if k in IMPORTED_USER_FIELDS},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            result.users_created += 1
            created_names.add(user.username)
    return created_names


def _drop_missing_optional_links(model, item, in_file, result: ImportResult) -> None:
    """A nullable link to an object neither in the file nor in the database is cleared."""
    fields = item["fields"]
    user_model = get_user_model()
    for f in model._meta.concrete_fields:
        if not f.is_relation or f.related_model is user_model or f.name not in fields:
            continue
        target = fields[f.name]
        if target is None:
            continue
        label = f.related_model._meta.label_lower
        if (label, target) in in_file or f.related_model._base_manager.filter(pk=target).exists():
            continue
        if not f.null:
            raise BackupError(f"{item['model']} {item['pk']}: {f.name} {target} is missing.")
        fields[f.name] = None
        result.warnings.append(
            f"{item['model']} {item['pk']}: {f.name} pointed at {label} {target}, "
            "which is not in the file or the database; cleared."
        )


def _restore_files(files: Iterable[dict]) -> None:
    for entry in files:
        content = base64.b64decode(entry["base64"])
        if hashlib.sha256(content).hexdigest() != entry["sha256"]:
            raise BackupError(f"{entry['name']}: the content does not match its SHA-256.")
        name = entry["name"]
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as fh:
                if hashlib.sha256(fh.read()).hexdigest() != entry["sha256"]:
                    raise BackupError(f"{name} exists with other content.")
            continue
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:
            raise BackupError(f"{name} could not be stored under its own name ({saved}).")


def _reset_sequences(model_list: list[type[models.Model]]) -> None:
    if not model_list:
        return
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
