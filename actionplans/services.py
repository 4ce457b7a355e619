"""Writes of the actionplans app: keyword-only, typed, atomic, validated before saving."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max, Q
from django.utils import translation
from django.utils.translation import gettext as _

from agreements import access
from agreements.choices import Role
from agreements.models import Agreement, Organisation
from core.choices import ReviewDecision, ReviewState
from core.mail import send_on_commit
from core.models import check_version

from .choices import PlanStatus
from .models import ActionPlan, Activity, ActivityRole, Review

# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    agreement: Agreement,
    title: str,
    valid_from: datetime.date,
    valid_to: datetime.date,
    status: str = PlanStatus.DRAFT,
    adopted_on: datetime.date | None = None,
) -> ActionPlan:
    plan = ActionPlan(
        agreement=agreement,
        title=title,
        valid_from=valid_from,
        valid_to=valid_to,
        status=status,
        adopted_on=adopted_on,
    )
    plan.full_clean()
    plan.save()
    return plan


# ---------------------------------------------------------------------------
# Activities and their rows in the plan table
# ---------------------------------------------------------------------------


def next_position(plan: ActionPlan) -> int:
    top = plan.activities.aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


@transaction.atomic
def activity_save(
    *,
    activity: Activity,
    user,
    version: int | None = None,
    party_roles: dict | None = None,
    sub_goals=None,
) -> Activity:
    """Save a row of the action plan, new or changed, with the roles the parties hold in it
    and (when given) the sub-goals it serves — only the agreement's own.

    Only the municipality's coordinator changes the plan. A change is checked against the
    version the user started from (refused when someone saved in between, or when no
    version came with it); a new row goes to the end of the plan.
    """
    if activity.pk is None:
        access.require(user, activity.plan)
        activity.position = next_position(activity.plan)
    else:
        access.require(user, activity)
        check_version(activity, version)
    activity.full_clean()
    if sub_goals is not None:
        sub_goals = list(sub_goals)
        agreement_id = activity.plan.agreement_id
        if any(goal.focus_area.agreement_id != agreement_id for goal in sub_goals):
            raise ValidationError({"sub_goals": _("A sub-goal belongs to another agreement.")})
    activity.save()
    if sub_goals is not None:
        activity.sub_goals.set(sub_goals)
    for party, (role, text) in (party_roles or {}).items():
        activity_set_party_role(activity=activity, party=party, role=role, text=text)
    return activity


def activity_create(
    *, plan: ActionPlan, user, party_roles: dict | None = None, **fields
) -> Activity:
    """A new row at the end of the plan (see :func:`activity_save`)."""
    return activity_save(activity=Activity(plan=plan, **fields), user=user, party_roles=party_roles)


def _role_belongs_to(role: ActivityRole, party: Organisation) -> bool:
    org = role.organisation
    for _level in range(access.TREE_DEPTH + 1):  # the role's unit, up to the tree's root
        if org is None:
            return False
        if org.pk == party.pk:
            return True
        org = org.parent
    return False


@transaction.atomic
def activity_set_party_role(
    *, activity: Activity, party: Organisation, role: str, text: str
) -> ActivityRole | None:
    """Set the (first) role a party holds in the activity; an empty role removes it."""
    existing = [
        r
        for r in activity.roles.select_related("organisation__parent__parent__parent")
        if _role_belongs_to(r, party)
    ]
    current = existing[0] if existing else None
    if not role:
        if current is not None:
            current.delete()
        return None
    if current is None:
        current = ActivityRole(activity=activity, organisation=party)
    if current.role == role and current.text == text and current.pk:
        return current
    current.role = role
    current.text = text
    current.full_clean()
    current.save()
    return current


_NUMBERED = re.compile(r"(.*?)(\d+)")


def _codes_follow_order(this: str, other: str) -> bool:
    """Whether two codes are numbers in one series ("2.3" and "2.4", "A1" and "A2")."""
    a, b = _NUMBERED.fullmatch(this), _NUMBERED.fullmatch(other)
    return bool(a and b and a[1] == b[1] and a[2] != b[2])


@transaction.atomic
def activity_move(*, activity: Activity, direction: str) -> bool:
    """Move an activity one step up or down among the activities of its focus area.

    Codes numbered in one series stay in order: the two activities swap codes too ("2.4"
    never stands above "2.3"); both then get a new version, as an edit form open on
    either holds the old code. Returns whether the codes were renumbered.
    """
    siblings = list(
        Activity.objects.select_for_update()
        .filter(plan_id=activity.plan_id)
        .order_by("position", "pk")
    )
    # Renumber first, so that equal positions never stop a move.
    for index, sibling in enumerate(siblings, start=1):
        if sibling.position != index:
            sibling.position = index
            sibling.save(update_fields=["position", "updated_at"])
    same_group = [s for s in siblings if s.focus_area_id == activity.focus_area_id]
    index = next(i for i, s in enumerate(same_group) if s.pk == activity.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(same_group):
        return False
    this, other = same_group[index], same_group[other_index]
    this.position, other.position = other.position, this.position
    if not _codes_follow_order(this.code, other.code):
        # Only the order changes: leave the version alone, so nobody's open edit form goes
        # stale.
        this.save(update_fields=["position", "updated_at"])
        other.save(update_fields=["position", "updated_at"])
        return False
    codes = this.code, other.code
    # The codes are unique in the plan: free this one first. A raw update, without a
    # history row, on purpose: the empty code lives only inside this transaction, and the
    # save below records the real change (old code → new code) in the history.
    Activity.objects.filter(pk=this.pk).update(code="")
    other.code, this.code = codes
    other.save()
    this.save()
    return True


# ---------------------------------------------------------------------------
# Review by the community police officer
# ---------------------------------------------------------------------------


def _users_with_role(organisation_id: int, role: str):
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__organisation_id=organisation_id)
            | Q(memberships__organisation__parent_id=organisation_id),
            memberships__role=role,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _send(recipients: list[str], subject: str, body: str) -> None:
    """One message to ``recipients``, sent after the commit (:func:`core.mail.send_on_commit`)."""
    if recipients:
        send_on_commit(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))


@transaction.atomic
def activity_submit_for_review(*, activity: Activity, user, link: str = "") -> Activity:
    """The coordinator asks the community police officer to review the activity."""
    if activity.review_state == ReviewState.SUBMITTED:
        raise ValidationError(_("The activity is already awaiting review."))
    resubmission = activity.review_state == ReviewState.RETURNED
    activity.review_state = ReviewState.SUBMITTED
    activity.full_clean()
    activity.save()
    agreement = activity.plan.agreement
    recipients = list(
        _users_with_role(agreement.police_area_id, Role.POLICE).values_list("email", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        if resubmission:
            subject = _("Resubmitted for review: %(activity)s") % {"activity": activity}
            intro = _("%(user)s has made changes and resubmitted the activity for review.")
        else:
            subject = _("For review: %(activity)s") % {"activity": activity}
            intro = _("%(user)s has submitted the activity for review.")
        body = "\n\n".join(
            part
            for part in (
                intro % {"user": user.get_full_name() or user.get_username()},
                f"{activity}\n{activity.plan}",
                link,
            )
            if part
        )
    _send(recipients, subject, body)
    return activity


DECISION_STATUS = {
    ReviewDecision.APPROVED: ReviewState.APPROVED,
    ReviewDecision.RETURNED: ReviewState.RETURNED,
}


@transaction.atomic
def review_create(
    *, activity: Activity, reviewer, decision: str, comment: str = "", link: str = ""
) -> Review:
    """Record the police decision, set the activity's review status and tell the coordinator."""
    comment = (comment or "").strip()
    if not Activity.objects.reviewable_by(reviewer).filter(pk=activity.pk).exists():
        raise PermissionDenied(_("Only the police of the local police area review activities."))
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if decision in DECISION_STATUS and activity.review_state != ReviewState.SUBMITTED:
        raise ValidationError(
            {
                "decision": _(
                    "Only an activity sent for review can be approved or sent back. "
                    "Write a comment instead."
                )
            }
        )
    review = Review(activity=activity, reviewer=reviewer, decision=decision, comment=comment)
    if decision == ReviewDecision.RETURNED and not comment:
        raise ValidationError({"comment": _("Say what should be changed.")})
    review.full_clean()
    review.save()
    new_status = DECISION_STATUS.get(decision)
    if new_status and activity.review_state != new_status:
        activity.review_state = new_status
        activity.save()
    agreement = activity.plan.agreement
    recipients = list(
        _users_with_role(agreement.municipality_id, Role.COORDINATOR)
        .exclude(pk=reviewer.pk)
        .values_list("email", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(decision)s: %(activity)s") % {
            "decision": review.get_decision_display(),
            "activity": activity,
        }
        body = "\n\n".join(
            part
            for part in (
                _("%(user)s has reviewed the activity: %(decision)s.")
                % {
                    "user": reviewer.get_full_name() or reviewer.get_username(),
                    "decision": review.get_decision_display(),
                },
                f"{activity}\n{activity.plan}",
                comment,
                link,
            )
            if part
        )
    _send(recipients, subject, body)
    return review
