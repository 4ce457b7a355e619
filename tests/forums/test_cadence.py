"""Meeting series planned from a forum's cadence, in Swedish local time."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forums.choices import Frequency
from forums.models import Meeting
from forums.services import cadence_dates, meeting_series_plan

from .factories import ForumFactory, ForumSeatFactory

D = datetime.date


def test_weekly_and_biweekly_step_by_days():
    assert list(cadence_dates(Frequency.WEEKLY, D(2025, 1, 6), D(2025, 1, 27))) == [
        D(2025, 1, 6),
        D(2025, 1, 13),
        D(2025, 1, 20),
        D(2025, 1, 27),
    ]
    assert list(cadence_dates(Frequency.BIWEEKLY, D(2025, 1, 6), D(2025, 2, 2))) == [
        D(2025, 1, 6),
        D(2025, 1, 20),
    ]


def test_monthly_keeps_the_day_and_clamps_to_short_months():
    assert list(cadence_dates(Frequency.MONTHLY, D(2025, 1, 31), D(2025, 5, 31))) == [
        D(2025, 1, 31),
        D(2025, 2, 28),
        D(2025, 3, 31),
        D(2025, 4, 30),
        D(2025, 5, 31),
    ]


def test_quarterly_tertial_semiannual_and_yearly():
    start, end = D(2025, 2, 15), D(2026, 2, 15)
    assert list(cadence_dates(Frequency.QUARTERLY, start, end)) == [
        D(2025, 2, 15),
        D(2025, 5, 15),
        D(2025, 8, 15),
        D(2025, 11, 15),
        D(2026, 2, 15),
    ]
    assert len(list(cadence_dates(Frequency.TERTIAL, start, end))) == 4
    assert len(list(cadence_dates(Frequency.SEMIANNUAL, start, end))) == 3
    assert list(cadence_dates(Frequency.YEARLY, start, end)) == [start, D(2026, 2, 15)]


def test_as_needed_has_no_series():
    with pytest.raises(ValidationError):
        list(cadence_dates(Frequency.AS_NEEDED, D(2025, 1, 1), D(2025, 12, 31)))


def test_series_keeps_local_time_across_summer_time(db):
    forum = ForumFactory(frequency=Frequency.MONTHLY)
    ForumSeatFactory(forum=forum)
    created = meeting_series_plan(
        forum=forum,
        starts_on=D(2025, 2, 10),
        ends_on=D(2025, 4, 10),
        start_time=datetime.time(10, 0),
        duration_minutes=90,
        place="Stadshuset",
    )
    local = [timezone.localtime(m.starts_at) for m in created]
    assert [(t.date(), t.hour, t.minute) for t in local] == [
        (D(2025, 2, 10), 10, 0),
        (D(2025, 3, 10), 10, 0),
        (D(2025, 4, 10), 10, 0),
    ]
    # 10:00 in Stockholm is 09:00 UTC in winter, 08:00 UTC in summer.
    assert [m.starts_at.astimezone(datetime.UTC).hour for m in created] == [9, 9, 8]
    assert all(m.ends_at - m.starts_at == datetime.timedelta(minutes=90) for m in created)


def test_planning_the_same_series_twice_creates_nothing_new(db):
    forum = ForumFactory(frequency=Frequency.WEEKLY)
    ForumSeatFactory(forum=forum)
    kwargs = dict(
        forum=forum,
        starts_on=D(2025, 9, 1),
        ends_on=D(2025, 9, 30),
        start_time=datetime.time(8, 30),
        duration_minutes=60,
    )
    assert len(meeting_series_plan(**kwargs)) == 5
    assert meeting_series_plan(**kwargs) == []
    assert forum.meetings.count() == 5


def test_a_forum_without_seats_gets_no_series(db):
    forum = ForumFactory()
    with pytest.raises(ValidationError, match="inga platser|no seats"):
        meeting_series_plan(
            forum=forum,
            starts_on=D(2025, 1, 1),
            ends_on=D(2025, 12, 31),
            start_time=datetime.time(9, 0),
            duration_minutes=60,
        )
    assert not Meeting.objects.exists()


def test_coordinator_plans_a_series_in_the_browser(coordinator_client, forums):
    url = reverse("forums:meeting-series", args=[forums.forum.pk])
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(
        url,
        {
            "frequency": Frequency.QUARTERLY,
            "starts_on": "2026-01-15",
            "ends_on": "2026-12-31",
            "start_time": "13:00",
            "duration_minutes": "120",
            "place": "Rådhuset",
        },
    )
    assert response.status_code == 302
    created = forums.forum.meetings.filter(place="Rådhuset").order_by("starts_at")
    assert [timezone.localtime(m.starts_at).date() for m in created] == [
        D(2026, 1, 15),
        D(2026, 4, 15),
        D(2026, 7, 15),
        D(2026, 10, 15),
    ]


def test_series_form_refuses_a_backwards_period_in_swedish(coordinator_client, forums):
    before = Meeting.objects.count()
    response = coordinator_client.post(
        reverse("forums:meeting-series", args=[forums.forum.pk]),
        {
            "frequency": Frequency.MONTHLY,
            "starts_on": "2026-06-01",
            "ends_on": "2026-01-01",
            "start_time": "13:00",
            "duration_minutes": "60",
        },
    )
    assert response.status_code == 200
    assert "Perioden måste sluta efter att den börjar." in response.content.decode()
    assert Meeting.objects.count() == before


def test_series_for_a_forum_without_seats_says_so(coordinator_client, world):
    forum = ForumFactory(municipality=world.municipality)
    response = coordinator_client.post(
        reverse("forums:meeting-series", args=[forum.pk]),
        {
            "frequency": Frequency.MONTHLY,
            "starts_on": "2026-01-01",
            "ends_on": "2026-06-01",
            "start_time": "13:00",
            "duration_minutes": "60",
        },
    )
    assert response.status_code == 200
    assert "Forumet har inga platser under perioden" in response.content.decode()
    assert not forum.meetings.exists()
