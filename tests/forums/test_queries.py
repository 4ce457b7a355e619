"""Every forum page runs a bounded number of queries, whatever the amount of data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgreementFactory

from .factories import AttendanceFactory, ForumFactory, ForumSeatFactory, MeetingFactory


def grow(forums, world, n):
    """Add n forums, seats, meetings with attendance and decisions to A."""
    for i in range(n):
        forum = ForumFactory(municipality=world.municipality, parent=forums.forum)
        forum.agreements.add(world.agreement, AgreementFactory(municipality=world.municipality))
        seat = ForumSeatFactory(forum=forum, organisation=world.police_area)
        ForumSeatFactory(forum=forums.forum, organisation=world.municipality)
        for days in (10, 40):
            meeting = MeetingFactory(
                forum=forums.forum, starts_at=timezone.now() - datetime.timedelta(days=days + i)
            )
            for s in forums.forum.seats.all():
                AttendanceFactory(meeting=meeting, seat=s, present=bool(i % 2))
            own = MeetingFactory(
                forum=forum, starts_at=timezone.now() - datetime.timedelta(days=days)
            )
            AttendanceFactory(meeting=own, seat=seat, present=False)
        MeetingFactory(
            forum=forums.forum, starts_at=timezone.now() + datetime.timedelta(days=i + 1)
        )


def pages(forums):
    return [
        reverse("forums:list"),
        reverse("forums:tree"),
        reverse("forums:detail", args=[forums.forum.pk]),
        reverse("forums:meeting-list", args=[forums.forum.pk]),
        reverse("forums:meeting-detail", args=[forums.meeting.pk]),
        reverse("forums:attendance", args=[forums.meeting.pk]),
        reverse("forums:ical", args=[forums.forum.pk]),
        reverse("forums:ical-mine"),
        reverse("forums:edit", args=[forums.forum.pk]),
        reverse("dashboard:home"),
    ]


@pytest.mark.parametrize("size", [1, 8])
def test_pages_run_bounded_queries(
    coordinator_client, forums, world, size, django_assert_max_num_queries
):
    grow(forums, world, size)
    for url in pages(forums):
        with django_assert_max_num_queries(30):
            response = coordinator_client.get(url)
        assert response.status_code == 200, url


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_count_does_not_grow_with_data(coordinator_client, forums, world):
    grow(forums, world, 1)
    small = {url: count_queries(coordinator_client, url) for url in pages(forums)}
    grow(forums, world, 6)
    large = {url: count_queries(coordinator_client, url) for url in pages(forums)}
    assert large == small
