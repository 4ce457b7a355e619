"""The follow-up services' rules called directly: who may, what is refused and in which words,
and that a refusal changes nothing (reminders, indicators, a year's reports)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core.choices import ReviewState
from followup import services
from followup.models import ActivityUpdate, FollowUpReport, FollowUpRhythm, ReportReminder

from .factories import FollowupPlanFactory, IndicatorValueFactory


def _refusal(call, **kwargs) -> str:
    with pytest.raises(ValidationError) as exc_info:
        call(**kwargs)
    return " ".join(exc_info.value.messages)


def _nothing_sent():
    return not mail.outbox and not ReportReminder.objects.exists()


# Reminders ---------------------------------------------------------------------------------


def test_only_the_coordinator_reminds_a_unit(units, followup, police):
    with pytest.raises(PermissionDenied) as exc_info:
        services.report_remind(
            report=followup.report, unit_id=units.own.responsible_id, user=police
        )
    assert str(exc_info.value) == "Bara kommunens trygghetssamordnare får göra detta."
    assert _nothing_sent()


def test_an_approved_report_sends_no_reminder(followup, approved, coordinator):
    message = _refusal(
        services.report_remind,
        report=approved,
        unit_id=followup.municipal.responsible_id,
        user=coordinator,
    )
    assert message == "Rapporten är godkänd; det finns inget kvar att rapportera."
    assert _nothing_sent()


def test_a_unit_without_activities_in_the_report_is_not_reminded(
    units, followup, world, coordinator
):
    message = _refusal(
        services.report_remind,
        report=followup.report,
        unit_id=world.other_municipality.pk,
        user=coordinator,
    )
    assert message == "Enheten har inga aktiviteter i den här rapporten."
    assert _nothing_sent()


def test_a_unit_that_has_handed_in_everything_is_not_reminded(units, followup, coordinator):
    ActivityUpdate.objects.create(
        report=followup.report,
        activity=units.other,
        author=coordinator,
        review_state=ReviewState.SUBMITTED,
    )
    message = _refusal(
        services.report_remind,
        report=followup.report,
        unit_id=units.technical.pk,
        user=coordinator,
    )
    assert message == "Enheten har lämnat in alla sina uppdateringar i den här rapporten."
    assert _nothing_sent()


def test_reporters_without_an_email_address_are_not_reminded(units, followup, coordinator):
    units.reporter.email = ""
    units.reporter.save()
    message = _refusal(
        services.report_remind,
        report=followup.report,
        unit_id=units.own.responsible_id,
        user=coordinator,
    )
    assert message == "Enhetens rapportörer saknar e-postadress."
    assert _nothing_sent()


def test_a_reminder_counts_and_logs_the_emails_sent(units, followup, coordinator):
    sent = services.report_remind(
        report=followup.report, unit_id=units.own.responsible_id, user=coordinator
    )
    assert sent == 1 and len(mail.outbox) == 1
    reminder = ReportReminder.objects.get()
    assert (reminder.unit_id, reminder.recipients, reminder.sent_by) == (
        units.own.responsible_id,
        1,
        coordinator,
    )


# Indicators --------------------------------------------------------------------------------


def test_only_the_coordinator_changes_an_indicator(followup, police):
    indicator = followup.indicator
    indicator.name = "Ändrat av polisen"
    with pytest.raises(PermissionDenied) as exc_info:
        services.indicator_save(indicator=indicator, user=police, version=indicator.version)
    assert str(exc_info.value) == "Bara kommunens trygghetssamordnare får ändra indikatorer."
    indicator.refresh_from_db()
    assert indicator.name == "Trygghetsindex"


def test_only_the_coordinator_records_an_indicator_value(followup, police, outsider):
    value = IndicatorValueFactory.build(indicator=followup.indicator, value=Decimal("70"))
    for user in (police, outsider):
        with pytest.raises(PermissionDenied) as exc_info:
            services.indicator_value_save(value=value, user=user)
        assert str(exc_info.value) == "Bara kommunens trygghetssamordnare får ändra indikatorer."
    assert not followup.indicator.values.exists()


def test_the_coordinator_records_an_indicator_value(followup, coordinator):
    value = IndicatorValueFactory.build(indicator=followup.indicator, value=Decimal("70.5"))
    services.indicator_value_save(value=value, user=coordinator)
    assert list(followup.indicator.values.values_list("value", flat=True)) == [Decimal("70.5")]


# A year's reports --------------------------------------------------------------------------


def test_without_a_rhythm_the_year_gets_an_interim_and_an_annual_report(world, coordinator):
    assert not FollowUpRhythm.objects.exists()
    created = services.reports_create_for_year(
        agreement=world.agreement, year=2025, user=coordinator
    )
    assert [(r.title, r.period_end) for r in created] == [
        ("Delår 2 2025", datetime.date(2025, 8, 31)),
        ("Helår 2025", datetime.date(2025, 12, 31)),
    ]
    assert created[1].due_date == datetime.date(2026, 1, 30)  # 30 days, the default


def test_a_year_outside_the_agreement_is_refused_beside_the_year_field(world, coordinator):
    with pytest.raises(ValidationError) as exc_info:
        services.reports_create_for_year(agreement=world.agreement, year=2031, user=coordinator)
    start, end = world.agreement.valid_from.year, world.agreement.valid_to.year
    assert exc_info.value.message_dict == {
        "year": [f"Året måste ligga inom överenskommelsens period ({start}–{end})."]
    }
    assert not FollowUpReport.objects.exists()


def test_each_report_follows_the_plan_in_force_at_its_end(world, coordinator):
    # The later plan is created first: the choice goes by the plans' dates, not their order.
    later = FollowupPlanFactory(
        agreement=world.agreement,
        valid_from=datetime.date(2026, 1, 1),
        valid_to=datetime.date(2027, 12, 31),
    )
    earlier = FollowupPlanFactory(
        agreement=world.agreement,
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2025, 12, 31),
    )
    first = services.reports_create_for_year(agreement=world.agreement, year=2025)
    second = services.reports_create_for_year(agreement=world.agreement, year=2026)
    assert {r.plan for r in first} == {earlier}
    assert {r.plan for r in second} == {later}
