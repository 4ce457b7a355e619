"""iCalendar feeds, parsed back with the icalendar library."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from forums.models import CalendarToken

from .factories import MeetingFactory, local


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_forum_feed_lists_its_meetings_in_swedish_time(coordinator_client, forums):
    future = MeetingFactory(
        forum=forums.forum,
        starts_at=local(2031, 6, 12, 13, 30),
        ends_at=local(2031, 6, 12, 15, 0),
        place="Stadshuset",
        agenda="1. Lägesbild",
    )
    cancelled = MeetingFactory(
        forum=forums.forum, starts_at=local(2031, 7, 1, 9, 0), ends_at=None, cancelled=True
    )
    cal = parse(coordinator_client.get(reverse("forums:ical", args=[forums.forum.pk])))
    found = events(cal)
    assert set(found) == {f"meeting-{m.pk}@samverkan" for m in (forums.meeting, future, cancelled)}
    event = found[f"meeting-{future.pk}@samverkan"]
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (13, 30)
    assert str(start.tzinfo) == "Europe/Stockholm"
    assert start == future.starts_at
    assert event.decoded("DTEND") == future.ends_at
    assert str(event["SUMMARY"]) == "KSG Trygghet (KSG)"
    assert str(event["LOCATION"]) == "Stadshuset"
    assert str(event["DESCRIPTION"]) == "1. Lägesbild"
    assert str(found[f"meeting-{cancelled.pk}@samverkan"]["STATUS"]) == "CANCELLED"
    assert any(tz["TZID"] == "Europe/Stockholm" for tz in cal.walk("VTIMEZONE"))


def test_feed_leaves_out_meetings_older_than_a_year(coordinator_client, forums):
    old = MeetingFactory(
        forum=forums.forum, starts_at=timezone.now() - datetime.timedelta(days=400)
    )
    cal = parse(coordinator_client.get(reverse("forums:ical", args=[forums.forum.pk])))
    assert f"meeting-{old.pk}@samverkan" not in events(cal)


def test_my_feed_holds_only_forums_the_user_may_see(coordinator_client, forums):
    found = events(parse(coordinator_client.get(reverse("forums:ical-mine"))))
    assert f"meeting-{forums.meeting.pk}@samverkan" in found
    assert f"meeting-{forums.other_meeting.pk}@samverkan" not in found


def test_outsider_gets_404_for_another_municipalitys_feed(outsider_client, forums):
    response = outsider_client.get(reverse("forums:ical", args=[forums.forum.pk]))
    assert response.status_code == 404


def test_feeds_need_a_login(forums):
    client = Client()
    for url in (reverse("forums:ical", args=[forums.forum.pk]), reverse("forums:ical-mine")):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_secret_address_works_without_session_and_can_be_revoked(
    coordinator, coordinator_client, forums
):
    response = coordinator_client.post(reverse("forums:calendar"), {"action": "create"})
    assert response.status_code == 200
    url = response.context["new_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40
    stored = CalendarToken.objects.get(user=coordinator)
    assert token not in stored.token_hash  # only a hash is kept

    anonymous = Client()
    found = events(parse(anonymous.get(url)))
    assert f"meeting-{forums.meeting.pk}@samverkan" in found
    assert f"meeting-{forums.other_meeting.pk}@samverkan" not in found

    # A new address replaces the old one.
    response = coordinator_client.post(reverse("forums:calendar"), {"action": "create"})
    assert anonymous.get(url).status_code == 404
    newer = response.context["new_url"]
    assert anonymous.get(newer).status_code == 200

    coordinator_client.post(reverse("forums:calendar"), {"action": "revoke"})
    assert anonymous.get(newer).status_code == 404
    assert not CalendarToken.objects.filter(user=coordinator).exists()


@pytest.mark.parametrize("token", ["x", "a" * 43, "abc.def"])
def test_guessed_addresses_are_404(db, token):
    assert Client().get(reverse("forums:ical-token", args=[token])).status_code == 404


def test_deactivated_user_address_stops_working(coordinator, coordinator_client, forums):
    response = coordinator_client.post(reverse("forums:calendar"), {"action": "create"})
    url = response.context["new_url"]
    coordinator.is_active = False
    coordinator.save()
    assert Client().get(url).status_code == 404
