"""The follow-up emails: the monthly deviation digest and the reminder before a report is due.

Composed here and sent by the management commands ``send_deviation_digest`` and
``send_update_reminders`` (run them from cron). Emails are written in the site's
language (Swedish).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements import access
from agreements.choices import Role
from agreements.models import Membership, tree_q
from core.choices import ReviewState

from . import selectors
from .choices import ReportStatus
from .models import FollowUpReport

DIGEST_LIMIT = 200
HANDED_IN = (ReviewState.SUBMITTED, ReviewState.APPROVED)


def _absolute(path: str) -> str:
    return getattr(settings, "SAMVERKAN_BASE_URL", "").rstrip("/") + path


def _users_with_role(role: str, org_q: Q | None = None):
    memberships = Membership.objects.filter(role=role, organisation__is_active=True)
    if org_q is not None:
        memberships = memberships.filter(org_q)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .exclude(email="")
        .order_by("pk")
    )


def deviation_digest_messages(*, today: datetime.date) -> list[EmailMessage]:
    """One email per coordinator who has deviations in what they may see."""
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        month = _("%(month)s %(year)s") % {
            "month": str(MONTHS[today.month]),
            "year": today.year,
        }
        for user in _users_with_role(Role.COORDINATOR):
            deviations = selectors.describe_deviations(
                selectors.deviating_activities(user)[:DIGEST_LIMIT]
            )
            if not deviations:
                continue
            body = render_to_string(
                "followup/email/deviation_digest.txt",
                {
                    "user": user,
                    "deviations": deviations,
                    "month": month,
                    "url": _absolute("/uppfoljning/"),
                },
            )
            subject = _("Deviations in the action plans, %(month)s") % {"month": month}
            messages.append(EmailMessage(subject, body, to=[user.email]))
    return messages


def _update_url(report, activity) -> str:
    return _absolute(reverse("followup:update-edit", args=[report.pk, activity.pk]))


def _reminder(user, entries: dict, due) -> EmailMessage:
    """One reminder to ``user``: per report the activities to write, each with a link to
    its update (``entries``: report → activities)."""
    body = render_to_string(
        "followup/email/update_reminder.txt",
        {
            "user": user,
            "reports": [
                {
                    "report": report,
                    "activities": [
                        {"activity": a, "url": _update_url(report, a)} for a in activities
                    ],
                }
                for report, activities in entries.items()
            ],
            "due": due,
        },
    )
    if due:
        subject = _("Reminder: follow-up updates due %(date)s") % {"date": date_format(due)}
    else:
        subject = _("Reminder: follow-up updates to write")
    return EmailMessage(subject, body, to=[user.email])


def update_reminder_messages(*, today: datetime.date, days: int = 7) -> list[EmailMessage]:
    """Reminders to those who owe updates for reports due in ``days`` days.

    An activity's update is owed by the reporters of the unit responsible for it (or
    having a role in it) where it has any; otherwise by the police of the agreement's
    police area when they may write it (the police lead it), otherwise by the
    municipality's coordinators. Updates already submitted or approved are not owed.
    """
    due = today + datetime.timedelta(days=days)
    reports = (
        FollowUpReport.objects.filter(due_date=due)
        .exclude(status=ReportStatus.APPROVED)
        .select_related("agreement")
        .order_by("pk")
    )
    owed: dict[int, dict] = {}
    for report in reports:
        agreement = report.agreement
        done = set(
            report.updates.filter(
                review_state__in=[ReviewState.SUBMITTED, ReviewState.APPROVED]
            ).values_list("activity_id", flat=True)
        )
        activities = [a for a in report.activities().order_by("position", "pk") if a.pk not in done]
        if not activities:
            continue
        tree = tree_q([agreement.municipality_id], "organisation__")
        reporters = list(_users_with_role(Role.REPORTER, tree))
        police = list(
            _users_with_role(Role.POLICE, tree_q([agreement.police_area_id], "organisation__"))
        )
        coordinators = list(_users_with_role(Role.COORDINATOR, tree))
        for activity in activities:
            writers = [u for u in reporters if access.reports(u, agreement, activity)]
            if not writers:
                writers = [u for u in police if access.reports(u, agreement, activity)]
            if not writers:
                writers = [u for u in coordinators if agreement.municipality_id in access.edits(u)]
            for user in writers:
                entry = owed.setdefault(user.pk, {"user": user, "reports": {}})
                entry["reports"].setdefault(report, []).append(activity)
    with translation.override(settings.LANGUAGE_CODE):
        return [_reminder(e["user"], e["reports"], due) for e in owed.values()]


def unit_reminder_messages(*, report, unit) -> list[EmailMessage]:
    """The coordinator's reminder to one unit's reporters: each gets the activities of
    ``report`` they report on that have no handed-in update, with links
    (``unit``: a :class:`followup.selectors.UnitReporting`)."""
    pending = [a for a, state in unit.activities if state not in HANDED_IN]
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in unit.reporters:
            if not user.email:
                continue
            mine = [a for a in pending if access.reports(user, report.agreement, a)]
            if mine:
                messages.append(_reminder(user, {report: mine}, report.due_date))
    return messages
