"""Factories for the forums app."""

import datetime

import factory
from django.utils import timezone

from forums.choices import ForumKind, Frequency
from forums.models import Attendance, Forum, ForumSeat, Meeting, MeetingDecision
from tests.factories import MunicipalityFactory, OrganisationFactory


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Forum {n}")
    kind = ForumKind.COORDINATION_GROUP
    frequency = Frequency.MONTHLY


class ForumSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumSeat

    forum = factory.SubFactory(ForumFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    function = factory.Sequence(lambda n: f"Funktion {n}")
    required = True
    position = factory.Sequence(lambda n: n + 1)


def local(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    forum = factory.SubFactory(ForumFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(hours=1))
    place = "Stadshuset"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    seat = factory.SubFactory(ForumSeatFactory, forum=factory.SelfAttribute("..meeting.forum"))
    organisation = factory.LazyAttribute(lambda a: a.seat.organisation)
    present = True


class MeetingDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingDecision

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Beslut {n}")
