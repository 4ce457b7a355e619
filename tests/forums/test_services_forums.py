"""forums.services at the edges: dates a series lands on, the minutes, attendance, calendar secrets.

Written against the mutants `make mutants` left alive; each test pins what a coordinator
would notice (the meetings created, the decisions in the minutes and the message beside
the field, the attendance rows stored, whether a calendar address works).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from forums import services
from forums.choices import Frequency
from forums.models import Attendance, CalendarToken, MeetingDecision

from .factories import ForumFactory, ForumSeatFactory, MeetingFactory

D = datetime.date


def test_a_month_ahead_keeps_the_day_or_takes_the_last_day_of_a_shorter_month():
    assert services.add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert services.add_months(D(2025, 1, 15), 13) == D(2026, 2, 15)
    assert services.add_months(D(2025, 2, 28), 1, anchor_day=31) == D(2025, 3, 31)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_an_empty_decision_is_refused_beside_the_text_field(forums, text):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.decision_add(meeting=forums.meeting, text=text)
    assert refused.value.message_dict == {"text": ["Write the decision."]}
    assert not MeetingDecision.objects.exists()


def test_decisions_are_numbered_in_the_order_they_are_added(forums):
    first = services.decision_add(meeting=forums.meeting, text="  Ta fram en lägesbild  ")
    second = services.decision_add(meeting=forums.meeting, text="Bjud in räddningstjänsten")
    stored = list(forums.meeting.decisions.order_by("position").values_list("position", "text"))
    assert stored == [(1, "Ta fram en lägesbild"), (2, "Bjud in räddningstjänsten")]
    assert (first.position, second.position) == (1, 2)


def test_a_series_for_a_forum_meeting_as_needed_is_refused_beside_the_frequency():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        list(services.cadence_dates(Frequency.AS_NEEDED, D(2025, 1, 1), D(2025, 12, 31)))
    assert refused.value.message_dict == {
        "frequency": ["Meetings held as needed cannot be planned as a series."]
    }


def _refusal(**kwargs):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.attendance_record(**kwargs)
    return refused.value.messages


def test_attendance_is_refused_for_a_cancelled_or_future_meeting_and_says_why(forums):
    everyone = {forums.municipal_seat.pk: True, forums.police_seat.pk: True}
    cancelled = MeetingFactory(forum=forums.forum, cancelled=True)
    future = MeetingFactory(
        forum=forums.forum, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    assert _refusal(meeting=cancelled, presence=everyone) == [
        "The meeting was cancelled; no attendance can be recorded."
    ]
    assert _refusal(meeting=future, presence=everyone) == ["The meeting has not taken place yet."]
    assert not Attendance.objects.exists()


def test_attendance_is_kept_for_the_seats_active_on_the_meeting_day(forums, world):
    meeting = forums.meeting
    day = meeting.local_date
    ForumSeatFactory(
        forum=forums.forum,
        organisation=world.municipality,
        function="Tidigare rektor",
        active_until=day - datetime.timedelta(days=1),
    )
    ForumSeatFactory(
        forum=forums.forum,
        organisation=world.municipality,
        function="Kommande rektor",
        active_from=day + datetime.timedelta(days=1),
    )
    municipal, police = forums.municipal_seat, forums.police_seat
    services.attendance_record(meeting=meeting, presence={municipal.pk: True, police.pk: False})
    rows = {
        (a.seat_id, a.organisation_id, a.person, a.present)
        for a in Attendance.objects.filter(meeting=meeting)
    }
    assert rows == {
        (municipal.pk, world.municipality.pk, "Trygghetssamordnare", True),
        (police.pk, world.police_area.pk, "Kommunpolis", False),
    }


def test_recording_attendance_again_changes_only_what_changed(forums):
    meeting = forums.meeting
    municipal, police = forums.municipal_seat, forums.police_seat
    services.attendance_record(meeting=meeting, presence={municipal.pk: True, police.pk: True})
    before = {a.seat_id: a.updated_at for a in meeting.attendances.all()}
    saved = services.attendance_record(
        meeting=meeting, presence={municipal.pk: True, police.pk: False}
    )
    assert sorted((a.seat_id, a.present) for a in saved) == sorted(
        [(municipal.pk, True), (police.pk, False)]
    )
    after = {a.seat_id: (a.present, a.updated_at) for a in meeting.attendances.all()}
    assert after[municipal.pk] == (True, before[municipal.pk])
    assert after[police.pk][0] is False
    assert meeting.attendances.count() == 2


def test_attendance_names_what_is_wrong_with_the_seats_given(forums, world):
    meeting = forums.meeting
    ended = ForumSeatFactory(
        forum=forums.forum,
        organisation=world.municipality,
        active_until=meeting.local_date - datetime.timedelta(days=1),
    )
    municipal, police = forums.municipal_seat.pk, forums.police_seat.pk
    assert _refusal(meeting=meeting, presence={municipal: True, police: True, ended.pk: True}) == [
        "Attendance can only be recorded for the seats of this forum on the meeting day."
    ]
    assert _refusal(meeting=meeting, presence={municipal: True}) == [
        "State for every seat whether it was present."
    ]
    seatless = MeetingFactory(forum=ForumFactory(municipality=world.municipality))
    assert _refusal(meeting=seatless, presence={}) == [
        "The forum had no seats on the day of the meeting, so there is no attendance to record. "
        "Add the forum's seats first."
    ]
    assert not Attendance.objects.exists()


def test_a_calendar_secret_finds_its_active_user_once_and_notes_the_use(coordinator, staff):
    token = services.calendar_token_create(user=coordinator)
    services.calendar_token_create(user=staff)
    assert CalendarToken.objects.get(user=coordinator).last_used_at is None
    assert services.calendar_token_user(token) == coordinator
    assert CalendarToken.objects.get(user=coordinator).last_used_at is not None
    assert CalendarToken.objects.get(user=staff).last_used_at is None
    assert services.calendar_token_user("") is None
    assert services.calendar_token_user(token + "x") is None


def test_revoking_a_calendar_address_says_whether_there_was_one(coordinator):
    assert services.calendar_token_revoke(user=coordinator) is False
    token = services.calendar_token_create(user=coordinator)
    assert services.calendar_token_revoke(user=coordinator) is True
    assert services.calendar_token_user(token) is None


def _plan(forum, starts_on, ends_on, **kwargs):
    kwargs = {"start_time": datetime.time(9, 0), "duration_minutes": 60, **kwargs}
    return services.meeting_series_plan(forum=forum, starts_on=starts_on, ends_on=ends_on, **kwargs)


def _series_refusal(*args, **kwargs):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _plan(*args, **kwargs)
    return (
        refused.value.message_dict
        if hasattr(refused.value, "error_dict")
        else refused.value.messages
    )


def test_a_series_is_refused_for_a_backwards_period_or_no_duration_beside_the_field(db):
    forum = ForumFactory(frequency=Frequency.WEEKLY)
    ForumSeatFactory(forum=forum)
    assert _series_refusal(forum, D(2025, 3, 2), D(2025, 3, 1)) == {
        "ends_on": ["The period must end after it starts."]
    }
    assert _series_refusal(forum, D(2025, 3, 1), D(2025, 3, 31), duration_minutes=0) == {
        "duration_minutes": ["The meeting must end after it starts."]
    }
    assert not forum.meetings.exists()
    [one] = _plan(forum, D(2025, 3, 1), D(2025, 3, 1), duration_minutes=1, place="Polishuset")
    assert (one.ends_at - one.starts_at, one.place) == (datetime.timedelta(minutes=1), "Polishuset")


def test_at_most_156_meetings_are_planned_at_once(db):
    forum = ForumFactory(frequency=Frequency.WEEKLY)
    ForumSeatFactory(forum=forum)
    start = D(2025, 1, 6)
    assert _series_refusal(forum, start, start + datetime.timedelta(weeks=156)) == {
        "ends_on": ["At most 156 meetings can be planned at once; shorten the period."]
    }
    assert not forum.meetings.exists()
    assert len(_plan(forum, start, start + datetime.timedelta(weeks=155))) == 156


def test_a_series_needs_a_seat_active_during_the_period(db):
    forum = ForumFactory(frequency=Frequency.MONTHLY)
    ForumSeatFactory(forum=forum, active_until=D(2024, 12, 31))
    ForumSeatFactory(forum=forum, active_from=D(2026, 1, 1))
    assert _series_refusal(forum, D(2025, 1, 1), D(2025, 12, 31)) == [
        "The forum has no seats during this period, so attendance could not be recorded. "
        "Add the seats first."
    ]
    ForumSeatFactory(forum=forum, active_from=D(2025, 12, 31), active_until=D(2026, 6, 30))
    assert len(_plan(forum, D(2025, 1, 1), D(2025, 12, 31))) == 12
    ending = ForumFactory(frequency=Frequency.MONTHLY)
    ForumSeatFactory(forum=ending, active_from=D(2024, 6, 1), active_until=D(2025, 1, 1))
    assert len(_plan(ending, D(2025, 1, 1), D(2025, 2, 2))) == 2


def test_a_series_follows_the_frequency_given_over_the_forums_own(db):
    forum = ForumFactory(frequency=Frequency.MONTHLY)
    ForumSeatFactory(forum=forum)
    assert len(_plan(forum, D(2025, 1, 6), D(2025, 1, 27), frequency=Frequency.WEEKLY)) == 4
    monthly = _plan(forum, D(2025, 2, 6), D(2025, 4, 27))
    assert [(m.local_date, m.place) for m in monthly] == [
        (D(2025, 2, 6), ""),
        (D(2025, 3, 6), ""),
        (D(2025, 4, 6), ""),
    ]


def test_a_series_fills_in_around_a_meeting_already_planned(db):
    forum = ForumFactory(frequency=Frequency.WEEKLY)
    ForumSeatFactory(forum=forum)
    [middle] = _plan(forum, D(2025, 9, 8), D(2025, 9, 8))
    created = _plan(forum, D(2025, 9, 1), D(2025, 9, 30))
    assert [m.local_date for m in created] == [
        D(2025, 9, 1),
        D(2025, 9, 15),
        D(2025, 9, 22),
        D(2025, 9, 29),
    ]
    assert forum.meetings.count() == 5 and middle.pk not in {m.pk for m in created}
