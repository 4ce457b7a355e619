"""iCalendar (RFC 5545) feeds of forum meetings, for Outlook and other calendar programs."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Meeting

PRODID = "-//Samverkan//Forum//SV"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@samverkan"


def build_calendar(meetings: Iterable[Meeting], *, name: str) -> Calendar:
    """A calendar with one event per meeting, in Swedish local time (with VTIMEZONE)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone.get_default_timezone_name())
    tz = timezone.get_default_timezone()
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", stamp)
        event.add("dtstart", timezone.localtime(meeting.starts_at, tz))
        if meeting.ends_at:
            event.add("dtend", timezone.localtime(meeting.ends_at, tz))
        event.add("summary", str(meeting.forum))
        if meeting.place:
            event.add("location", meeting.place)
        if meeting.agenda:
            event.add("description", meeting.agenda)
        event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
        event.add("sequence", meeting.version)
        event.add("last-modified", meeting.updated_at)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal


def calendar_response(meetings: Iterable[Meeting], *, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        build_calendar(meetings, name=str(name)).to_ical(),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response
