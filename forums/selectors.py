"""Reads of the forums app; each takes the user and shows only what the user may see.

Representation (närvaro) is measured like this, for a forum and a period:

* a meeting counts when it is **held** — not cancelled, already begun, within
  the period — and its attendance has been **recorded** (held meetings whose
  attendance nobody has recorded are counted separately, not as absences);
* a **seat** is expected at a counted meeting when it is required and active on
  the meeting's date; its rate is *meetings it attended / meetings it was expected at*;
* a **party** (the seat's organisation; a förvaltning or avdelning counts for the
  organisation it belongs to) is expected when at least one of its required seats
  is; it is represented when anyone from it was present. Its rate is *meetings
  represented / meetings expected*.

A rate below the threshold (setting ``SAMVERKAN_ATTENDANCE_THRESHOLD``, default
0.75) is a warning: the agreements promise that each party can expect the other
to be represented.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils import timezone

from agreements.choices import OrganisationKind
from agreements.models import Agreement, Organisation

from .models import Attendance, Forum, ForumSeat, Meeting

DEFAULT_THRESHOLD = 0.75


def attendance_threshold() -> float:
    return float(getattr(settings, "SAMVERKAN_ATTENDANCE_THRESHOLD", DEFAULT_THRESHOLD))


def format_percent(rate: float | None) -> str:
    """A share as Swedish percent, whole numbers rounded half up: 2/3 → "67 %"."""
    if rate is None:
        return "–"
    value = (Decimal(str(rate)) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{value} %"


def party_of(organisation: Organisation) -> Organisation:
    """The party an organisation sends for: a förvaltning or avdelning counts for its kommun."""
    node = organisation
    while node.kind == OrganisationKind.DEPARTMENT and node.parent_id is not None:
        node = node.parent
    return node


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The twelve months up to and including today."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=364), today


# ---------------------------------------------------------------------------
# Lists, tree and detail
# ---------------------------------------------------------------------------


def forum_list(*, user):
    return (
        Forum.objects.visible_to(user)
        .select_related("municipality", "parent")
        .annotate(seat_count=Count("seats"))
    )


@dataclass
class TreeNode:
    forum: Forum
    children: list[TreeNode] = field(default_factory=list)


@dataclass
class MunicipalityTree:
    municipality: Organisation
    roots: list[TreeNode]
    has_statutory_council: bool


def forum_tree(*, user, municipality_id: int | None = None) -> list[MunicipalityTree]:
    """Each municipality's forums as a tree (KUG over its KSGs), in one query."""
    forums = (
        Forum.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("municipality", "convener")
    )
    if municipality_id:
        forums = forums.filter(municipality_id=municipality_id)
    forums = list(forums.order_by("municipality__name", "name"))
    nodes = {f.pk: TreeNode(f) for f in forums}
    per_municipality: dict[int, list[TreeNode]] = defaultdict(list)
    municipalities: dict[int, Organisation] = {}
    for f in forums:
        municipalities[f.municipality_id] = f.municipality
        parent = nodes.get(f.parent_id)
        if parent is not None and parent.forum.municipality_id == f.municipality_id:
            parent.children.append(nodes[f.pk])
        else:
            per_municipality[f.municipality_id].append(nodes[f.pk])

    def council_first(node: TreeNode):
        return (not node.forum.is_statutory_council, node.forum.name)

    result = []
    for mun_id, roots in per_municipality.items():
        roots.sort(key=council_first)
        result.append(
            MunicipalityTree(
                municipality=municipalities[mun_id],
                roots=roots,
                has_statutory_council=any(
                    f.is_statutory_council for f in forums if f.municipality_id == mun_id
                ),
            )
        )
    result.sort(key=lambda t: t.municipality.name)
    return result


def forum_detail_queryset(*, user):
    return Forum.objects.visible_to(user).select_related("municipality", "parent")


def forum_related(*, user, forum: Forum, limit: int = 10) -> dict:
    """What a forum page shows besides the forum itself, each list bounded and access-scoped."""
    now = timezone.now()
    meetings = forum.meetings.annotate(
        decision_count=Count("decisions", distinct=True),
        attendance_count=Count("attendances", distinct=True),
    )
    return {
        "seats": list(
            forum.seats.select_related("organisation", "organisation__parent").order_by(
                "position", "pk"
            )
        ),
        "children": list(forum.children.visible_to(user).order_by("name")),
        "agreements": list(
            forum.agreements.visible_to(user).select_related("municipality", "police_area")
        ),
        "activities": list(
            forum.activities.visible_to(user).select_related("plan", "responsible")[:50]
        ),
        "activity_count": forum.activities.visible_to(user).count(),
        "reports": list(forum.reports.visible_to(user).select_related("agreement")[:50]),
        "upcoming_meetings": list(meetings.filter(starts_at__gt=now).order_by("starts_at")[:limit]),
        "past_meetings": list(meetings.filter(starts_at__lte=now).order_by("-starts_at")[:limit]),
        "meeting_count": forum.meetings.count(),
    }


def meeting_detail_queryset(*, user):
    return Meeting.objects.visible_to(user).select_related("forum", "forum__municipality")


def meeting_related(*, meeting: Meeting) -> dict:
    day = meeting.local_date
    seats = [
        s
        for s in meeting.forum.seats.select_related("organisation").order_by("position", "pk")
        if s.is_active_on(day)
    ]
    attendances = list(
        meeting.attendances.select_related("seat", "organisation").order_by("seat__position", "pk")
    )
    by_seat = {a.seat_id: a for a in attendances if a.seat_id}
    return {
        "decisions": list(meeting.decisions.all()),
        "attendance_rows": [(seat, by_seat.get(seat.pk)) for seat in seats],
        "other_attendances": [a for a in attendances if a.seat_id not in {s.pk for s in seats}],
        "attendance_recorded": bool(attendances),
    }


def meetings_for_calendar(*, user, forum: Forum | None = None):
    """Meetings for an iCalendar feed: the last year and everything ahead."""
    since = timezone.now() - datetime.timedelta(days=366)
    meetings = Meeting.objects.visible_to(user).filter(starts_at__gte=since, forum__is_active=True)
    if forum is not None:
        meetings = meetings.filter(forum=forum)
    return meetings.select_related("forum").order_by("starts_at")[:2000]


def visible_agreements_for_forms(*, user):
    return Agreement.objects.visible_to(user)


# ---------------------------------------------------------------------------
# Representation
# ---------------------------------------------------------------------------


@dataclass
class Rate:
    """Attended / expected, with the arithmetic kept for display."""

    label: str
    attended: int = 0
    expected: int = 0
    threshold: float = DEFAULT_THRESHOLD
    organisation: Organisation | None = None
    seat: ForumSeat | None = None

    @property
    def rate(self) -> float | None:
        return self.attended / self.expected if self.expected else None

    @property
    def percent(self) -> str:
        return format_percent(self.rate)

    @property
    def below(self) -> bool:
        return self.rate is not None and self.rate < self.threshold


@dataclass
class Representation:
    forum: Forum
    start: datetime.date
    end: datetime.date
    threshold: float
    held: int = 0
    unrecorded: int = 0
    parties: list[Rate] = field(default_factory=list)
    seats: list[Rate] = field(default_factory=list)

    @property
    def threshold_percent(self) -> str:
        return format_percent(self.threshold)

    @property
    def warnings(self) -> list[Rate]:
        return [p for p in self.parties if p.below]

    @property
    def recorded(self) -> int:
        return self.held - self.unrecorded


def representation_for_forums(
    forums: Iterable[Forum],
    *,
    start: datetime.date,
    end: datetime.date,
    threshold: float | None = None,
    now: datetime.datetime | None = None,
) -> dict[int, Representation]:
    """Attendance rates per party and required seat for each forum, in three queries."""
    forums = list(forums)
    threshold = attendance_threshold() if threshold is None else threshold
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    start_dt = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    end_dt = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    ids = [f.pk for f in forums]
    seats_by_forum: dict[int, list[ForumSeat]] = defaultdict(list)
    for seat in (
        ForumSeat.objects.filter(forum_id__in=ids, required=True)
        .select_related("organisation__parent__parent")
        .order_by("forum_id", "position", "pk")
    ):
        seats_by_forum[seat.forum_id].append(seat)
    held = list(
        Meeting.objects.filter(
            forum_id__in=ids,
            cancelled=False,
            starts_at__gte=start_dt,
            starts_at__lt=end_dt,
            starts_at__lte=now,
        )
        .order_by("starts_at")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("organisation__parent__parent"),
            )
        )
    )
    result = {
        f.pk: Representation(forum=f, start=start, end=end, threshold=threshold) for f in forums
    }
    party_rates: dict[int, dict[int, Rate]] = defaultdict(dict)
    seat_rates: dict[int, dict[int, Rate]] = defaultdict(dict)
    for forum_id, seats in seats_by_forum.items():
        for seat in seats:
            seat_rates[forum_id][seat.pk] = Rate(
                label=str(seat), threshold=threshold, seat=seat, organisation=seat.organisation
            )
            party = party_of(seat.organisation)
            party_rates[forum_id].setdefault(
                party.pk, Rate(label=str(party), threshold=threshold, organisation=party)
            )
    for meeting in held:
        rep = result[meeting.forum_id]
        rep.held += 1
        rows = list(meeting.attendances.all())
        if not rows:
            rep.unrecorded += 1
            continue
        day = timezone.localtime(meeting.starts_at, tz).date()
        present_seats = {a.seat_id for a in rows if a.present and a.seat_id}
        present_parties = {party_of(a.organisation).pk for a in rows if a.present}
        expected_parties = set()
        for seat in seats_by_forum.get(meeting.forum_id, []):
            if not seat.is_active_on(day):
                continue
            rate = seat_rates[meeting.forum_id][seat.pk]
            rate.expected += 1
            rate.attended += seat.pk in present_seats
            expected_parties.add(party_of(seat.organisation).pk)
        for party_id in expected_parties:
            rate = party_rates[meeting.forum_id][party_id]
            rate.expected += 1
            rate.attended += party_id in present_parties
    for forum_id, rep in result.items():
        rep.seats = list(seat_rates[forum_id].values())
        rep.parties = sorted(party_rates[forum_id].values(), key=lambda r: r.label)
    return result


def representation_warnings(*, user, start=None, end=None) -> list[tuple[Forum, list[Rate]]]:
    """Forums the user may see where a party fell below the threshold in the period."""
    if start is None or end is None:
        start, end = default_period()
    forums = list(
        Forum.objects.visible_to(user)
        .filter(is_active=True)
        .filter(Exists(Meeting.objects.filter(forum=OuterRef("pk"), starts_at__lte=timezone.now())))
        .select_related("municipality")
    )
    reps = representation_for_forums(forums, start=start, end=end)
    return [(rep.forum, rep.warnings) for rep in reps.values() if rep.warnings]
