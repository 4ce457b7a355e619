"""Writes of the forums app: meeting series, attendance, decisions and calendar subscriptions.

Every function is keyword-only, atomic and validates with ``full_clean()`` before
saving. Bad input raises :class:`~django.core.exceptions.ValidationError` with a
translated message and changes nothing.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import secrets
from collections.abc import Iterator, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import Frequency
from .models import Attendance, CalendarToken, Forum, ForumSeat, Meeting, MeetingDecision

#: The longest series planned in one go (three years of weekly meetings).
MAX_SERIES_MEETINGS = 156

_DAYS = {Frequency.WEEKLY: 7, Frequency.BIWEEKLY: 14}
_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.BIMONTHLY: 2,
    Frequency.QUARTERLY: 3,
    Frequency.TERTIAL: 4,
    Frequency.SEMIANNUAL: 6,
    Frequency.YEARLY: 12,
}


def add_months(day: datetime.date, months: int, *, anchor_day: int | None = None) -> datetime.date:
    """``day`` moved ``months`` ahead, on ``anchor_day`` or the month's last day if shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(anchor_day or day.day, last))


def cadence_dates(
    frequency: str, starts_on: datetime.date, ends_on: datetime.date
) -> Iterator[datetime.date]:
    """The dates from ``starts_on`` to ``ends_on`` (inclusive) a forum with ``frequency`` meets.

    Weekly cadences step by days; monthly ones keep the day of the month of
    ``starts_on`` (the 31st becomes the last day of shorter months).
    """
    if frequency in _DAYS:
        step = datetime.timedelta(days=_DAYS[frequency])
        day = starts_on
        while day <= ends_on:
            yield day
            day += step
        return
    if frequency in _MONTHS:
        months, n = _MONTHS[frequency], 0
        day = starts_on
        while day <= ends_on:
            yield day
            n += 1
            day = add_months(starts_on, months * n, anchor_day=starts_on.day)
        return
    raise ValidationError(
        {"frequency": _("Meetings held as needed cannot be planned as a series.")}
    )


def local_datetime(day: datetime.date, at: datetime.time) -> datetime.datetime:
    """``day`` at ``at`` local (Swedish) time, as an aware datetime (summer time handled)."""
    return datetime.datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


def seats_active_between(
    forum: Forum, starts_on: datetime.date, ends_on: datetime.date
) -> list[ForumSeat]:
    return list(
        forum.seats.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=ends_on),
            Q(active_until__isnull=True) | Q(active_until__gte=starts_on),
        )
    )


@transaction.atomic
def meeting_series_plan(
    *,
    forum: Forum,
    starts_on: datetime.date,
    ends_on: datetime.date,
    start_time: datetime.time,
    duration_minutes: int,
    frequency: str | None = None,
    place: str = "",
) -> list[Meeting]:
    """Create the meetings of ``forum`` from ``starts_on`` to ``ends_on`` at its cadence.

    Dates on which the forum already has a meeting at the same time are skipped,
    so planning the same series twice creates nothing new.
    """
    frequency = frequency or forum.frequency
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The period must end after it starts.")})
    if duration_minutes <= 0:
        raise ValidationError({"duration_minutes": _("The meeting must end after it starts.")})
    if not seats_active_between(forum, starts_on, ends_on):
        raise ValidationError(
            _(
                "The forum has no seats during this period, so attendance could not be "
                "recorded. Add the seats first."
            )
        )
    days = list(cadence_dates(frequency, starts_on, ends_on))
    if len(days) > MAX_SERIES_MEETINGS:
        raise ValidationError(
            {
                "ends_on": _("At most %(max)d meetings can be planned at once; shorten the period.")
                % {"max": MAX_SERIES_MEETINGS}
            }
        )
    starts = [local_datetime(day, start_time) for day in days]
    existing = set(forum.meetings.filter(starts_at__in=starts).values_list("starts_at", flat=True))
    created = []
    duration = datetime.timedelta(minutes=duration_minutes)
    for start in starts:
        if start in existing:
            continue
        meeting = Meeting(forum=forum, starts_at=start, ends_at=start + duration, place=place)
        meeting.full_clean()
        meeting.save()
        created.append(meeting)
    return created


@transaction.atomic
def attendance_record(*, meeting: Meeting, presence: Mapping[int, bool]) -> list[Attendance]:
    """Record who attended ``meeting``: ``presence`` maps each expected seat's id to present.

    Refused (nothing saved) for a cancelled or future meeting, a meeting without
    seats expected on its date, a seat of another forum, or a seat left out.
    """
    if meeting.cancelled:
        raise ValidationError(_("The meeting was cancelled; no attendance can be recorded."))
    if not meeting.is_past:
        raise ValidationError(_("The meeting has not taken place yet."))
    day = meeting.local_date
    seats = {
        seat.pk: seat
        for seat in meeting.forum.seats.select_related("organisation")
        if seat.is_active_on(day)
    }
    if not seats:
        raise ValidationError(
            _(
                "The forum had no seats on the day of the meeting, so there is no attendance "
                "to record. Add the forum's seats first."
            )
        )
    foreign = set(presence) - set(seats)
    if foreign:
        raise ValidationError(
            _("Attendance can only be recorded for the seats of this forum on the meeting day.")
        )
    missing = set(seats) - set(presence)
    if missing:
        raise ValidationError(_("State for every seat whether it was present."))
    existing = {a.seat_id: a for a in meeting.attendances.filter(seat_id__in=list(seats))}
    saved = []
    for seat_id, seat in seats.items():
        present = bool(presence[seat_id])
        row = existing.get(seat_id)
        if row is None:
            row = Attendance(
                meeting=meeting,
                seat=seat,
                organisation=seat.organisation,
                person=seat.function,
                present=present,
            )
        elif row.present == present:
            saved.append(row)
            continue
        else:
            row.present = present
        row.full_clean()
        row.save()
        saved.append(row)
    return saved


@transaction.atomic
def decision_add(*, meeting: Meeting, text: str) -> MeetingDecision:
    """Append a decision to the meeting's minutes."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the decision.")})
    last = meeting.decisions.aggregate(last=Max("position"))["last"] or 0
    decision = MeetingDecision(meeting=meeting, position=last + 1, text=text)
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def decision_delete(*, decision: MeetingDecision) -> None:
    decision.delete()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_token_create(*, user) -> str:
    """Give ``user`` a new secret calendar address (replacing any old one); returns the secret.

    Only the hash is stored, so the secret can be shown once and never again.
    """
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.filter(user=user).delete()
    CalendarToken.objects.create(user=user, token_hash=_hash(token))
    return token


@transaction.atomic
def calendar_token_revoke(*, user) -> bool:
    """Revoke the user's calendar address; True if there was one."""
    deleted, _rows = CalendarToken.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_token_user(token: str):
    """The active user a calendar secret belongs to, or None. Marks the token as used."""
    if not token or len(token) > 100:
        return None
    row = (
        CalendarToken.objects.select_related("user")
        .filter(token_hash=_hash(token), user__is_active=True)
        .first()
    )
    if row is None:
        return None
    CalendarToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user
