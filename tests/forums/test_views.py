"""Forum pages: who may see and edit what, and what bad input does."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.choices import ForumKind, Frequency
from forums.models import Attendance, Forum, ForumSeat, MeetingDecision

from .factories import ForumFactory, MeetingDecisionFactory, MeetingFactory


def urls_for(fw):
    """Every forum URL about objects of A's forum: (method, url)."""
    decision = MeetingDecisionFactory(meeting=fw.meeting)
    f, m = fw.forum.pk, fw.meeting.pk
    return [
        ("get", reverse("forums:detail", args=[f])),
        ("get", reverse("forums:edit", args=[f])),
        ("post", reverse("forums:edit", args=[f])),
        ("get", reverse("forums:ical", args=[f])),
        ("get", reverse("forums:seat-create", args=[f])),
        ("post", reverse("forums:seat-create", args=[f])),
        ("get", reverse("forums:seat-edit", args=[fw.police_seat.pk])),
        ("post", reverse("forums:seat-edit", args=[fw.police_seat.pk])),
        ("post", reverse("forums:seat-delete", args=[fw.police_seat.pk])),
        ("get", reverse("forums:meeting-list", args=[f])),
        ("get", reverse("forums:meeting-create", args=[f])),
        ("post", reverse("forums:meeting-create", args=[f])),
        ("get", reverse("forums:meeting-series", args=[f])),
        ("post", reverse("forums:meeting-series", args=[f])),
        ("get", reverse("forums:meeting-detail", args=[m])),
        ("get", reverse("forums:meeting-edit", args=[m])),
        ("post", reverse("forums:meeting-edit", args=[m])),
        ("get", reverse("forums:attendance", args=[m])),
        ("post", reverse("forums:attendance", args=[m])),
        ("post", reverse("forums:decision-add", args=[m])),
        ("post", reverse("forums:decision-delete", args=[decision.pk])),
    ]


def test_outsider_gets_404_on_every_forum_url(outsider_client, forums):
    for method, url in urls_for(forums):
        response = getattr(outsider_client, method)(url, {})
        assert response.status_code == 404, (method, url)
    assert ForumSeat.objects.filter(pk=forums.police_seat.pk).exists()
    assert MeetingDecision.objects.exists()


def test_council_member_reads_but_cannot_change(council_client, forums):
    page = council_client.get(reverse("forums:detail", args=[forums.forum.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kommunpolis" in html and "Trygghetssamordnare" in html
    assert reverse("forums:edit", args=[forums.forum.pk]) not in html
    meeting_page = council_client.get(reverse("forums:meeting-detail", args=[forums.meeting.pk]))
    assert meeting_page.status_code == 200
    for method, url in urls_for(forums):
        if "kalender" in url or url.endswith(("/moten/", f"/{forums.forum.pk}/")):
            continue
        if url == reverse("forums:meeting-detail", args=[forums.meeting.pk]):
            continue
        response = getattr(council_client, method)(url, {})
        assert response.status_code == 403, (method, url)
    assert ForumSeat.objects.filter(pk=forums.police_seat.pk).exists()


def test_police_of_the_area_sees_the_forum_it_sits_in(police_client, forums):
    assert police_client.get(reverse("forums:detail", args=[forums.forum.pk])).status_code == 200
    assert (
        police_client.get(reverse("forums:detail", args=[forums.other_forum.pk])).status_code == 404
    )


def test_list_shows_only_visible_forums_grouped_by_municipality(council_client, forums):
    html = council_client.get(reverse("forums:list")).content.decode()
    assert "KSG Trygghet" in html and "Ankeby kommun" in html
    assert "Bergsjö BRÅ" not in html


def test_list_filters(council_client, forums, world):
    ForumFactory(
        municipality=world.municipality, name="Örat mot marken", kind=ForumKind.OPERATIONAL
    )
    html = council_client.get(reverse("forums:list"), {"q": "örat"}).content.decode()
    assert "Örat mot marken" in html and "KSG Trygghet" not in html
    html = council_client.get(
        reverse("forums:list"), {"kind": ForumKind.OPERATIONAL}
    ).content.decode()
    assert "Örat mot marken" in html and "KSG Trygghet" not in html
    form = council_client.get(reverse("forums:list")).context["filter"].form
    assert list(form.fields["municipality"].queryset) == [world.municipality]


def test_tree_puts_ksg_under_kug_and_marks_the_statutory_council(council_client, world, forums):
    kug = ForumFactory(
        municipality=world.municipality,
        name="KUG Tryggt Ankeby",
        kind=ForumKind.STRATEGIC_COUNCIL,
    )
    forums.forum.parent = kug
    forums.forum.save()
    response = council_client.get(reverse("forums:tree"))
    trees = response.context["trees"]
    assert [t.municipality for t in trees] == [world.municipality]
    (root,) = trees[0].roots
    assert root.forum == kug
    assert [c.forum for c in root.children] == [forums.forum]
    html = response.content.decode()
    assert "Strategiskt råd enligt lag (2023:196)" in html
    assert "Bergsjö" not in html
    assert html.index("KUG Tryggt Ankeby") < html.index("KSG Trygghet")


def test_tree_notes_a_missing_statutory_council(council_client, forums):
    html = council_client.get(reverse("forums:tree")).content.decode()
    assert "Inget strategiskt råd enligt lag (2023:196) är registrerat" in html


def test_forum_page_shows_agreements_seats_and_meetings(council_client, forums):
    html = council_client.get(reverse("forums:detail", args=[forums.forum.pk])).content.decode()
    assert "Överenskommelse Ankeby 2024–2027" in html
    assert "Lokalpolisområde Ankeby" in html
    assert reverse("forums:meeting-detail", args=[forums.meeting.pk]) in html


def test_coordinator_creates_a_forum(coordinator_client, world):
    response = coordinator_client.post(
        reverse("forums:create"),
        {
            "municipality": world.municipality.pk,
            "name": "Brottsförebyggande rådet",
            "abbreviation": "BRÅ",
            "kind": ForumKind.STRATEGIC_COUNCIL,
            "frequency": Frequency.QUARTERLY,
            "chair": "Kommundirektör",
            "purpose": "Leder arbetet.",
            "agreements": [world.agreement.pk],
            "is_active": "on",
        },
    )
    forum = Forum.objects.get(name="Brottsförebyggande rådet")
    assert response.status_code == 302
    assert response["Location"] == forum.get_absolute_url()
    assert list(forum.agreements.all()) == [world.agreement]


def test_forum_form_refuses_another_municipalitys_agreement_and_parent(
    coordinator_client, world, forums
):
    response = coordinator_client.post(
        reverse("forums:create"),
        {
            "municipality": world.municipality.pk,
            "name": "Nytt forum",
            "kind": ForumKind.WORKING_GROUP,
            "frequency": Frequency.MONTHLY,
            "parent": forums.other_forum.pk,
            "agreements": [world.other_agreement.pk],
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "parent" in form.errors and "agreements" in form.errors
    assert not Forum.objects.filter(name="Nytt forum").exists()


def test_coordinator_cannot_create_a_forum_in_another_municipality(coordinator_client, world):
    response = coordinator_client.post(
        reverse("forums:create"),
        {
            "municipality": world.other_municipality.pk,
            "name": "Inte vårt",
            "kind": ForumKind.WORKING_GROUP,
            "frequency": Frequency.MONTHLY,
        },
    )
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert not Forum.objects.filter(name="Inte vårt").exists()


def test_council_member_cannot_open_the_create_form(council_client):
    assert council_client.get(reverse("forums:create")).status_code == 403


def test_stale_forum_edit_is_refused(coordinator_client, forums):
    url = reverse("forums:edit", args=[forums.forum.pk])
    data = {
        "municipality": forums.forum.municipality_id,
        "name": "Mitt namn",
        "kind": forums.forum.kind,
        "frequency": forums.forum.frequency,
        "version_token": forums.forum.version,
        "is_active": "on",
    }
    forums.forum.name = "Någon annans namn"
    forums.forum.save()
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert response.context["conflicts"]
    forums.forum.refresh_from_db()
    assert forums.forum.name == "Någon annans namn"


def test_coordinator_adds_and_removes_a_seat(coordinator_client, forums, world):
    response = coordinator_client.post(
        reverse("forums:seat-create", args=[forums.forum.pk]),
        {
            "organisation": world.police_area.pk,
            "function": "Områdespolis",
            "required": "on",
            "position": 3,
        },
    )
    assert response.status_code == 302
    seat = forums.forum.seats.get(function="Områdespolis")
    assert seat.required
    coordinator_client.post(reverse("forums:seat-delete", args=[seat.pk]))
    assert not ForumSeat.objects.filter(pk=seat.pk).exists()


def test_seat_period_must_not_end_before_it_starts(coordinator_client, forums, world):
    response = coordinator_client.post(
        reverse("forums:seat-create", args=[forums.forum.pk]),
        {
            "organisation": world.police_area.pk,
            "function": "Områdespolis",
            "position": 3,
            "active_from": "2025-06-01",
            "active_until": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert "Platsen kan inte upphöra innan den börjar." in response.content.decode()
    assert not forums.forum.seats.filter(function="Områdespolis").exists()


def test_meeting_must_end_after_it_starts(coordinator_client, forums):
    response = coordinator_client.post(
        reverse("forums:meeting-create", args=[forums.forum.pk]),
        {"starts_at": "2026-03-01T10:00", "ends_at": "2026-03-01T09:00"},
    )
    assert response.status_code == 200
    assert "Mötet måste sluta efter att det börjar." in response.content.decode()
    assert forums.forum.meetings.count() == 1


def test_coordinator_creates_a_meeting_in_local_time(coordinator_client, forums):
    response = coordinator_client.post(
        reverse("forums:meeting-create", args=[forums.forum.pk]),
        {"starts_at": "2026-07-01T10:00", "ends_at": "2026-07-01T11:30", "place": "Rådhuset"},
    )
    assert response.status_code == 302
    meeting = forums.forum.meetings.get(place="Rådhuset")
    assert timezone.localtime(meeting.starts_at).hour == 10


def attendance_url(meeting):
    return reverse("forums:attendance", args=[meeting.pk])


def test_coordinator_records_attendance_per_seat(coordinator_client, forums):
    url = attendance_url(forums.meeting)
    page = coordinator_client.get(url).content.decode()
    assert "Trygghetssamordnare" in page and "Kommunpolis" in page
    response = coordinator_client.post(
        url,
        {f"seat_{forums.municipal_seat.pk}": "1", f"seat_{forums.police_seat.pk}": "0"},
    )
    assert response.status_code == 302
    rows = {a.seat_id: a.present for a in forums.meeting.attendances.all()}
    assert rows == {forums.municipal_seat.pk: True, forums.police_seat.pk: False}
    # Correcting it updates the same rows.
    coordinator_client.post(
        url, {f"seat_{forums.municipal_seat.pk}": "1", f"seat_{forums.police_seat.pk}": "1"}
    )
    assert forums.meeting.attendances.count() == 2
    assert all(a.present for a in forums.meeting.attendances.all())


def test_attendance_needs_every_seat(coordinator_client, forums):
    response = coordinator_client.post(
        attendance_url(forums.meeting), {f"seat_{forums.municipal_seat.pk}": "1"}
    )
    assert response.status_code == 200
    assert "Ange om platsen var närvarande." in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_for_a_seat_of_another_forum_is_refused(coordinator_client, forums):
    response = coordinator_client.post(
        attendance_url(forums.meeting),
        {
            f"seat_{forums.municipal_seat.pk}": "1",
            f"seat_{forums.police_seat.pk}": "1",
            f"seat_{forums.other_seat.pk}": "1",
        },
    )
    assert response.status_code == 200
    assert "Närvaro kan bara registreras för det här forumets platser" in (
        response.content.decode()
    )
    assert not Attendance.objects.exists()


def test_attendance_for_a_forum_without_seats_says_so(coordinator_client, world):
    forum = ForumFactory(municipality=world.municipality)
    meeting = MeetingFactory(forum=forum)
    page = coordinator_client.get(attendance_url(meeting)).content.decode()
    assert "Forumet hade inga platser på mötesdagen" in page
    response = coordinator_client.post(attendance_url(meeting), {})
    assert "Forumet hade inga platser på mötesdagen" in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_for_a_future_or_cancelled_meeting_is_refused(coordinator_client, forums):
    future = MeetingFactory(
        forum=forums.forum, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    cancelled = MeetingFactory(forum=forums.forum, cancelled=True)
    data = lambda: {  # noqa: E731
        f"seat_{forums.municipal_seat.pk}": "1",
        f"seat_{forums.police_seat.pk}": "1",
    }
    response = coordinator_client.post(attendance_url(future), data())
    assert "Mötet har inte ägt rum än." in response.content.decode()
    response = coordinator_client.post(attendance_url(cancelled), data())
    assert "Mötet ställdes in" in response.content.decode()
    assert not Attendance.objects.exists()


def test_decisions_are_added_and_removed(coordinator_client, forums):
    url = reverse("forums:decision-add", args=[forums.meeting.pk])
    coordinator_client.post(url, {"text": "Lägesbilden fastställs."})
    coordinator_client.post(url, {"text": "Nästa möte i maj."})
    decisions = list(forums.meeting.decisions.all())
    assert [(d.position, d.text) for d in decisions] == [
        (1, "Lägesbilden fastställs."),
        (2, "Nästa möte i maj."),
    ]
    html = coordinator_client.get(forums.meeting.get_absolute_url()).content.decode()
    assert "Nästa möte i maj." in html
    coordinator_client.post(reverse("forums:decision-delete", args=[decisions[0].pk]))
    assert list(forums.meeting.decisions.values_list("text", flat=True)) == ["Nästa möte i maj."]


def test_empty_decision_is_refused_beside_the_field(coordinator_client, forums):
    response = coordinator_client.post(
        reverse("forums:decision-add", args=[forums.meeting.pk]), {"text": "  "}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not forums.meeting.decisions.exists()


@pytest.mark.parametrize("name", ["list", "tree", "calendar"])
def test_pages_need_a_login(client, db, name):
    response = client.get(reverse(f"forums:{name}"))
    assert response.status_code == 302


def test_user_text_is_escaped(coordinator_client, forums):
    forums.forum.purpose = "<script>alert(1)</script>"
    forums.forum.save()
    html = coordinator_client.get(forums.forum.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
