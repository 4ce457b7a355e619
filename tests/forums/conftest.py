"""Fixtures for the forum tests: A's forum with a seat per party and B's forum."""

from dataclasses import dataclass

import pytest

from .factories import ForumFactory, ForumSeatFactory, MeetingFactory


@dataclass
class ForumWorld:
    forum: object
    municipal_seat: object
    police_seat: object
    meeting: object
    other_forum: object
    other_seat: object
    other_meeting: object


@pytest.fixture
def forums(world):
    forum = ForumFactory(municipality=world.municipality, name="KSG Trygghet", abbreviation="KSG")
    forum.agreements.add(world.agreement)
    municipal_seat = ForumSeatFactory(
        forum=forum, organisation=world.municipality, function="Trygghetssamordnare", position=1
    )
    police_seat = ForumSeatFactory(
        forum=forum, organisation=world.police_area, function="Kommunpolis", position=2
    )
    other = ForumFactory(municipality=world.other_municipality, name="Bergsjö BRÅ")
    other_seat = ForumSeatFactory(
        forum=other, organisation=world.other_police_area, function="Kommunpolis"
    )
    return ForumWorld(
        forum=forum,
        municipal_seat=municipal_seat,
        police_seat=police_seat,
        meeting=MeetingFactory(forum=forum),
        other_forum=other,
        other_seat=other_seat,
        other_meeting=MeetingFactory(forum=other),
    )
