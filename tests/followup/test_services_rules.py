"""The follow-up services' rules called directly: who may, what is refused and in which words,
and that a refusal changes nothing (reminders, indicators, a year's reports)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core.choices import ReviewState
from followup import services
from followup.choices import ReportStatus
from followup.models import ActivityUpdate, FollowUpReport, FollowUpRhythm, ReportReminder

from .factories import FollowupPlanFactory, IndicatorValueFactory


def _refusal(call, **kwargs) -> str:
    with pytest.raises(ValidationError) as exc_info:
        call(**kwargs)
    return " ".join(exc_info.value.messages)


def _nothing_sent():
    return not mail.outbox and not ReportReminder.objects.exists()


def _remind_refusal(report, unit_id, user) -> str:
    """The reminder's refusal, after checking that nothing was sent or logged."""
    message = _refusal(services.report_remind, report=report, unit_id=unit_id, user=user)
    assert _nothing_sent()
    return message


# Reminders ---------------------------------------------------------------------------------


def test_only_the_coordinator_reminds_a_unit(units, followup, police):
    with pytest.raises(PermissionDenied) as exc_info:
        services.report_remind(
            report=followup.report, unit_id=units.own.responsible_id, user=police
        )
    assert str(exc_info.value) == "Bara kommunens trygghetssamordnare får göra detta."
    assert _nothing_sent()


def test_an_approved_report_sends_no_reminder(followup, approved, coordinator):
    message = _remind_refusal(approved, followup.municipal.responsible_id, coordinator)
    assert message == "Rapporten är godkänd; det finns inget kvar att rapportera."


def test_a_unit_without_activities_in_the_report_is_not_reminded(
    units, followup, world, coordinator
):
    message = _remind_refusal(followup.report, world.other_municipality.pk, coordinator)
    assert message == "Enheten har inga aktiviteter i den här rapporten."


def test_a_unit_that_has_handed_in_everything_is_not_reminded(units, followup, coordinator):
    ActivityUpdate.objects.create(
        report=followup.report,
        activity=units.other,
        author=coordinator,
        review_state=ReviewState.SUBMITTED,
    )
    message = _remind_refusal(followup.report, units.technical.pk, coordinator)
    assert message == "Enheten har lämnat in alla sina uppdateringar i den här rapporten."


def test_reporters_without_an_email_address_are_not_reminded(units, followup, coordinator):
    units.reporter.email = ""
    units.reporter.save()
    message = _remind_refusal(followup.report, units.own.responsible_id, coordinator)
    assert message == "Enhetens rapportörer saknar e-postadress."


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


# Marking an activity as not reported -------------------------------------------------------


def _mark(followup, coordinator, activity=None, reason="Genomfördes inte i år.", report=None):
    return services.update_mark_not_reported(
        report=report or followup.report,
        activity=activity or followup.municipal,
        user=coordinator,
        reason=reason,
    )


def test_marking_not_reported_needs_a_reason_beside_its_field(followup, coordinator):
    with pytest.raises(ValidationError) as exc_info:
        _mark(followup, coordinator, reason="  ")
    assert exc_info.value.message_dict == {"reason": ["Ange varför aktiviteten inte rapporteras."]}
    assert not ActivityUpdate.objects.exists()


def test_marking_not_reported_is_refused_in_an_approved_report(followup, approved, coordinator):
    before = list(ActivityUpdate.objects.values_list("pk", "review_state", "not_reported_reason"))
    message = _refusal(_mark, followup=followup, coordinator=coordinator, report=approved)
    assert message == "Rapporten är godkänd och kan inte längre ändras."
    after = list(ActivityUpdate.objects.values_list("pk", "review_state", "not_reported_reason"))
    assert after == before


def test_an_activity_outside_the_report_cannot_be_marked(followup, world, coordinator):
    elsewhere = FollowupPlanFactory(agreement=world.agreement, title="En annan plan")
    stranger = elsewhere.activities.create(position=1, code="9.9", title="Annan plans aktivitet")
    message = _refusal(_mark, followup=followup, coordinator=coordinator, activity=stranger)
    assert message == "Aktiviteten ingår inte i den här rapporten."
    assert not ActivityUpdate.objects.exists()


def test_a_handed_in_update_is_reviewed_not_marked(followup, coordinator):
    update = ActivityUpdate.objects.create(
        report=followup.report,
        activity=followup.municipal,
        author=coordinator,
        review_state=ReviewState.SUBMITTED,
    )
    message = _refusal(_mark, followup=followup, coordinator=coordinator)
    assert message == "Aktivitetens uppdatering är inlämnad; granska den i stället."
    update.refresh_from_db()
    assert (update.review_state, update.not_reported_reason) == (ReviewState.SUBMITTED, "")


def test_marking_keeps_the_author_clears_the_review_and_touches_no_other_report(
    followup, coordinator, units
):
    earlier = ActivityUpdate.objects.create(
        report=followup.previous, activity=followup.municipal, author=units.reporter
    )
    returned = ActivityUpdate.objects.create(
        report=followup.report,
        activity=followup.municipal,
        author=units.reporter,
        review_state=ReviewState.RETURNED,
        review_comment="Komplettera",
    )
    _mark(followup, coordinator, reason="  Genomfördes inte i år.  ")
    returned.refresh_from_db()
    assert returned.review_state == ReviewState.APPROVED
    assert returned.not_reported_reason == "Genomfördes inte i år."
    assert (returned.author, returned.reviewed_by) == (units.reporter, coordinator)
    assert returned.reviewed_at is not None and returned.review_comment == ""
    earlier.refresh_from_db()
    assert (earlier.review_state, earlier.not_reported_reason) == (ReviewState.DRAFT, "")


def test_marking_without_an_update_writes_one_by_the_coordinator(followup, coordinator):
    update = _mark(followup, coordinator)
    stored = ActivityUpdate.objects.get(report=followup.report, activity=followup.municipal)
    assert stored.pk == update.pk
    assert (stored.author, stored.reviewed_by) == (coordinator, coordinator)


# Returning an update, reopening a report ---------------------------------------------------


def test_only_a_reviewer_of_the_agreement_returns_an_update(followup, coordinator, outsider):
    update = ActivityUpdate.objects.create(
        report=followup.report,
        activity=followup.police_led,
        author=coordinator,
        review_state=ReviewState.SUBMITTED,
    )
    with pytest.raises(PermissionDenied) as exc_info:
        services.update_return(update=update, user=outsider, comment="Nej")
    assert str(exc_info.value) == "Du får inte granska uppdateringar i den här överenskommelsen."
    update.refresh_from_db()
    assert update.review_state == ReviewState.SUBMITTED


def test_a_draft_update_cannot_be_returned(followup, coordinator, police):
    update = ActivityUpdate.objects.create(
        report=followup.report, activity=followup.police_led, author=coordinator
    )
    message = _refusal(services.update_return, update=update, user=police, comment="Mer")
    assert message == "Bara en inlämnad eller godkänd uppdatering kan återremitteras."
    update.refresh_from_db()
    assert (update.review_state, update.review_comment) == (ReviewState.DRAFT, "")


def test_reopening_an_approved_report_needs_a_reason_beside_its_field(approved, coordinator):
    with pytest.raises(ValidationError) as exc_info:
        services.report_reopen(report=approved, user=coordinator, reason=" ")
    assert list(exc_info.value.message_dict) == ["reason"]
    approved.refresh_from_db()
    assert approved.status == ReportStatus.APPROVED and approved.approved_pdf


def test_reopening_an_approved_report_lets_go_of_its_pdf(approved, coordinator):
    services.report_reopen(report=approved, user=coordinator, reason="Fel siffra i 1.2")
    stored = FollowUpReport.objects.get(pk=approved.pk)
    assert stored.status == ReportStatus.SUBMITTED
    assert stored.approved_pdf.name == "" and stored.approved_pdf_sha256 == ""
    assert stored.reopen_reason == "Fel siffra i 1.2" and stored.reopened_by == coordinator
    assert stored.history.filter(status=ReportStatus.APPROVED).exclude(approved_pdf="").exists()


def test_a_draft_report_cannot_be_reopened(followup, coordinator):
    message = _refusal(services.report_reopen, report=followup.report, user=coordinator)
    assert message == "Bara en inlämnad eller godkänd rapport kan öppnas igen."


# Writing an update, approving, and what a refusal names ------------------------------------


def test_the_police_may_not_write_the_municipalitys_update(followup, police):
    update = ActivityUpdate(report=followup.report, activity=followup.municipal, author=police)
    with pytest.raises(PermissionDenied) as exc_info:
        services.activity_update_save(update=update, user=police)
    assert str(exc_info.value) == "Du får inte skriva uppdateringen för den här aktiviteten."
    assert not ActivityUpdate.objects.exists()


def test_the_approval_job_is_named_after_the_report(followup, coordinator, police):
    from tests.followup.conftest import submitted_report

    report = submitted_report(followup, coordinator, police)
    job = services.report_approve_start(report=report, user=coordinator)
    assert job.title == "Godkännande av Delår 2 2025"


@pytest.mark.parametrize("extra, tail", [(11, "och 1 till."), (12, "och 2 till.")])
def test_a_refusal_names_ten_missing_activities_and_counts_the_rest(
    followup, coordinator, extra, tail
):
    for n in range(extra - 2):  # the plan has two activities already
        followup.plan.activities.create(position=10 + n, code=f"5.{n}", title=f"Insats {n}")
    message = _refusal(services.report_submit, report=followup.report, user=coordinator)
    named = message.split("Saknas fortfarande: ", 1)[1]
    assert named.count("; ") == 10  # ten named, then the count
    assert named.startswith("1.1 Trygghetsvandringar (ingen uppdatering); 1.2 ")
    assert named.endswith(tail)


# Submitting an update ----------------------------------------------------------------------


def test_the_police_may_not_submit_the_municipalitys_update(followup, coordinator, police):
    update = ActivityUpdate.objects.create(
        report=followup.report, activity=followup.municipal, author=coordinator
    )
    with pytest.raises(PermissionDenied) as exc_info:
        services.update_submit(update=update, user=police)
    assert str(exc_info.value) == "Du får inte lämna in uppdateringen för den här aktiviteten."
    update.refresh_from_db()
    assert update.review_state == ReviewState.DRAFT


def test_an_update_of_an_approved_report_is_not_submitted(followup, approved, coordinator):
    update = approved.updates.get(activity=followup.municipal)
    update.review_state = ReviewState.DRAFT  # in memory only: the report decides
    message = _refusal(services.update_submit, update=update, user=coordinator)
    assert message == "Rapporten är godkänd och kan inte längre ändras."
    update.refresh_from_db()
    assert update.review_state == ReviewState.APPROVED


def test_a_handed_in_update_is_not_submitted_again(followup, coordinator):
    update = ActivityUpdate.objects.create(
        report=followup.report,
        activity=followup.municipal,
        author=coordinator,
        review_state=ReviewState.SUBMITTED,
    )
    message = _refusal(services.update_submit, update=update, user=coordinator)
    assert message == "Bara en uppdatering som är utkast eller återremitterad kan lämnas in."
    assert ActivityUpdate.objects.get(pk=update.pk).submitted_at is None


# Approving an update -----------------------------------------------------------------------


def _submitted(followup, author, activity=None):
    return ActivityUpdate.objects.create(
        report=followup.report,
        activity=activity or followup.police_led,
        author=author,
        review_state=ReviewState.SUBMITTED,
    )


def test_only_a_reviewer_of_the_agreement_approves_an_update(followup, coordinator, outsider):
    update = _submitted(followup, coordinator)
    with pytest.raises(PermissionDenied) as exc_info:
        services.update_approve(update=update, user=outsider)
    assert str(exc_info.value) == "Du får inte granska uppdateringar i den här överenskommelsen."
    update.refresh_from_db()
    assert update.review_state == ReviewState.SUBMITTED


def test_only_a_submitted_update_is_approved(followup, coordinator, police):
    update = ActivityUpdate.objects.create(
        report=followup.report, activity=followup.police_led, author=coordinator
    )
    message = _refusal(services.update_approve, update=update, user=police)
    assert message == "Bara en inlämnad uppdatering kan godkännas."
    update.refresh_from_db()
    assert (update.review_state, update.reviewed_by) == (ReviewState.DRAFT, None)


def test_the_author_does_not_approve_their_own_update(followup, police):
    update = _submitted(followup, police)
    message = _refusal(services.update_approve, update=update, user=police)
    assert message == (
        "Du skrev eller ändrade senast den här uppdateringen; någon annan godkänner den "
        "(fyra ögon)."
    )
    update.refresh_from_db()
    assert update.review_state == ReviewState.SUBMITTED
