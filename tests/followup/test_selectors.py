"""The follow-up selectors called directly: a unit reporter's queue of updates to write."""

import datetime

import pytest

from core.choices import ReviewState
from followup import selectors
from followup.choices import ReportStatus
from followup.models import ActivityUpdate
from tests.factories import AgreementFactory

from .factories import FollowupActivityFactory, FollowupPlanFactory, ReportFactory

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
