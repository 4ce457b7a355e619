"""The follow-up selectors called directly: a unit reporter's queue of updates to write."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from agreements.access import get_access
from agreements.choices import Role
from core.choices import ReviewState
from followup import selectors
from followup.choices import ReportStatus, UpdateStatus
from followup.models import ActivityUpdate, ReportReminder
from tests.factories import AgreementFactory, AreaFactory, MembershipFactory, UserFactory

from .factories import (
    FollowupActivityFactory,
    FollowupPlanFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ReportFactory,
    UpdateFactory,
)

d = datetime.date


@pytest.fixture
def queue(world, followup, units):
    """Open reports of two agreements in every order that matters, and one approved report.

    The reporter (Socialförvaltningen) reports on 1.1 (a role in it), 1.3 and 0.9 (units below
    it are responsible) in the first plan, 2.1 in a second plan, B.1 in a second agreement.
    """
    youth = units.own.responsible
    early = FollowupActivityFactory(  # position before 1.1, created after it
        plan=followup.plan, position=0, code="0.9", title="Tidig insats", responsible=youth
    )
    second_plan = FollowupPlanFactory(
        agreement=world.agreement, valid_from=d(2026, 1, 1), valid_to=d(2027, 12, 31)
    )
    FollowupActivityFactory(plan=second_plan, position=1, code="2.1", responsible=youth)
    other = AgreementFactory(municipality=world.municipality, police_area=world.police_area)
    other_plan = FollowupPlanFactory(agreement=other)
    FollowupActivityFactory(plan=other_plan, position=1, code="B.1", responsible=youth)

    def report(title, start, end, due, plan=followup.plan, **extra):
        return ReportFactory(
            plan=plan, title=title, period_start=start, period_end=end, due_date=due, **extra
        )

    # followup.previous ("Helår 2024", due 2025-01-30) and followup.report ("Delår 2 2025",
    # due 2025-09-30) are there already.
    report("Samma förfallodag", d(2025, 1, 1), d(2025, 4, 30), d(2025, 9, 30))  # after Delår 2
    report("Sen förfallodag", d(2025, 1, 1), d(2025, 6, 30), d(2025, 12, 1))
    report("Plan 2", d(2026, 1, 1), d(2026, 4, 30), d(2026, 5, 30), plan=second_plan)
    report("Avtal B", d(2026, 5, 1), d(2026, 6, 30), d(2026, 7, 31), plan=None, agreement=other)
    report("Godkänd", d(2024, 1, 1), d(2024, 6, 30), d(2024, 7, 1), status=ReportStatus.APPROVED)
    for month in range(1, 6):  # five more: the eleventh open report is beyond the ten read
        report(f"Senare {month}", d(2027, month, 1), d(2027, month, 28), d(2027, month + 1, 1))
    ActivityUpdate.objects.create(
        report=followup.previous,
        activity=units.own,
        author=units.reporter,
        review_state=ReviewState.RETURNED,
        review_comment="Komplettera",
    )
    ActivityUpdate.objects.create(
        report=followup.report,
        activity=early,
        author=units.reporter,
        review_state=ReviewState.SUBMITTED,
    )
    return units.reporter


def _owed(user, **kwargs):
    return [(o.report.title, o.activity.code) for o in selectors.updates_to_write(user, **kwargs)]


def test_the_queue_puts_sent_back_first_then_reports_by_due_date_and_rows_in_plan_order(queue):
    plan_rows = ["0.9", "1.1", "1.3"]
    assert _owed(queue, limit=100) == [
        ("Helår 2024", "1.3"),  # sent back: first
        ("Helår 2024", "0.9"),
        ("Helår 2024", "1.1"),
        *[("Samma förfallodag", code) for code in plan_rows],  # same due date, earlier period
        ("Delår 2 2025", "1.1"),  # 0.9 is handed in
        ("Delår 2 2025", "1.3"),
        *[("Sen förfallodag", code) for code in plan_rows],
        ("Plan 2", "2.1"),  # only the rows of the report's own plan
        ("Avtal B", "B.1"),  # a report of the whole agreement: the rows of its plans
        *[(f"Senare {month}", code) for month in range(1, 5) for code in plan_rows],
    ]  # "Godkänd" is approved, "Senare 5" the eleventh open report


def test_the_queue_is_cut_at_its_limit(queue):
    assert _owed(queue, limit=3) == [
        ("Helår 2024", "1.3"),
        ("Helår 2024", "0.9"),
        ("Helår 2024", "1.1"),
    ]
    assert len(_owed(queue)) == 20


def test_the_queue_takes_a_bounded_number_of_queries(queue, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        owed = selectors.updates_to_write(queue, limit=100)
        for item in owed:  # what the start page's panel shows of each
            str(item.report.agreement)
            str(item.activity.plan)


def test_the_council_sees_its_newest_approved_reports_first(
    world, followup, council_member, outsider, django_assert_max_num_queries
):
    from django.utils import timezone

    now = timezone.now()

    def approved(title, start, end, days_ago, plan=followup.plan):
        return ReportFactory(
            plan=plan,
            title=title,
            period_start=start,
            period_end=end,
            due_date=end + datetime.timedelta(days=30),
            status=ReportStatus.APPROVED,
            approved_at=now - datetime.timedelta(days=days_ago),
        )

    approved("Helår 2023", d(2023, 1, 1), d(2023, 12, 31), days_ago=3)  # approved late
    approved("Delår 2 2024", d(2024, 1, 1), d(2024, 8, 31), days_ago=9)
    approved("Tertial 1 2024", d(2024, 1, 1), d(2024, 4, 30), days_ago=9)  # same day
    other_plan = FollowupPlanFactory(agreement=world.other_agreement)
    approved("Grannkommunens", d(2024, 1, 1), d(2024, 12, 31), days_ago=1, plan=other_plan)
    with django_assert_max_num_queries(2):
        titles = [
            (r.title, str(r.agreement)) for r in selectors.latest_approved_reports(council_member)
        ]
    agreement = str(world.agreement)
    assert titles == [
        ("Helår 2023", agreement),
        ("Delår 2 2024", agreement),  # approved the same day: the later period first
        ("Tertial 1 2024", agreement),
    ]  # the drafts "Helår 2024" and "Delår 2 2025" are not there
    assert [r.title for r in selectors.latest_approved_reports(council_member, limit=1)] == [
        "Helår 2023"
    ]
    assert [r.title for r in selectors.latest_approved_reports(outsider)] == ["Grannkommunens"]


# ---------------------------------------------------------------------------
# Indicators: the trend the report page and the council's charts show
# ---------------------------------------------------------------------------


def _values(indicator, *numbers, area=None):
    return [
        IndicatorValueFactory(
            indicator=indicator,
            period_start=d(2020 + i, 1, 1),
            period_end=d(2020 + i, 12, 31),
            value=Decimal(str(n)),
            area=area,
        )
        for i, n in enumerate(numbers)
    ]


@pytest.mark.parametrize(
    ("higher_is_better", "numbers", "direction", "target_met"),
    [
        (True, (60, 65), "better", False),  # target 70
        (True, (65, 60), "worse", False),
        (True, (65, 70), "better", True),  # the target reached exactly is met
        (False, (65, 60), "better", True),  # lower is better: 60 ≤ 70
        (False, (60, 71), "worse", False),
        (True, (64, 64), "unchanged", False),
    ],
)
def test_a_trend_compares_the_latest_value_with_the_one_before_and_the_target(
    followup, higher_is_better, numbers, direction, target_met
):
    indicator = followup.indicator
    indicator.higher_is_better = higher_is_better
    indicator.save()
    values = _values(indicator, *numbers)
    trend = selectors.trend_for(indicator, values)
    assert (trend["latest"], trend["previous"]) == (values[-1], values[-2])
    assert (trend["direction"], trend["target_met"]) == (direction, target_met)


def test_a_trend_of_one_value_has_no_direction_and_area_values_are_not_in_it(followup, world):
    area = AreaFactory(municipality=world.municipality)
    indicator = followup.indicator
    [whole] = _values(indicator, 72)
    in_area = _values(indicator, 10, area=area)
    trend = selectors.trend_for(indicator, [whole, *in_area])
    assert trend["series"] == [whole]
    assert (trend["latest"], trend["previous"], trend["direction"]) == (whole, None, None)
    assert trend["target_met"] is True
    empty = selectors.trend_for(indicator, [])
    assert (empty["latest"], empty["direction"], empty["target_met"]) == (None, None, None)
    indicator.target = None
    assert selectors.trend_for(indicator, [whole])["target_met"] is None


def test_indicator_trends_stop_at_the_reports_period_and_show_only_the_municipalitys(
    followup, world, coordinator, outsider
):
    values = _values(followup.indicator, 60, 62, 64)  # 2020, 2021, 2022
    IndicatorFactory(municipality=world.other_municipality, name="Bergsjös index")
    [trend] = selectors.indicator_trends(
        world.municipality.pk, until=d(2021, 12, 31), user=coordinator
    )
    assert trend["indicator"] == followup.indicator
    assert trend["series"] == values[:2]
    [everything] = selectors.indicator_trends(world.municipality.pk, user=coordinator)
    assert everything["series"] == values
    assert selectors.indicator_trends(world.municipality.pk, user=outsider) == []


# ---------------------------------------------------------------------------
# Filling in a report: what is pre-filled from the previous one
# ---------------------------------------------------------------------------


def test_a_new_update_is_prefilled_from_the_latest_earlier_report_of_the_agreement(
    world, followup, coordinator
):
    activity = followup.municipal
    older = ReportFactory(
        plan=followup.plan, period_start=d(2023, 1, 1), period_end=d(2023, 12, 31)
    )
    UpdateFactory(report=older, activity=activity, progress=10, done="2023")
    UpdateFactory(
        report=followup.previous,
        activity=activity,
        progress=40,
        done="2024",
        status=UpdateStatus.AT_RISK,
        effects="Färre larm",
        remedy="Fler vandringar",
    )
    later = ReportFactory(plan=followup.plan, period_start=d(2026, 1, 1), period_end=d(2026, 6, 30))
    UpdateFactory(report=later, activity=activity, progress=90, done="2026")
    previous = selectors.previous_updates(followup.report, [activity.pk, followup.police_led.pk])
    assert list(previous) == [activity.pk]  # the police-led activity has no earlier update
    assert previous[activity.pk].done == "2024"
    new = selectors.prefilled_update(followup.report, activity, previous[activity.pk])
    assert new.pk is None and new.report == followup.report and new.activity == activity
    assert (new.progress, new.done, new.status, new.effects, new.remedy) == (
        40,
        "2024",
        UpdateStatus.AT_RISK,
        "Färre larm",
        "Fler vandringar",
    )
    blank = selectors.prefilled_update(followup.report, activity, None)
    assert (blank.done, blank.progress) == ("", ActivityUpdate().progress)


def test_an_update_in_another_agreements_report_is_not_taken_as_the_previous_one(world, followup):
    activity = followup.municipal
    other = AgreementFactory(municipality=world.municipality, police_area=world.police_area)
    foreign = ReportFactory(
        plan=None, agreement=other, period_start=d(2024, 1, 1), period_end=d(2024, 12, 31)
    )
    UpdateFactory(report=foreign, activity=activity, done="fel avtal")
    assert selectors.previous_updates(followup.report, [activity.pk]) == {}


def test_the_fill_rows_show_saved_updates_and_prefill_the_rest_in_plan_order(
    followup, coordinator, council_member
):
    saved = UpdateFactory(report=followup.report, activity=followup.police_led, progress=70)
    UpdateFactory(report=followup.previous, activity=followup.municipal, progress=30)
    rows = selectors.report_fill_rows(followup.report, coordinator)
    assert [r.activity for r in rows] == [followup.municipal, followup.police_led]
    first, second = rows
    assert (first.is_saved, first.update.progress, first.previous.report) == (
        False,
        30,
        followup.previous,
    )
    assert (second.is_saved, second.update, second.previous) == (True, saved, None)
    assert first.editable and second.editable
    assert not any(r.editable for r in selectors.report_fill_rows(followup.report, council_member))


# ---------------------------------------------------------------------------
# The report page's overview
# ---------------------------------------------------------------------------


def test_the_overview_counts_per_focus_area_lists_changes_and_puts_delays_first(
    world, followup, coordinator
):
    loose = FollowupActivityFactory(plan=followup.plan, position=3, code="9.1", focus_area=None)
    late = FollowupActivityFactory(
        plan=followup.plan, position=4, code="1.4", focus_area=followup.focus_area
    )
    skipped = FollowupActivityFactory(
        plan=followup.plan, position=5, code="1.5", focus_area=followup.focus_area
    )
    report = followup.report
    UpdateFactory(
        report=followup.previous, activity=followup.municipal, status=UpdateStatus.ON_TRACK
    )
    UpdateFactory(
        report=followup.previous, activity=followup.police_led, status=UpdateStatus.AT_RISK
    )
    at_risk = UpdateFactory(report=report, activity=followup.municipal, status=UpdateStatus.AT_RISK)
    same = UpdateFactory(report=report, activity=followup.police_led, status=UpdateStatus.AT_RISK)
    delayed = UpdateFactory(report=report, activity=late, status=UpdateStatus.DELAYED)
    done = UpdateFactory(report=report, activity=loose, status=UpdateStatus.DONE)
    UpdateFactory(report=report, activity=skipped, not_reported_reason="Pausad i år")

    overview = selectors.report_overview(report, coordinator)
    assert overview.previous == followup.previous
    assert overview.deviations == [delayed, at_risk, same]  # delayed first, then plan order
    assert overview.done == [done]
    assert overview.not_reported == [skipped]
    assert overview.not_reported[0].not_reported_reason == "Pausad i år"
    counts = {f.title: (f.counts, f.total) for f in overview.focus_areas}
    assert counts == {
        "Trygga stadsdelar": (
            {"at_risk": 2, "delayed": 1, "not_reported": 1},
            4,
        ),
        "": ({"done": 1}, 1),
    }
    changes = [(c["activity"], c["before"], c["after"]) for c in overview.changes]
    label = {status: str(status.label) for status in UpdateStatus}
    assert (followup.municipal, label["on_track"], label["at_risk"]) in changes
    assert followup.police_led not in [c[0] for c in changes]  # at risk both times
    assert (late, None, str(UpdateStatus.DELAYED.label)) in changes  # new since last time
    assert overview.review_counts == {ReviewState.DRAFT: 4}


def test_the_first_report_has_no_previous_and_no_changes(followup, coordinator):
    UpdateFactory(report=followup.previous, activity=followup.municipal, status=UpdateStatus.DONE)
    overview = selectors.report_overview(followup.previous, coordinator)
    assert (overview.previous, overview.changes) == (None, [])
    assert overview.not_reported == [followup.police_led]
    assert overview.not_reported[0].not_reported_reason == ""


# ---------------------------------------------------------------------------
# Start page: reports due soon, updates waiting for review
# ---------------------------------------------------------------------------


def test_reports_due_soon_are_the_open_ones_due_within_the_window_earliest_first(
    followup, coordinator, council_member, outsider
):
    today = timezone.localdate()
    ReportFactory._meta.model.objects.filter(plan=followup.plan).delete()

    def due(days, **extra):
        return ReportFactory(
            plan=followup.plan, due_date=today + datetime.timedelta(days=days), **extra
        )

    today_report, in_month, later_soon = due(0), due(30), due(10)
    due(-1), due(31), due(5, status=ReportStatus.APPROVED)
    assert list(selectors.reports_due_soon(coordinator)) == [today_report, later_soon, in_month]
    assert list(selectors.reports_due_soon(coordinator, days=10)) == [today_report, later_soon]
    assert list(selectors.reports_due_soon(coordinator, limit=1)) == [today_report]
    assert list(selectors.reports_due_soon(council_member)) == []  # reads, does not write
    assert list(selectors.reports_due_soon(outsider)) == []


def test_updates_awaiting_review_leave_out_the_users_own_and_come_by_due_date(
    followup, coordinator, police
):
    submitted = {"review_state": ReviewState.SUBMITTED}
    by_police = UpdateFactory(
        report=followup.report, activity=followup.municipal, author=police, **submitted
    )
    earlier = UpdateFactory(
        report=followup.previous, activity=followup.police_led, author=police, **submitted
    )
    own = UpdateFactory(
        report=followup.report, activity=followup.police_led, author=coordinator, **submitted
    )
    UpdateFactory(report=followup.previous, activity=followup.municipal, author=police)  # a draft
    assert list(selectors.updates_awaiting_review(coordinator)) == [earlier, by_police]
    assert list(selectors.updates_awaiting_review(coordinator, limit=1)) == [earlier]
    assert list(selectors.updates_awaiting_review(police)) == [own]


# ---------------------------------------------------------------------------
# Who has reported: per responsible unit
# ---------------------------------------------------------------------------


def test_reporting_by_unit_names_each_units_reporters_states_and_last_reminder(
    world, followup, units, coordinator
):
    report = followup.report
    UpdateFactory(report=report, activity=units.own, review_state=ReviewState.SUBMITTED)
    UpdateFactory(report=report, activity=followup.municipal, review_state=ReviewState.RETURNED)
    head = UserFactory(username="chef-soc", first_name="Ada", last_name="Arvidsson")
    MembershipFactory(user=head, organisation=units.social, role=Role.REPORTER)
    gone = UserFactory(username="slutat", is_active=False)
    MembershipFactory(user=gone, organisation=units.social, role=Role.REPORTER)
    viewer = UserFactory(username="lasare-soc")
    MembershipFactory(user=viewer, organisation=units.social, role=Role.VIEWER)
    social_activity = FollowupActivityFactory(
        plan=followup.plan, position=9, code="1.9", responsible=units.social
    )
    old = ReportReminder.objects.create(report=report, unit=units.social, sent_by=coordinator)
    new = ReportReminder.objects.create(report=report, unit=units.social, sent_by=coordinator)
    ReportReminder.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=3)
    )
    # A reminder about another report is not this report's.
    ReportReminder.objects.create(report=followup.previous, unit=units.social, sent_by=coordinator)

    rows = {u.unit: u for u in selectors.reporting_by_unit(report)}
    youth = units.own.responsible
    assert [u.name for u in rows] == sorted(u.name for u in rows)
    assert [a.code for a, _s in rows[youth].activities] == ["1.3"]
    assert (rows[youth].handed_in, rows[youth].owed) == (1, 0)
    # Fältgruppen is under Socialförvaltningen: its reporters report for it too; the
    # inactive one and the reader are not reporters.
    assert rows[youth].reporters == [head, units.reporter]
    assert rows[units.social].reporters == [head, units.reporter]
    assert rows[units.technical].reporters == []
    assert (rows[units.technical].handed_in, rows[units.technical].owed) == (0, 1)
    assert rows[world.municipality].activities == [(followup.municipal, ReviewState.RETURNED)]
    assert rows[world.municipality].owed == 1
    assert rows[units.social].activities == [(social_activity, None)]
    assert rows[units.social].last_reminder == new
    assert rows[youth].last_reminder is None  # the reminder went to Socialförvaltningen


def test_a_report_without_responsible_units_has_no_reporting_rows(world, followup):
    plan = FollowupPlanFactory(agreement=world.agreement)
    FollowupActivityFactory(plan=plan, responsible=None)
    assert selectors.reporting_by_unit(ReportFactory(plan=plan)) == []


def _report_to(plan, title, end):
    """A report of the plan from the start of ``end``'s year to ``end``, due a month later."""
    return ReportFactory(
        plan=plan,
        title=title,
        period_start=d(end.year, 1, 1),
        period_end=end,
        due_date=end + datetime.timedelta(days=30),
    )


#: The number of a row imported with its own (high) number: the rows added after it get lower
#: ones although they lie after it in the table, so rows that tie on every other ordered
#: column come back in an order that only the number gives.
IMPORTED = 10**9


def test_reporting_by_unit_orders_rows_reporters_and_reminders_and_reads_in_four_queries(
    world, followup, units, coordinator, django_assert_num_queries
):
    from agreements.choices import OrganisationKind
    from tests.factories import OrganisationFactory

    report = followup.report
    social, technical = units.social, units.technical
    # A unit's rows in plan order: by position, then by number.
    also = FollowupActivityFactory(
        id=IMPORTED, plan=followup.plan, position=8, code="S.8b", responsible=social
    )
    first = FollowupActivityFactory(plan=followup.plan, position=7, code="S.7", responsible=social)
    later = FollowupActivityFactory(plan=followup.plan, position=8, code="S.8a", responsible=social)
    # A group two levels below Socialförvaltningen: its reporters report for it too.
    north = OrganisationFactory(
        name="Fältgruppen Nord", kind=OrganisationKind.DEPARTMENT, parent=units.own.responsible
    )
    FollowupActivityFactory(plan=followup.plan, position=10, code="N.1", responsible=north)
    # Reporters by surname, first name, user name (created in another order).
    people = {}
    for username, first_name, last_name in [
        ("berg", "Anna", "Berg"),
        ("ask-a", "Cilla", "Ask"),
        ("ask-b2", "Bea", "Ask"),
        ("ask-b1", "Bea", "Ask"),
    ]:
        people[username] = UserFactory(
            username=username, first_name=first_name, last_name=last_name
        )
        MembershipFactory(user=people[username], organisation=social, role=Role.REPORTER)
    # The latest reminder is the one sent last, whatever order the rows were written in.
    newest = ReportReminder.objects.create(report=report, unit=social, sent_by=coordinator)
    older = ReportReminder.objects.create(report=report, unit=social, sent_by=coordinator)
    ReportReminder.objects.filter(pk=older.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=3)
    )
    # Two sent at the same moment: the one written last.
    one = ReportReminder.objects.create(report=report, unit=technical, sent_by=coordinator)
    two = ReportReminder.objects.create(report=report, unit=technical, sent_by=coordinator)
    ReportReminder.objects.filter(pk=two.pk).update(sent_at=one.sent_at)
    # A reminder to a unit that has no row in this report any more.
    culture = OrganisationFactory(
        name="Kulturförvaltningen", kind=OrganisationKind.DEPARTMENT, parent=world.municipality
    )
    ReportReminder.objects.create(report=report, unit=culture, sent_by=coordinator)

    # The rows, the review states, the reporters and the reminders.
    with django_assert_num_queries(4):
        reporting = selectors.reporting_by_unit(report)
        shown = {
            u.unit.name: (
                [a.code for a, _state in u.activities],
                [p.username for p in u.reporters],
                u.last_reminder.pk if u.last_reminder else None,
                getattr(u.unit.parent, "name", None),
            )
            for u in reporting
        }
    reporters = ["ask-b1", "ask-b2", "ask-a", "berg", units.reporter.username]
    assert shown["Socialförvaltningen"] == (
        ["S.7", "S.8a", "S.8b"],
        reporters,
        newest.pk,
        world.municipality.name,
    )
    assert [first.pk, later.pk, also.pk] == [
        a.pk for a, _s in next(u for u in reporting if u.unit == social).activities
    ]
    assert shown["Fältgruppen Nord"][1] == reporters
    assert shown["Tekniska förvaltningen"][2] == two.pk
    assert "Kulturförvaltningen" not in shown


def test_an_agreements_whole_report_owes_the_rows_of_its_plans_plan_by_plan(world, followup, units):
    youth = units.own.responsible
    plan_b = FollowupPlanFactory(agreement=world.agreement, title="Plan B")
    FollowupActivityFactory(plan=plan_b, position=1, code="B.1", responsible=youth)
    # Same position in the first plan: by number.
    FollowupActivityFactory(
        id=IMPORTED, plan=followup.plan, position=5, code="A.5b", responsible=youth
    )
    FollowupActivityFactory(plan=followup.plan, position=5, code="A.5a", responsible=youth)
    # Every other open report is approved away, two of the whole agreement stay, alike in dates.
    type(followup.report)._base_manager.filter(plan=followup.plan).update(
        status=ReportStatus.APPROVED
    )
    for pk, title in ((IMPORTED, "Inläst"), (None, "Ny")):
        ReportFactory(
            id=pk,
            plan=None,
            agreement=world.agreement,
            title=title,
            period_start=d(2026, 1, 1),
            period_end=d(2026, 8, 31),
            due_date=d(2026, 9, 30),
        )
    rows = ["1.1", "1.3", "A.5a", "A.5b", "B.1"]  # plan A by position, then plan B
    assert _owed(units.reporter, limit=100) == [
        *[("Ny", code) for code in rows],
        *[("Inläst", code) for code in rows],
    ]


def test_the_council_start_page_shows_five_approved_reports_the_last_written_first_on_a_tie(
    world, followup, council_member
):
    now = timezone.now()
    made = [
        ReportFactory(
            plan=followup.plan,
            title=f"Rapport {n}",
            period_start=d(2020 + min(n, 4), 1, 1),
            period_end=d(2020 + min(n, 4), 12, 31),
            due_date=d(2021 + min(n, 4), 1, 31),
            status=ReportStatus.APPROVED,
            approved_at=now,
        )
        for n in range(6)
    ]
    shown = [r.title for r in selectors.latest_approved_reports(council_member)]
    # Rapport 4 and 5 end the same day and were approved at once: the one written last first.
    assert shown == ["Rapport 5", "Rapport 4", "Rapport 3", "Rapport 2", "Rapport 1"]
    assert made[0].title not in shown


def test_the_start_page_shows_ten_reports_due_soon_and_ten_updates_to_approve_one_query_each(
    followup, coordinator, police, council_member, django_assert_num_queries
):
    today = timezone.localdate()
    ReportFactory._meta.model.objects.filter(plan=followup.plan).delete()
    reports = [
        ReportFactory(
            id=IMPORTED if n == 10 else None,
            plan=followup.plan,
            title=f"Rapport {n:02}",
            due_date=today + datetime.timedelta(days=5),
        )
        for n in (10, *range(10))
    ]
    updates = [
        UpdateFactory(
            id=IMPORTED if report.pk == IMPORTED else None,
            report=report,
            activity=followup.police_led,
            author=police,
            review_state=ReviewState.SUBMITTED,
        )
        for report in reports
    ]
    get_access(coordinator)  # who the user is was read when they logged in
    # Due the same day: in the order they were made, the first ten.
    with django_assert_num_queries(1):
        due = [(r.title, r.agreement.title) for r in selectors.reports_due_soon(coordinator)]
    assert due == [(f"Rapport {n:02}", followup.plan.agreement.title) for n in range(10)]
    with django_assert_num_queries(1):
        waiting = [
            (u.pk, u.report.title, u.activity.title)
            for u in selectors.updates_awaiting_review(coordinator)
        ]
    assert [pk for pk, _r, _a in waiting] == [u.pk for u in updates[1:]]
    assert waiting[0][1:] == ("Rapport 00", followup.police_led.title)
    # The council reads the reports and their updates but approves none.
    assert list(selectors.updates_awaiting_review(council_member)) == []


def test_each_activitys_previous_update_is_its_latest_in_an_earlier_period_two_queries(
    followup, django_assert_num_queries
):
    # Helår 2024 (followup.previous) was made first; an older period is added after it.
    older = _report_to(followup.plan, "Delår 2 2024", d(2024, 8, 31))
    later = _report_to(
        followup.plan, "Helår 2025", d(2025, 12, 31)
    )  # after Delår 2 2025: not earlier
    municipal, police_led = followup.municipal, followup.police_led
    UpdateFactory(report=followup.previous, activity=municipal, progress=40)
    UpdateFactory(report=older, activity=municipal, progress=20)
    UpdateFactory(report=older, activity=police_led, progress=10)
    UpdateFactory(report=later, activity=police_led, progress=90)
    with django_assert_num_queries(2):
        previous = selectors.previous_updates(followup.report, [municipal.pk, police_led.pk])
        shown = {pk: (u.progress, u.report.title) for pk, u in previous.items()}
    assert shown == {municipal.pk: (40, "Helår 2024"), police_led.pk: (10, "Delår 2 2024")}


def test_an_indicators_values_come_period_by_period_then_by_area_name(
    world, followup, django_assert_num_queries
):
    indicator = followup.indicator
    east = AreaFactory(municipality=world.municipality, name="Östermalm")
    centre = AreaFactory(municipality=world.municipality, name="Centrum")

    def value(start, end, area, number):
        return IndicatorValueFactory(
            indicator=indicator, period_start=start, period_end=end, area=area, value=number
        )

    # Written in another order than they are read.
    value(d(2025, 1, 1), d(2025, 12, 31), east, 3)
    value(d(2025, 1, 1), d(2025, 12, 31), centre, 4)
    value(d(2025, 1, 1), d(2025, 6, 30), centre, 2)
    value(d(2024, 7, 1), d(2025, 6, 30), centre, 1)
    with django_assert_num_queries(1):
        rows = [
            (v.period_start, v.period_end, v.area.name, int(v.value))
            for v in selectors.indicator_values(indicator)
        ]
    assert [number for *_rest, number in rows] == [1, 2, 4, 3]
    assert rows[-1][2] == "Östermalm"


def test_a_whole_agreements_report_fills_plan_by_plan_and_reads_each_row_in_fixed_queries(
    world, followup, coordinator, police, django_assert_num_queries
):
    plan_b = FollowupPlanFactory(agreement=world.agreement, title="Plan B")
    first_b = FollowupActivityFactory(
        plan=plan_b, position=1, code="B.1", responsible=world.police_area
    )
    # A report of the whole agreement made after the second plan: both plans' rows.
    report = ReportFactory(
        plan=None,
        agreement=world.agreement,
        title="Hela avtalet 2025",
        period_start=d(2025, 9, 1),
        period_end=d(2025, 12, 31),
        due_date=d(2026, 1, 31),
    )
    UpdateFactory(
        report=report,
        activity=followup.police_led,
        author=police,
        reviewed_by=coordinator,
        review_state=ReviewState.RETURNED,
    )
    get_access(coordinator)
    # The rows, the saved updates with author and reviewer, the earlier updates (none here,
    # so none is read).
    with django_assert_num_queries(3):
        rows = selectors.report_fill_rows(report, coordinator)
        shown = [
            (
                r.activity.code,
                r.activity.responsible.name,
                r.update.activity.code,
                r.update.report.title,
                getattr(r.update.author, "username", None),
                getattr(r.update.reviewed_by, "username", None),
            )
            for r in rows
        ]
    assert shown == [
        ("1.1", world.municipality.name, "1.1", "Hela avtalet 2025", None, None),
        (
            "1.2",
            world.police_area.name,
            "1.2",
            "Hela avtalet 2025",
            police.username,
            "samordnare-a",
        ),
        ("B.1", world.police_area.name, "B.1", "Hela avtalet 2025", None, None),
    ]
    assert rows[2].activity == first_b


def test_deviations_come_plan_by_plan_each_since_its_unbroken_run_began(
    world, followup, coordinator, django_assert_num_queries
):
    plan_b = FollowupPlanFactory(agreement=world.agreement, title="Plan B")
    first_b = FollowupActivityFactory(plan=plan_b, position=1, code="B.1")
    plain = FollowupActivityFactory(plan=followup.plan, position=0, code="0.1")

    delayed, at_risk, on_track = UpdateStatus.DELAYED, UpdateStatus.AT_RISK, UpdateStatus.ON_TRACK
    # 1.2: delayed now and in the report before; on track before that, in a report added last.
    UpdateFactory(report=followup.report, activity=followup.police_led, status=delayed)
    UpdateFactory(report=followup.previous, activity=followup.police_led, status=at_risk)
    oldest = _report_to(followup.plan, "Helår 2023", d(2023, 12, 31))
    UpdateFactory(report=oldest, activity=followup.police_led, status=on_track)
    # 0.1 deviated once but is on track now; 1.1 has nothing reported.
    UpdateFactory(report=followup.previous, activity=plain, status=delayed)
    UpdateFactory(report=followup.report, activity=plain, status=on_track)
    UpdateFactory(
        report=_report_to(plan_b, "B 2025", d(2025, 8, 31)), activity=first_b, status=at_risk
    )
    get_access(coordinator)
    with django_assert_num_queries(2):  # the visible plans, the deviating rows
        activities = list(selectors.deviating_activities(coordinator))
        rows = [(a.code, a.plan.title, a.plan.agreement.title, a.latest_status) for a in activities]
    assert rows == [
        ("1.2", followup.plan.title, world.agreement.title, delayed),
        ("B.1", "Plan B", world.agreement.title, at_risk),
    ]
    # Whatever list it is handed: the ones not deviating now are left out.
    everyone = [plain, followup.municipal, *activities]
    with django_assert_num_queries(1):
        deviations = selectors.describe_deviations(everyone)
        shown = [
            (d.activity.code, d.update.activity.code, d.since_report.title, d.reports_in_row)
            for d in deviations
        ]
    assert shown == [("1.2", "1.2", "Helår 2024", 2), ("B.1", "B.1", "B 2025", 1)]


def test_a_lower_is_better_indicator_at_its_target_has_met_it(followup):
    indicator = IndicatorFactory(
        municipality=followup.indicator.municipality,
        name="Anmälda brott per 1 000 invånare",
        higher_is_better=False,
        baseline=Decimal("90"),
        target=Decimal("80"),
    )
    values = _values(indicator, 85, 80)
    trend = selectors.trend_for(indicator, values)
    assert (trend["direction"], trend["target_met"]) == ("better", True)
    above = IndicatorValueFactory(
        indicator=indicator, period_start=d(2022, 1, 1), period_end=d(2022, 12, 31), value=81
    )
    assert selectors.trend_for(indicator, [*values, above])["target_met"] is False


def test_the_trend_reads_values_by_start_when_two_periods_end_on_the_same_day(
    world, followup, coordinator
):
    indicator = followup.indicator
    # A half-year and the whole year end the same day: the whole year began first.
    IndicatorValueFactory(
        indicator=indicator, period_start=d(2024, 7, 1), period_end=d(2024, 12, 31), value=65
    )
    IndicatorValueFactory(
        indicator=indicator, period_start=d(2024, 1, 1), period_end=d(2024, 12, 31), value=61
    )
    [trend] = [
        t
        for t in selectors.indicator_trends(world.municipality.pk, user=coordinator)
        if t["indicator"] == indicator
    ]
    assert [int(v.value) for v in trend["series"]] == [61, 65]


def test_the_overview_reads_its_rows_the_previous_report_and_trends_as_of_its_period(
    world, followup, coordinator, police, django_assert_max_num_queries
):
    from agreements.models import FocusArea

    second_focus = FocusArea.objects.create(agreement=world.agreement, position=2, title="Andra")
    plan_b = FollowupPlanFactory(agreement=world.agreement, title="Plan B")
    b_row = FollowupActivityFactory(
        plan=plan_b, position=0, code="B.0", focus_area=followup.focus_area
    )
    late_row = FollowupActivityFactory(
        plan=followup.plan, position=0, code="2.0", focus_area=second_focus
    )
    report = ReportFactory(
        plan=None,
        agreement=world.agreement,
        title="Hela avtalet 2025",
        period_start=d(2025, 1, 1),
        period_end=d(2025, 8, 31),
    )
    for activity in (followup.municipal, followup.police_led, b_row, late_row):
        UpdateFactory(report=report, activity=activity, author=police, status=UpdateStatus.ON_TRACK)
    # The previous report is the latest earlier one of this agreement, whatever its number.
    ReportFactory(
        plan=followup.plan,
        title="Delår 1 2024",
        period_start=d(2024, 1, 1),
        period_end=d(2024, 4, 30),
    )
    ReportFactory(
        plan=FollowupPlanFactory(agreement=world.other_agreement),
        title="Grannens",
        period_start=d(2025, 1, 1),
        period_end=d(2025, 6, 30),
    )
    _values(followup.indicator, 60, 62, 64, 66, 68, 70)  # 2020–2025: 2025 ends after the period
    get_access(coordinator)
    with django_assert_max_num_queries(8):
        overview = selectors.report_overview(report, coordinator)
        rows = [
            (
                u.activity.code,
                u.activity.focus_area.title,
                u.report.title,
                u.author.username,
                getattr(u.reviewed_by, "username", None),
            )
            for u in overview.updates
        ]
    assert overview.report == report
    # Focus area by focus area, then plan by plan, then by position.
    assert [code for code, *_rest in rows] == ["1.1", "1.2", "B.0", "2.0"]
    assert rows[0][1:] == ("Trygga stadsdelar", "Hela avtalet 2025", police.username, None)
    assert overview.previous == followup.previous  # Helår 2024, not Delår 1 2024 or Grannens
    [trend] = [t for t in overview.indicators if t["indicator"] == followup.indicator]
    assert int(trend["latest"].value) == 68  # 2024: the last value before the period's end
