"""Writes of the agreements app: lifecycle, signing, revisions and the items under an agreement.

Every service is keyword-only, checks the user's right to act through the
managers' ``managed_by``/``editable_by`` helpers, runs ``full_clean()`` before
saving and is atomic. Immutability of signed agreements is guarded again in the
model layer (:mod:`agreements.locking`), so a service can never break it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import jobs
from core.mail import send_on_commit
from core.models import ServiceJob
from core.pdf import PdfError

from . import access, signing
from .choices import AgreementSection, AgreementStatus, Role
from .models import (
    RESTORABLE,
    Agreement,
    AgreementArea,
    AgreementParty,
    Attachment,
    Cause,
    CitizenPromise,
    Commitment,
    FocusArea,
    FocusAreaArea,
    PromisePartner,
    RemissApproval,
    RemissComment,
    Signatory,
    SubGoal,
)

#: Allowed lifecycle moves by hand (signing and superseding have their own services).
TRANSITIONS: dict[str, set[str]] = {
    AgreementStatus.DRAFT: {AgreementStatus.REVIEW},
    AgreementStatus.REVIEW: {AgreementStatus.DRAFT, AgreementStatus.APPROVED},
    AgreementStatus.APPROVED: {AgreementStatus.DRAFT},
}

#: The items of an agreement's tree, and the fields that group their positions.
ITEM_GROUPS: dict[type[models.Model], tuple[str, ...]] = {
    FocusArea: ("agreement_id",),
    SubGoal: ("focus_area_id",),
    Cause: ("focus_area_id",),
    Commitment: ("agreement_id", "focus_area_id", "party_id"),
    Signatory: ("agreement_id",),
}


def _require_manager(*, agreement: Agreement, user) -> Agreement:
    """Lock and return the agreement's row if ``user`` may move its lifecycle, else 403."""
    locked = Agreement.objects.managed_by(user).select_for_update().filter(pk=agreement.pk).first()
    if locked is None:
        raise PermissionDenied(_("Only the municipality's safety coordinator may do this."))
    return locked


def _require_editable(*, agreement: Agreement, user) -> None:
    if not Agreement.objects.editable_by(user).filter(pk=agreement.pk).exists():
        if agreement.is_locked:
            raise PermissionDenied(
                _("The agreement is signed and cannot be changed. Create a revision instead.")
            )
        raise PermissionDenied(_("You may not edit this agreement."))


def agreement_of(obj: models.Model) -> Agreement:
    """The agreement an item hangs under (the object itself for an agreement)."""
    node = obj
    path = type(obj).agreement_path
    for part in path.split("__") if path else ():
        node = getattr(node, part)
    return node


def _save(instance: models.Model) -> None:
    instance.full_clean()
    instance.save()


# ---------------------------------------------------------------------------
# The agreement and its lifecycle
# ---------------------------------------------------------------------------


@transaction.atomic
def agreement_create(*, user, data: Mapping, other_parties=()) -> Agreement:
    """Create a draft agreement for a municipality the user coordinates."""
    agreement = Agreement(**data, status=AgreementStatus.DRAFT)
    if agreement.municipality_id not in access.edits(user):
        raise PermissionDenied(_("Only the municipality's safety coordinator may do this."))
    _save(agreement)
    agreement.other_parties.set(other_parties)
    return agreement


@transaction.atomic
def agreement_transition(*, agreement: Agreement, user, to_status: str) -> Agreement:
    """Move the agreement along its lifecycle: draft → review → approved, or back to draft."""
    current = _require_manager(agreement=agreement, user=user)
    if to_status not in TRANSITIONS.get(current.status, set()):
        raise ValidationError(
            _("An agreement cannot go from “%(old)s” to “%(new)s”.")
            % {
                "old": current.get_status_display(),
                "new": AgreementStatus(to_status).label
                if to_status in AgreementStatus.values
                else to_status,
            }
        )
    current.status = to_status
    _save(current)
    agreement.refresh_from_db()
    return current


@transaction.atomic
def agreement_submit_for_review(*, agreement: Agreement, user, link: str = "") -> Agreement:
    """Send the draft *på remiss*: the police of its police area get an e-mail with a link,
    and may then comment on each item and record their area's approval."""
    current = agreement_transition(agreement=agreement, user=user, to_status=AgreementStatus.REVIEW)
    recipients = remiss_recipients(current)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("On remiss: %(agreement)s") % {"agreement": current.title}
        body = "\n\n".join(
            part
            for part in (
                _(
                    "%(user)s has sent the draft agreement to %(police_area)s for comments "
                    "(remiss). Comment on each part of it and record the police area's "
                    "approval on the agreement's page."
                )
                % {
                    "user": user.get_full_name() or user.get_username(),
                    "police_area": current.police_area.name,
                },
                current.title,
                link,
            )
            if part
        )
    _send_mail(recipients, subject, body)
    return current


def remiss_recipients(agreement: Agreement) -> list[str]:
    """The e-mail addresses of the police of the agreement's police area (active users, units
    of the police area included). Members of further parties read the agreement but do not
    take part in the remiss, so they are not asked."""
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__organisation_id=agreement.police_area_id)
            | Q(memberships__organisation__parent_id=agreement.police_area_id),
            memberships__role=Role.POLICE,
            memberships__organisation__is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _send_mail(recipients: list[str], subject: str, body: str) -> None:
    """One message to ``recipients``, sent after the commit (:func:`core.mail.send_on_commit`)."""
    if recipients:
        send_on_commit(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))


def agreement_approve(*, agreement: Agreement, user) -> Agreement:
    return agreement_transition(agreement=agreement, user=user, to_status=AgreementStatus.APPROVED)


def agreement_return_to_draft(*, agreement: Agreement, user) -> Agreement:
    return agreement_transition(agreement=agreement, user=user, to_status=AgreementStatus.DRAFT)


def _signing_checked(
    *,
    agreement: Agreement,
    user,
    signed_on: datetime.date | Mapping[int, datetime.date],
    fingerprint: str | None,
) -> tuple[Agreement, list[Signatory]]:
    """Every rule of signing, checked without writing: the agreement (as it is now) and its
    signatories with their dates set, or a ``ValidationError`` keyed by signatory id."""
    current = _require_manager(agreement=agreement, user=user)
    if current.status != AgreementStatus.APPROVED:
        raise ValidationError(_("Only an approved agreement can be signed."))
    if fingerprint is not None and fingerprint != signing.lock_fingerprint(current):
        raise ValidationError(
            _(
                "The agreement changed after you reviewed it, so it was not signed. "
                "Check what will be locked again."
            ),
            code="changed",
        )
    signatories = list(current.signatories.all())
    if not signatories:
        raise ValidationError(_("Add the signatories before signing."))
    today = timezone.localdate()
    errors = {}
    for signatory in signatories:
        date = signed_on.get(signatory.pk) if isinstance(signed_on, Mapping) else signed_on
        if date is None:
            errors[str(signatory.pk)] = _("Enter the date %(name)s signed.") % {
                "name": signatory.name
            }
        elif date > today:
            errors[str(signatory.pk)] = _("The signing date cannot be in the future.")
        elif date < current.valid_from - datetime.timedelta(days=366):
            errors[str(signatory.pk)] = _("The signing date is too long before the period.")
        else:
            signatory.signed_on = date
    if errors:
        raise ValidationError(errors)
    return current, signatories


def agreement_sign_start(
    *,
    agreement: Agreement,
    user,
    signed_on: Mapping[int, datetime.date],
    fingerprint: str,
) -> ServiceJob:
    """Check the signing now and leave the signing itself (which prints and stores the
    signed PDF) to the task worker (:mod:`core.jobs`). Returns the job; a ``ValidationError``
    means nothing was queued. The job signs with :func:`agreement_sign`, which checks
    everything again inside its transaction."""
    with transaction.atomic():
        current, _signatories = _signing_checked(
            agreement=agreement, user=user, signed_on=signed_on, fingerprint=fingerprint
        )
    return jobs.start(
        kind="agreement_sign",
        user=user,
        target_pk=current.pk,
        title=_("Signing %(agreement)s") % {"agreement": current.title},
        params={
            "signed_on": {str(pk): day.isoformat() for pk, day in signed_on.items()},
            "fingerprint": fingerprint,
        },
        next_url=current.get_absolute_url(),
        retry_url=reverse("agreements:sign", args=[current.pk]),
    )


def agreement_sign_from_job(job: ServiceJob) -> str:
    """The task worker's half of :func:`agreement_sign_start`."""
    agreement = Agreement._base_manager.get(pk=job.target_pk)
    agreement_sign(
        agreement=agreement,
        user=job.user,
        signed_on={
            int(pk): datetime.date.fromisoformat(day) for pk, day in job.params["signed_on"].items()
        },
        fingerprint=job.params["fingerprint"],
    )
    return _("The agreement is signed.")


@transaction.atomic
def agreement_sign(
    *,
    agreement: Agreement,
    user,
    signed_on: datetime.date | Mapping[int, datetime.date],
    fingerprint: str | None = None,
) -> Agreement:
    """Sign an approved agreement.

    ``signed_on`` is one date for every signatory, or a mapping from signatory
    id to the date that signatory signed. ``fingerprint`` (from the confirmation step,
    :func:`agreements.signing.lock_fingerprint`) must still match the agreement's tree. Each signatory's date is recorded,
    the agreement becomes ``signed`` (and immutable), its PDF is stored, and the
    agreement it revises (if any) becomes ``superseded``. The web asks for it through
    :func:`agreement_sign_start` (the task worker prints the PDF).
    """
    current, signatories = _signing_checked(
        agreement=agreement, user=user, signed_on=signed_on, fingerprint=fingerprint
    )
    for signatory in signatories:
        _save(signatory)
    current.status = AgreementStatus.SIGNED
    current.signed_at = timezone.now()
    _save(current)
    try:
        signing.store_signed_pdf(agreement=current)
    except PdfError as exc:
        # Raised inside the transaction: nothing of the signing is kept.
        raise ValidationError(
            _(
                "The signed PDF could not be made, so the agreement was not signed. "
                "Try again in a moment; if it fails again, contact the system administrators."
            )
        ) from exc
    if current.revision_of_id:
        previous = Agreement._base_manager.select_for_update().get(pk=current.revision_of_id)
        if previous.status == AgreementStatus.SIGNED:
            previous.status = AgreementStatus.SUPERSEDED
            previous.save()
    agreement.refresh_from_db()
    return current


@transaction.atomic
def agreement_create_revision(*, agreement: Agreement, user) -> Agreement:
    """A new draft copying the whole tree of a signed agreement, with ``revision_of`` set."""
    current = _require_manager(agreement=agreement, user=user)
    if current.status != AgreementStatus.SIGNED:
        raise ValidationError(_("Only a signed agreement can be revised."))
    open_revision = current.revisions.exclude(
        status__in=[AgreementStatus.SIGNED, AgreementStatus.SUPERSEDED]
    ).first()
    if open_revision is not None:
        raise ValidationError(
            _("A revision is already being drafted: %(title)s.") % {"title": open_revision.title}
        )
    copied = {
        f.attname: getattr(current, f.attname)
        for f in Agreement._meta.concrete_fields
        if not f.primary_key
        and f.attname not in Agreement.LIFECYCLE_FIELDS
        and f.attname not in {"created_at", "revision_of_id", "revision_number", "reference"}
    }
    revision = Agreement(
        **copied,
        status=AgreementStatus.DRAFT,
        revision_of=current,
        revision_number=current.revision_number + 1,
    )
    _save(revision)
    for row in current.party_rows.all():
        AgreementParty(
            agreement=revision,
            organisation_id=row.organisation_id,
            position=row.position,
            short_name=row.short_name,
        ).save()

    AgreementArea.objects.set_for(revision, current.areas.all())

    focus_map: dict[int, FocusArea] = {}
    for area in current.focus_areas.all():
        old_pk = area.pk
        new = FocusArea(
            agreement=revision,
            position=area.position,
            title=area.title,
            description=area.description,
            kind=area.kind,
        )
        new.save()
        FocusAreaArea.objects.set_for(new, area.areas.all())
        focus_map[old_pk] = new
    for goal in SubGoal.objects.filter(focus_area__agreement=current):
        SubGoal(
            focus_area=focus_map[goal.focus_area_id],
            position=goal.position,
            text=goal.text,
            measured_by=goal.measured_by,
        ).save()
    for cause in Cause.objects.filter(focus_area__agreement=current):
        Cause(
            focus_area=focus_map[cause.focus_area_id], position=cause.position, text=cause.text
        ).save()
    for commitment in current.commitments.all():
        Commitment(
            agreement=revision,
            focus_area=focus_map.get(commitment.focus_area_id),
            party_id=commitment.party_id,
            position=commitment.position,
            text=commitment.text,
        ).save()
    for signatory in current.signatories.all():
        Signatory(
            agreement=revision,
            position=signatory.position,
            name=signatory.name,
            title=signatory.title,
            organisation_id=signatory.organisation_id,
            place=signatory.place,
            signed_on=None,
        ).save()
    return revision


# ---------------------------------------------------------------------------
# Items under an agreement: focus areas, sub-goals, causes, commitments, signatories
# ---------------------------------------------------------------------------


def _group_filter(item: models.Model) -> dict:
    return {field: getattr(item, field) for field in ITEM_GROUPS[type(item)]}


def next_position(item: models.Model) -> int:
    """The position after the last item of the same group."""
    top = type(item)._base_manager.filter(**_group_filter(item)).aggregate(top=Max("position"))
    return (top["top"] or 0) + 1


@transaction.atomic
def item_create(*, item: models.Model, user) -> models.Model:
    """Add an item (its parent already set) at the end of its group."""
    _require_editable(agreement=agreement_of(item), user=user)
    item.position = next_position(item)
    _save(item)
    return item


@transaction.atomic
def item_delete(*, item: models.Model, user) -> None:
    _require_editable(agreement=agreement_of(item), user=user)
    item.delete()


@transaction.atomic
def item_move(*, item: models.Model, user, direction: str) -> bool:
    """Swap the item with its neighbour above (``up``) or below (``down``). False at an end."""
    _require_editable(agreement=agreement_of(item), user=user)
    siblings = type(item)._base_manager.filter(**_group_filter(item))
    if direction == "up":
        neighbour = siblings.filter(position__lt=item.position).order_by("-position", "-pk").first()
    elif direction == "down":
        neighbour = siblings.filter(position__gt=item.position).order_by("position", "pk").first()
    else:
        raise ValidationError(_("Unknown direction."))
    if neighbour is None:
        return False
    # Position constraints are deferred, so the swap may pass through a duplicate.
    item.position, neighbour.position = neighbour.position, item.position
    item.save()
    neighbour.save()
    return True


# ---------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------


@transaction.atomic
def history_restore(*, agreement: Agreement, user, record) -> models.Model:
    """Bring an item of a draft (or an agreement under review) back to an earlier version.

    The lifecycle of the agreement is never restored: only its content.
    """
    _require_editable(agreement=agreement, user=user)
    model = record.instance_type
    if model not in RESTORABLE:
        raise ValidationError(_("This kind of change cannot be restored here."))
    restored = record.instance
    try:
        parent_agreement = agreement_of(restored)
    except ObjectDoesNotExist:
        raise ValidationError(
            _("What this belonged to has been removed since. Restore that first, then this.")
        ) from None
    if parent_agreement.pk != agreement.pk:
        raise PermissionDenied(_("You may not edit this agreement."))
    current = model._base_manager.filter(pk=restored.pk).first()
    if model is Agreement:
        for name in Agreement.LIFECYCLE_FIELDS | {"revision_of_id", "revision_number"}:
            attname = Agreement._meta.get_field(name.removesuffix("_id")).attname
            setattr(restored, attname, getattr(current, attname))
    restored._state.adding = current is None
    restored._state.db = current._state.db if current is not None else None
    if current is not None:
        restored.version = current.version
    if current is None and hasattr(restored, "position"):
        restored.position = next_position(restored) if model in ITEM_GROUPS else restored.position
    _save(restored)
    return restored


# ---------------------------------------------------------------------------
# Citizen promises
# ---------------------------------------------------------------------------


@transaction.atomic
def promise_set_partners(*, promise: CitizenPromise, user, organisations) -> CitizenPromise:
    """Name the organisations that give ``promise`` together with the agreement's parties.

    Rows are added and removed one by one (each change in the history). A partner never
    becomes a party to the agreement, and an agreement's party is not a partner.
    """
    if promise.agreement.municipality_id not in access.edits(user):
        raise PermissionDenied(_("Only the municipality's safety coordinator may do this."))
    wanted = list(dict.fromkeys(organisations))
    party_ids = promise.agreement.party_ids()
    if any(org.pk in party_ids for org in wanted):
        raise ValidationError(
            {"partners": _("A party to the agreement gives the promise as a party, not a partner.")}
        )
    current = {row.organisation_id: row for row in promise.partner_rows.all()}
    for org_id, row in current.items():
        if org_id not in {org.pk for org in wanted}:
            row.delete()
    for position, org in enumerate(wanted, start=1):
        row = current.get(org.pk) or PromisePartner(promise=promise, organisation=org)
        if row.pk is None or row.position != position:
            row.position = position
            _save(row)
    return promise


# ---------------------------------------------------------------------------
# The remiss: comments per item and the police area's approval
# ---------------------------------------------------------------------------

#: What a remiss comment may be about: the item kinds and how to find them in the agreement.
REMISS_ITEMS: dict[str, tuple[type[models.Model], str]] = {
    "focus_area": (FocusArea, "agreement"),
    "sub_goal": (SubGoal, "focus_area__agreement"),
    "commitment": (Commitment, "agreement"),
}


def _require_remiss(*, agreement: Agreement, user) -> Agreement:
    """Lock and return the agreement if ``user`` takes part in its remiss, else 403."""
    locked = (
        Agreement.objects.remiss_open_to(user).select_for_update().filter(pk=agreement.pk).first()
    )
    if locked is None:
        raise PermissionDenied(
            _("Only the police of the local police area and the coordinator comment on the draft.")
        )
    if locked.is_locked:
        raise PermissionDenied(
            _("The agreement is signed: its remiss is closed and kept in its history.")
        )
    return locked


def remiss_item(*, agreement: Agreement, key: str) -> tuple[str, models.Model | None, str]:
    """``(kind, item, label)`` for an item key such as ``focus_area:12`` or
    ``section:background``; ``ValidationError`` for anything that is not an item of
    ``agreement``."""
    kind, _sep, value = (key or "").partition(":")
    if kind == "section":
        if value not in AgreementSection.values:
            raise ValidationError({"item": _("Choose a part of the agreement.")})
        return kind, None, str(AgreementSection(value).label)
    if kind not in REMISS_ITEMS or not value.isdigit():
        raise ValidationError({"item": _("Choose a part of the agreement.")})
    model, path = REMISS_ITEMS[kind]
    item = model._base_manager.filter(pk=int(value), **{path: agreement}).first()
    if item is None:
        raise ValidationError({"item": _("Choose a part of the agreement.")})
    label = getattr(item, "title", None) or item.text
    return kind, item, str(label)[:300]


@transaction.atomic
def remiss_comment_create(*, agreement: Agreement, user, item_key: str, text: str) -> RemissComment:
    """A comment on one item of the draft, by the police of its police area or the
    coordinator, while the agreement is on remiss (or being drafted). Refused once signed."""
    current = _require_remiss(agreement=agreement, user=user)
    if current.status not in (AgreementStatus.DRAFT, AgreementStatus.REVIEW):
        raise ValidationError(
            _("The agreement is decided: send it back to draft to comment on it again.")
        )
    kind, item, label = remiss_item(agreement=current, key=item_key)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    comment = RemissComment(agreement=current, author=user, text=text, item_label=label)
    if kind == "section":
        comment.section = item_key.partition(":")[2]
    else:
        setattr(comment, kind, item)
    _save(comment)
    return comment


@transaction.atomic
def remiss_comment_resolve(
    *, comment: RemissComment, user, answer: str = "", resolved: bool = True
) -> RemissComment:
    """The coordinator answers a comment and marks it handled (or open again)."""
    if comment.agreement.municipality_id not in access.edits(user):
        raise PermissionDenied(_("Only the municipality's safety coordinator may do this."))
    _require_remiss(agreement=comment.agreement, user=user)
    current = RemissComment.objects.select_for_update().get(pk=comment.pk)
    current.answer = (answer or "").strip()
    if resolved:
        current.resolved_at = current.resolved_at or timezone.now()
        current.resolved_by = current.resolved_by or user
    else:
        current.resolved_at = current.resolved_by = None
    _save(current)
    return current


@transaction.atomic
def remiss_approve(*, agreement: Agreement, user, note: str = "") -> RemissApproval:
    """The police of the agreement's police area approve the draft as it now reads."""
    current = _require_remiss(agreement=agreement, user=user)
    if current.police_area_id not in access.reviews(user):
        raise PermissionDenied(
            _("Only the police of the local police area approve the draft for it.")
        )
    if current.status != AgreementStatus.REVIEW:
        raise ValidationError(_("Only a draft on remiss can be approved by the police."))
    approval = RemissApproval(
        agreement=current,
        police_area=current.police_area,
        approved_by=user,
        approved_at=timezone.now(),
        note=(note or "").strip(),
        content_fingerprint=signing.content_fingerprint(current),
    )
    _save(approval)
    return approval


def remiss_state(agreement: Agreement) -> dict:
    """Where the remiss stands: the latest police approval, whether it still matches the
    content, and how many comments are open. Read by the agreement page and the signing
    pages (one query each)."""
    approval = (
        RemissApproval.objects.filter(agreement=agreement, police_area=agreement.police_area_id)
        .select_related("approved_by", "police_area")
        .first()
    )
    current = approval is not None and (
        approval.content_fingerprint == signing.content_fingerprint(agreement)
    )
    return {
        "approval": approval,
        "approval_current": current,
        "open_comments": RemissComment.objects.filter(
            agreement=agreement, resolved_at__isnull=True
        ).count(),
    }


# ---------------------------------------------------------------------------
# Attachments (bilagor)
# ---------------------------------------------------------------------------


@transaction.atomic
def attachment_create(
    *, agreement: Agreement, user, title: str, upload, kind: str, sha256: str
) -> Attachment:
    """Attach a checked file (see ``agreements.forms.check_attachment``) to an open agreement,
    last in its list; stored through Django's storage API with its SHA-256."""
    _require_editable(agreement=agreement, user=user)
    top = Attachment._base_manager.filter(agreement=agreement).aggregate(top=Max("position"))
    attachment = Attachment(
        agreement=agreement,
        position=(top["top"] or 0) + 1,
        title=title,
        kind=kind,
        original_name=str(getattr(upload, "name", ""))[-255:] or "bilaga",
        size=upload.size,
        sha256=sha256,
        uploaded_by=user,
    )
    attachment.file.save(f"{sha256[:16]}.{attachment.extension}", upload, save=False)
    try:
        _save(attachment)
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, user) -> None:
    """Remove an attachment of an open agreement. The stored file is kept: the history names
    it (who attached what, with its SHA-256), and an audit may ask for it."""
    _require_editable(agreement=attachment.agreement, user=user)
    attachment.delete()
