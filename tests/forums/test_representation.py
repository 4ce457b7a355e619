"""Attendance rates per party and required seat, on hand-made data, and the warnings."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.choices import OrganisationKind
from forums.selectors import format_percent, representation_for_forums
from tests.factories import OrganisationFactory

from .factories import AttendanceFactory, ForumSeatFactory, MeetingFactory

D = datetime.date


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


@pytest.fixture
def history(forums):
    """Five meetings of A's forum in the last months, plus ones that must not count.

    Police present at 2 of 3 recorded meetings; municipality at all 3.
    """
    f = forums.forum
    forums.meeting.delete()
    recorded = [MeetingFactory(forum=f, starts_at=days_ago(d)) for d in (90, 60, 30)]
    for meeting, police_present in zip(recorded, (True, False, True), strict=True):
        AttendanceFactory(meeting=meeting, seat=forums.municipal_seat, present=True)
        AttendanceFactory(meeting=meeting, seat=forums.police_seat, present=police_present)
    MeetingFactory(forum=f, starts_at=days_ago(20))  # held, attendance not recorded
    cancelled = MeetingFactory(forum=f, starts_at=days_ago(45), cancelled=True)
    AttendanceFactory(meeting=cancelled, seat=forums.police_seat, present=False)
    MeetingFactory(forum=f, starts_at=timezone.now() + datetime.timedelta(days=10))  # future
    MeetingFactory(forum=f, starts_at=days_ago(500))  # before the period
    return forums


def rep_for(forum, start=None, end=None, **kwargs):
    today = timezone.localdate()
    start = start or today - datetime.timedelta(days=364)
    end = end or today
    return representation_for_forums([forum], start=start, end=end, **kwargs)[forum.pk]


def test_rate_is_attended_over_held_recorded_meetings(history):
    rep = rep_for(history.forum)
    assert rep.held == 4
    assert rep.unrecorded == 1
    parties = {r.organisation.pk: r for r in rep.parties}
    police = parties[history.police_seat.organisation_id]
    municipality = parties[history.municipal_seat.organisation_id]
    assert (police.attended, police.expected, police.percent) == (2, 3, "67 %")
    assert (municipality.attended, municipality.expected, municipality.percent) == (3, 3, "100 %")
    seats = {r.seat.pk: r for r in rep.seats}
    assert (seats[history.police_seat.pk].attended, seats[history.police_seat.pk].expected) == (
        2,
        3,
    )
    assert police.below and not municipality.below
    assert [w.organisation.pk for w in rep.warnings] == [history.police_seat.organisation_id]


def test_threshold_setting_moves_the_warning(history, settings):
    settings.SAMVERKAN_ATTENDANCE_THRESHOLD = 0.6
    assert rep_for(history.forum).warnings == []


def test_the_period_limits_the_meetings_counted(history):
    today = timezone.localdate()
    rep = rep_for(history.forum, start=today - datetime.timedelta(days=40), end=today)
    police = next(r for r in rep.parties if r.organisation == history.police_seat.organisation)
    assert (police.attended, police.expected) == (1, 1)


def test_a_seat_is_expected_only_while_active(history):
    seat = history.police_seat
    seat.active_from = timezone.localdate() - datetime.timedelta(days=45)
    seat.save()
    police = next(r for r in rep_for(history.forum).seats if r.seat == seat)
    assert (police.attended, police.expected) == (1, 1)


def test_optional_seats_are_not_measured_and_departments_count_for_their_party(forums, world):
    department = OrganisationFactory(
        name="Socialförvaltningen", kind=OrganisationKind.DEPARTMENT, parent=world.municipality
    )
    optional = ForumSeatFactory(forum=forums.forum, organisation=department, required=False)
    forums.municipal_seat.required = False
    forums.municipal_seat.save()
    department_seat = ForumSeatFactory(forum=forums.forum, organisation=department, required=True)
    AttendanceFactory(meeting=forums.meeting, seat=forums.police_seat, present=True)
    AttendanceFactory(meeting=forums.meeting, seat=department_seat, present=False)
    AttendanceFactory(meeting=forums.meeting, seat=optional, present=True)
    rep = rep_for(forums.forum)
    assert optional.pk not in {r.seat.pk for r in rep.seats}
    assert forums.municipal_seat.pk not in {r.seat.pk for r in rep.seats}
    parties = {r.organisation.pk: r for r in rep.parties}
    # The department's required seat was absent, but someone from the municipality came.
    assert set(parties) == {world.municipality.pk, world.police_area.pk}
    assert (parties[world.municipality.pk].attended, parties[world.municipality.pk].expected) == (
        1,
        1,
    )
    seat_rate = next(r for r in rep.seats if r.seat == department_seat)
    assert seat_rate.percent == "0 %"


def test_no_meetings_means_no_rate_and_no_warning(forums):
    rep = rep_for(forums.other_forum)
    assert rep.held == 1 and rep.unrecorded == 1
    assert all(r.rate is None and not r.below for r in rep.parties)
    assert rep.warnings == []


@pytest.mark.parametrize(
    ("rate", "text"),
    [(2 / 3, "67 %"), (0.745, "75 %"), (0.744, "74 %"), (1, "100 %"), (0, "0 %"), (None, "–")],
)
def test_percent_in_swedish_format(rate, text):
    assert format_percent(rate) == text


def test_forum_page_warns_when_a_party_falls_below(council_client, history):
    html = council_client.get(reverse("forums:detail", args=[history.forum.pk])).content.decode()
    assert "Varning" in html
    assert "Lokalpolisområde Ankeby var representerad vid 2 av 3 möten (67 %)" in html
    assert "under tröskeln 75 %" in html


def test_forum_page_has_no_warning_when_all_attend(council_client, forums):
    AttendanceFactory(meeting=forums.meeting, seat=forums.police_seat, present=True)
    AttendanceFactory(meeting=forums.meeting, seat=forums.municipal_seat, present=True)
    html = council_client.get(reverse("forums:detail", args=[forums.forum.pk])).content.decode()
    assert "Varning" not in html
    assert "100 %" in html


def test_start_page_panel_lists_the_warning(council_client, history):
    html = council_client.get(reverse("dashboard:home")).content.decode()
    assert "Representation i forum" in html
    assert "KSG Trygghet (KSG)" in html
    assert "67 %" in html


def test_start_page_panel_hidden_from_other_municipalities(outsider_client, history):
    html = outsider_client.get(reverse("dashboard:home")).content.decode()
    assert "Representation i forum" not in html
    assert "KSG Trygghet" not in html
