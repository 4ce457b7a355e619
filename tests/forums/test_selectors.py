"""The forums selectors called directly: the party a seat counts for, the period, the tree,
the calendar feed's meetings and the start page's warnings (#22: what the pages show only in
part)."""

import datetime

from django.utils import timezone

from agreements.choices import OrganisationKind, Role
from forums import selectors
from forums.choices import ForumKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import AttendanceFactory, ForumFactory, ForumSeatFactory, MeetingFactory, local


def test_a_department_counts_for_its_municipality_however_deep(world):
    department = OrganisationFactory(kind=OrganisationKind.DEPARTMENT, parent=world.municipality)
    unit = OrganisationFactory(kind=OrganisationKind.DEPARTMENT, parent=department)
    assert selectors.party_of(unit) == world.municipality
    assert selectors.party_of(department) == world.municipality
    assert selectors.party_of(world.municipality) == world.municipality


def test_a_company_or_a_loose_department_counts_for_itself(world):
    company = OrganisationFactory(kind=OrganisationKind.COMPANY, parent=world.municipality)
    loose = OrganisationFactory(kind=OrganisationKind.DEPARTMENT, parent=None)
    assert selectors.party_of(company) == company
    assert selectors.party_of(loose) == loose


def test_the_default_period_is_the_twelve_months_up_to_today():
    today = datetime.date(2026, 3, 1)
    assert selectors.default_period(today) == (datetime.date(2025, 3, 2), today)
    start, end = selectors.default_period()
    assert end == timezone.localdate() and (end - start).days == 364


def test_the_threshold_comes_from_the_setting(settings):
    assert selectors.attendance_threshold() == 0.75
    settings.SAMVERKAN_ATTENDANCE_THRESHOLD = "0.9"
    assert selectors.attendance_threshold() == 0.9


def test_the_tree_puts_the_council_first_children_under_parents_and_leaves_out_closed_forums(
    world, coordinator
):
    kug = ForumFactory(
        municipality=world.municipality, name="Ö-rådet", kind=ForumKind.STRATEGIC_COUNCIL
    )
    ksg_b = ForumFactory(municipality=world.municipality, name="KSG Centrum", parent=kug)
    ksg_a = ForumFactory(municipality=world.municipality, name="KSG Bergsjön", parent=kug)
    loose = ForumFactory(municipality=world.municipality, name="Arbetsgrupp skola")
    ForumFactory(municipality=world.municipality, name="Nedlagd grupp", is_active=False)
    # A parent in another municipality does not hang the forum under it.
    foreign = ForumFactory(municipality=world.other_municipality, name="Bergsjö BRÅ")
    stray = ForumFactory(municipality=world.municipality, name="Gränsgruppen", parent=foreign)
    staff = UserFactory(username="drift", is_staff=True)

    trees = selectors.forum_tree(user=staff)
    assert [t.municipality for t in trees] == [world.municipality, world.other_municipality]
    ankeby = trees[0]
    assert ankeby.has_statutory_council and not trees[1].has_statutory_council
    assert [n.forum for n in ankeby.roots] == [kug, loose, stray]
    assert [n.forum for n in ankeby.roots[0].children] == [ksg_a, ksg_b]  # by name
    assert [t.municipality for t in selectors.forum_tree(user=coordinator)] == [world.municipality]
    only_b = selectors.forum_tree(user=staff, municipality_id=world.other_municipality.pk)
    assert [n.forum for t in only_b for n in t.roots] == [foreign]


def test_the_calendar_holds_the_last_year_and_everything_ahead_of_open_forums(world, coordinator):
    now = timezone.now()
    forum = ForumFactory(municipality=world.municipality, name="KSG")
    other = ForumFactory(municipality=world.municipality, name="BRÅ")
    closed = ForumFactory(municipality=world.municipality, name="Nedlagd", is_active=False)
    ahead = MeetingFactory(forum=forum, starts_at=now + datetime.timedelta(days=30))
    recent = MeetingFactory(forum=forum, starts_at=now - datetime.timedelta(days=300))
    MeetingFactory(forum=forum, starts_at=now - datetime.timedelta(days=400))
    MeetingFactory(forum=closed, starts_at=now + datetime.timedelta(days=5))
    theirs = MeetingFactory(forum=other, starts_at=now + datetime.timedelta(days=1))
    ForumFactory(municipality=world.other_municipality)
    assert list(selectors.meetings_for_calendar(user=coordinator)) == [recent, theirs, ahead]
    assert list(selectors.meetings_for_calendar(user=coordinator, forum=forum)) == [
        recent,
        ahead,
    ]


def test_warnings_name_the_forums_where_a_party_fell_below_for_those_who_see_them(
    world, coordinator, outsider
):
    now = timezone.now()
    forum = ForumFactory(municipality=world.municipality, name="KSG")
    seat = ForumSeatFactory(forum=forum, organisation=world.police_area, function="Kommunpolis")
    for days, present in ((60, False), (30, False), (10, True)):
        meeting = MeetingFactory(forum=forum, starts_at=now - datetime.timedelta(days=days))
        AttendanceFactory(meeting=meeting, seat=seat, present=present)
    ForumFactory(municipality=world.municipality, name="Ny grupp")  # no meeting held yet
    closed = ForumFactory(municipality=world.municipality, name="Nedlagd", is_active=False)
    old = MeetingFactory(forum=closed, starts_at=now - datetime.timedelta(days=20))
    AttendanceFactory(meeting=old, seat=ForumSeatFactory(forum=closed), present=False)

    warnings = selectors.representation_warnings(user=coordinator)
    assert [(f, [r.organisation for r in rates]) for f, rates in warnings] == [
        (forum, [world.police_area])
    ]
    assert warnings[0][1][0].percent == "33 %"
    assert selectors.representation_warnings(user=outsider) == []
    # Outside the period nothing was held, so nothing fell below.
    long_ago = (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    assert (
        selectors.representation_warnings(user=coordinator, start=long_ago[0], end=long_ago[1])
        == []
    )


def test_a_reader_of_the_municipality_sees_its_forums_and_not_anothers(world):
    reader = UserFactory(username="lasare")
    MembershipFactory(user=reader, organisation=world.municipality, role=Role.VIEWER)
    mine = ForumFactory(municipality=world.municipality, name="KSG")
    ForumFactory(municipality=world.other_municipality, name="Bergsjö BRÅ")
    listed = list(selectors.forum_list(user=reader))
    assert listed == [mine]
    ForumSeatFactory(forum=mine)
    ForumSeatFactory(forum=mine)
    assert selectors.forum_list(user=reader).get().seat_count == 2


def test_a_meeting_counts_from_the_first_minute_of_the_period_to_the_last(world):
    forum = ForumFactory(municipality=world.municipality, name="KSG")
    seat = ForumSeatFactory(forum=forum, organisation=world.police_area)
    start, end = datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)
    inside = [local(2025, 3, 1, 0, 0), local(2025, 3, 31, 23, 59)]
    outside = [local(2025, 2, 28, 23, 59), local(2025, 4, 1, 0, 0)]
    for starts_at, present in [(t, True) for t in inside] + [(t, False) for t in outside]:
        AttendanceFactory(
            meeting=MeetingFactory(forum=forum, starts_at=starts_at), seat=seat, present=present
        )
    rep = selectors.representation_for_forums([forum], start=start, end=end)[forum.pk]
    assert (rep.held, rep.recorded, rep.unrecorded) == (2, 2, 0)
    [party] = rep.parties
    assert (party.attended, party.expected) == (2, 2)


def test_a_meeting_not_yet_begun_is_not_counted(world):
    forum = ForumFactory(municipality=world.municipality, name="KSG")
    seat = ForumSeatFactory(forum=forum, organisation=world.police_area)
    now = timezone.now()
    for hours in (-1, 1):  # one begun an hour ago, one in an hour: both today
        meeting = MeetingFactory(forum=forum, starts_at=now + datetime.timedelta(hours=hours))
        AttendanceFactory(meeting=meeting, seat=seat, present=False)
    today = timezone.localdate()
    rep = selectors.representation_for_forums(
        [forum], start=today - datetime.timedelta(days=1), end=today + datetime.timedelta(days=1)
    )[forum.pk]
    assert rep.held == 1


def test_a_party_exactly_at_the_threshold_is_not_below_it(world):
    forum = ForumFactory(municipality=world.municipality, name="KSG")
    seat = ForumSeatFactory(forum=forum, organisation=world.police_area)
    for day, present in ((1, True), (2, True), (3, True), (4, False)):
        meeting = MeetingFactory(forum=forum, starts_at=local(2025, 3, day))
        AttendanceFactory(meeting=meeting, seat=seat, present=present)
    period = {"start": datetime.date(2025, 3, 1), "end": datetime.date(2025, 3, 31)}
    rep = selectors.representation_for_forums([forum], threshold=0.75, **period)[forum.pk]
    assert rep.parties[0].percent == "75 %" and rep.warnings == []
    assert rep.threshold_percent == "75 %"
    stricter = selectors.representation_for_forums([forum], threshold=0.8, **period)[forum.pk]
    assert [r.organisation for r in stricter.warnings] == [world.police_area]
    assert stricter.threshold_percent == "80 %"


def test_someone_of_a_department_present_without_a_seat_represents_the_municipality(world):
    forum = ForumFactory(municipality=world.municipality, name="KSG")
    department = OrganisationFactory(kind=OrganisationKind.DEPARTMENT, parent=world.municipality)
    seat = ForumSeatFactory(forum=forum, organisation=world.municipality, function="Samordnare")
    police_seat = ForumSeatFactory(forum=forum, organisation=world.police_area)
    meeting = MeetingFactory(forum=forum, starts_at=local(2025, 3, 10))
    AttendanceFactory(meeting=meeting, seat=None, organisation=department, present=True)
    AttendanceFactory(meeting=meeting, seat=police_seat, present=False)
    rep = selectors.representation_for_forums(
        [forum], start=datetime.date(2025, 3, 1), end=datetime.date(2025, 3, 31)
    )[forum.pk]
    parties = {r.organisation: (r.attended, r.expected) for r in rep.parties}
    assert parties == {world.municipality: (1, 1), world.police_area: (0, 1)}
    seats = {r.seat: (r.attended, r.expected) for r in rep.seats}
    assert seats == {seat: (0, 1), police_seat: (0, 1)}  # the seat itself was empty
    assert [r.label for r in rep.parties] == sorted(r.label for r in rep.parties)


def test_a_meeting_page_lists_the_seats_of_its_day_and_whoever_else_came(world):
    forum = ForumFactory(municipality=world.municipality, name="KSG")
    day = datetime.date(2025, 3, 10)
    current = ForumSeatFactory(forum=forum, organisation=world.municipality, position=2)
    first = ForumSeatFactory(forum=forum, organisation=world.police_area, position=1)
    ForumSeatFactory(forum=forum, active_until=day - datetime.timedelta(days=1))  # left before
    ForumSeatFactory(forum=forum, active_from=day + datetime.timedelta(days=1))  # joins after
    meeting = MeetingFactory(forum=forum, starts_at=local(2025, 3, 10))
    came = AttendanceFactory(meeting=meeting, seat=current, present=True)
    guest = AttendanceFactory(meeting=meeting, seat=None, organisation=world.police_area)
    related = selectors.meeting_related(meeting=meeting)
    assert related["attendance_rows"] == [(first, None), (current, came)]
    assert related["other_attendances"] == [guest]
    assert related["attendance_recorded"] is True
    empty = MeetingFactory(forum=forum, starts_at=local(2025, 4, 10))
    assert selectors.meeting_related(meeting=empty)["attendance_recorded"] is False


def test_a_meeting_page_reads_its_forum_seats_and_attendance_in_fixed_queries(
    world, coordinator, django_assert_num_queries
):
    from agreements.access import get_access

    forum = ForumFactory(municipality=world.municipality, name="KSG")
    day = datetime.date(2025, 3, 10)
    social = OrganisationFactory(
        name="Socialförvaltningen", kind=OrganisationKind.DEPARTMENT, parent=world.municipality
    )
    seat = ForumSeatFactory(forum=forum, organisation=social, position=1)
    left = ForumSeatFactory(
        forum=forum, position=5, active_until=day - datetime.timedelta(days=1), function="Förr"
    )
    meeting = MeetingFactory(forum=forum, starts_at=local(2025, 3, 10))
    AttendanceFactory(meeting=meeting, seat=seat)
    guest = AttendanceFactory(meeting=meeting, seat=None, organisation=world.police_area)
    former = AttendanceFactory(meeting=meeting, seat=left)  # written after the guest
    get_access(coordinator)
    with django_assert_num_queries(1):
        found = selectors.meeting_detail_queryset(user=coordinator).get(pk=meeting.pk)
        assert (found.forum.name, found.forum.municipality.name) == ("KSG", world.municipality.name)
    with django_assert_num_queries(3):  # seats, attendances, decisions
        related = selectors.meeting_related(meeting=found)
        others = [(a.pk, getattr(a.seat, "function", None)) for a in related["other_attendances"]]
        rows = [(s.organisation.name, a.organisation.name) for s, a in related["attendance_rows"]]
    # Those on a seat, by the seat's place; whoever came without one last.
    assert others == [(former.pk, "Förr"), (guest.pk, None)]
    assert rows == [("Socialförvaltningen", "Socialförvaltningen")]
    with django_assert_num_queries(9):
        page = selectors.forum_related(user=coordinator, forum=forum)
    with django_assert_num_queries(0):
        seats = [(s.organisation.name, s.organisation.parent.name) for s in page["seats"][:1]]
    assert seats == [("Socialförvaltningen", world.municipality.name)]


def test_representation_counts_each_seat_and_party_over_the_meetings_held(world):
    forum = ForumFactory(municipality=world.municipality, name="KSG Trygghet")
    # Added in another order than their places; the first place's holder leaves in May.
    kommun_seat = ForumSeatFactory(forum=forum, organisation=world.municipality, position=3)
    police_seat = ForumSeatFactory(forum=forum, organisation=world.police_area, position=2)
    leaving = ForumSeatFactory(
        forum=forum,
        organisation=world.municipality,
        position=1,
        active_until=datetime.date(2025, 5, 31),
    )
    ForumSeatFactory(forum=forum, organisation=world.police_area, position=4, required=False)

    def meeting(month, *present, absent=(), **extra):
        held = MeetingFactory(forum=forum, starts_at=local(2025, month, 10), **extra)
        for seat in present:
            AttendanceFactory(meeting=held, seat=seat, present=True)
        for seat in absent:
            AttendanceFactory(meeting=held, seat=seat, present=False)
        return held

    meeting(3, police_seat, leaving, absent=[kommun_seat])
    meeting(4)  # nothing recorded
    meeting(5)  # nothing recorded
    meeting(6, police_seat, absent=[kommun_seat])  # the third seat has left
    meeting(7, police_seat, kommun_seat, cancelled=True)
    reps = selectors.representation_for_forums(
        [forum],
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
        threshold=0.75,
        now=local(2025, 9, 1),
    )
    rep = reps[forum.pk]
    assert (rep.start, rep.end) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert (rep.held, rep.unrecorded, rep.recorded) == (4, 2, 2)
    seats = [(r.label, r.seat, r.organisation, r.attended, r.expected) for r in rep.seats]
    assert seats == [
        (str(leaving), leaving, world.municipality, 1, 1),
        (str(police_seat), police_seat, world.police_area, 2, 2),
        (str(kommun_seat), kommun_seat, world.municipality, 0, 2),
    ]
    parties = [(r.label, r.organisation, r.attended, r.expected) for r in rep.parties]
    assert parties == [
        (str(world.municipality), world.municipality, 1, 2),
        (str(world.police_area), world.police_area, 2, 2),
    ]
    assert [r.organisation for r in rep.warnings] == [world.municipality]
