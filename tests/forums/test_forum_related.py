"""What a forum's page lists beside the forum (forums.selectors.forum_related): the nearest ten
meetings each way, in time order; each meeting's own numbers of decisions and attendances;
seats in their agreed order; nothing of another municipality."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from forums.selectors import forum_related
from tests.followup.factories import FollowupActivityFactory, FollowupPlanFactory, ReportFactory

from .factories import (
    AttendanceFactory,
    ForumFactory,
    ForumSeatFactory,
    MeetingDecisionFactory,
    MeetingFactory,
)


def _meetings(forum, days):
    now = timezone.now()
    return [MeetingFactory(forum=forum, starts_at=now + datetime.timedelta(days=d)) for d in days]


def test_the_ten_nearest_meetings_each_way_are_listed_nearest_first(forums, coordinator):
    forum = forums.forum
    forum.meetings.all().delete()
    past = _meetings(forum, [-d for d in range(1, 13)])  # twelve held
    upcoming = _meetings(forum, list(range(1, 13)))  # twelve planned
    related = forum_related(user=coordinator, forum=forum)
    assert related["past_meetings"] == past[:10]  # yesterday first, the oldest two left out
    assert related["upcoming_meetings"] == upcoming[:10]  # tomorrow first
    assert related["meeting_count"] == 24


def test_each_meeting_counts_its_own_decisions_and_attendances(forums, coordinator):
    meeting = forums.meeting
    for _ in range(3):
        MeetingDecisionFactory(meeting=meeting)
    AttendanceFactory(meeting=meeting, seat=forums.municipal_seat)
    AttendanceFactory(meeting=meeting, seat=forums.police_seat)
    bare = MeetingFactory(
        forum=forums.forum, starts_at=timezone.now() - datetime.timedelta(days=30)
    )
    related = forum_related(user=coordinator, forum=forums.forum)
    counts = {m.pk: (m.decision_count, m.attendance_count) for m in related["past_meetings"]}
    # Three decisions and two attendances — not 3 × 2 rows of a join.
    assert counts[meeting.pk] == (3, 2)
    assert counts[bare.pk] == (0, 0)


def test_seats_are_listed_in_their_agreed_order_not_the_order_they_were_added(forums, coordinator):
    forum = forums.forum
    first_added_last_in_order = forums.municipal_seat
    first_added_last_in_order.position = 9
    first_added_last_in_order.save()
    middle = ForumSeatFactory(forum=forum, organisation=forums.police_seat.organisation, position=5)
    related = forum_related(user=coordinator, forum=forum)
    assert related["seats"] == [forums.police_seat, middle, first_added_last_in_order]


def test_another_municipalitys_sub_forum_is_not_listed(forums, coordinator, world):
    own = ForumFactory(municipality=world.municipality, name="EST Centrum", parent=forums.forum)
    ForumFactory(municipality=world.other_municipality, name="Bergsjö EST", parent=forums.forum)
    related = forum_related(user=coordinator, forum=forums.forum)
    assert related["children"] == [own]


def test_activities_and_reports_of_the_forum_are_those_the_user_sees_at_most_fifty(
    forums, coordinator, world, django_assert_num_queries
):
    plan = FollowupPlanFactory(agreement=world.agreement)
    activities = [
        FollowupActivityFactory(plan=plan, forum=forums.forum, responsible=world.municipality)
        for _ in range(51)
    ]
    reports = [ReportFactory(plan=plan, presented_to=forums.forum) for _ in range(51)]
    foreign_plan = FollowupPlanFactory(agreement=world.other_agreement)
    FollowupActivityFactory(plan=foreign_plan, forum=forums.forum)
    with django_assert_num_queries(10):
        related = forum_related(user=coordinator, forum=forums.forum)
    assert len(related["activities"]) == 50 and set(related["activities"]) < set(activities)
    assert related["activity_count"] == 51
    assert len(related["reports"]) == 50 and set(related["reports"]) < set(reports)
    assert related["agreements"] == [world.agreement]
    with django_assert_num_queries(0):  # what the page shows of each row is joined
        [(a.plan.title, a.responsible.name) for a in related["activities"]]
        [r.agreement.title for r in related["reports"]]
        [(a.municipality.name, a.police_area.name) for a in related["agreements"]]
        [
            (s.organisation.name, getattr(s.organisation.parent, "name", ""))
            for s in related["seats"]
        ]
    assert forum_related(user=AnonymousUser(), forum=forums.forum)["activity_count"] == 0
