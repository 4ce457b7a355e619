"""followup.services: the report's and the updates' review states, at their edges.

Each test pins what the coordinator or the kommunpolis would see: the state the row is
left in, who is recorded, and the counts the refusal names. Written against the mutants
`make mutants` left alive.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actionplans.choices import ActivityStatus
from core.choices import ReviewState
from followup import services
from followup.choices import ReportStatus
from followup.models import ActivityUpdate, FollowUpReport

from .factories import UpdateFactory

R = ReviewState


def _message(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def _updates(followup, municipal=R.SUBMITTED, police_led=R.SUBMITTED):
    return (
        UpdateFactory(report=followup.report, activity=followup.municipal, review_state=municipal),
        UpdateFactory(
            report=followup.report, activity=followup.police_led, review_state=police_led
        ),
    )


def _status(report):
    return FollowUpReport.objects.get(pk=report.pk).status


# ---------------------------------------------------------------------------
# Submitting, approving and reopening the report
# ---------------------------------------------------------------------------


def test_a_report_with_every_update_handed_in_is_submitted(coordinator, followup):
    _updates(followup, municipal=R.SUBMITTED, police_led=R.APPROVED)
    services.report_submit(report=followup.report, user=coordinator)
    assert _status(followup.report) == ReportStatus.SUBMITTED


def test_submitting_names_what_is_missing_and_what_is_not_handed_in(coordinator, followup):
    UpdateFactory(report=followup.report, activity=followup.municipal, review_state=R.DRAFT)
    with pytest.raises(ValidationError) as exc_info:
        services.report_submit(report=followup.report, user=coordinator)
    assert "(1 saknas, 1 inte inlämnad)" in _message(exc_info)
    assert _status(followup.report) == ReportStatus.DRAFT


def test_a_returned_update_also_stops_the_report(coordinator, followup):
    _updates(followup, municipal=R.RETURNED, police_led=R.RETURNED)
    with pytest.raises(ValidationError) as exc_info:
        services.report_submit(report=followup.report, user=coordinator)
    assert "(0 saknas, 2 inte inlämnade)" in _message(exc_info)
    assert _status(followup.report) == ReportStatus.DRAFT


def test_a_report_already_submitted_is_not_submitted_again(coordinator, followup):
    _updates(followup)
    FollowUpReport.objects.filter(pk=followup.report.pk).update(status=ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError) as exc_info:
        services.report_submit(report=followup.report, user=coordinator)
    assert "Bara en rapport som är utkast" in _message(exc_info)


def _submitted(followup):
    FollowUpReport.objects.filter(pk=followup.report.pk).update(status=ReportStatus.SUBMITTED)
    followup.report.refresh_from_db()
    return followup.report


def test_approving_names_how_many_updates_remain(coordinator, followup):
    _updates(followup, municipal=R.APPROVED, police_led=R.SUBMITTED)
    with pytest.raises(ValidationError) as exc_info:
        services.report_approve(report=_submitted(followup), user=coordinator)
    assert "(1 återstår)" in _message(exc_info)
    assert _status(followup.report) == ReportStatus.SUBMITTED


def test_a_missing_update_counts_as_remaining(coordinator, followup):
    UpdateFactory(report=followup.report, activity=followup.municipal, review_state=R.APPROVED)
    with pytest.raises(ValidationError) as exc_info:
        services.report_approve(report=_submitted(followup), user=coordinator)
    assert "(1 återstår)" in _message(exc_info)


def test_a_report_with_every_update_approved_is_approved(coordinator, followup):
    _updates(followup, municipal=R.APPROVED, police_led=R.APPROVED)
    report = services.report_approve(report=_submitted(followup), user=coordinator)
    assert report.status == ReportStatus.APPROVED
    assert _status(followup.report) == ReportStatus.APPROVED


def test_a_draft_report_is_not_approved(coordinator, followup):
    _updates(followup, municipal=R.APPROVED, police_led=R.APPROVED)
    with pytest.raises(ValidationError) as exc_info:
        services.report_approve(report=followup.report, user=coordinator)
    assert "Bara en inlämnad rapport kan godkännas." in _message(exc_info)
    assert _status(followup.report) == ReportStatus.DRAFT


def test_a_submitted_report_is_reopened_and_a_draft_is_not(coordinator, followup):
    with pytest.raises(ValidationError):
        services.report_reopen(report=followup.report, user=coordinator)
    services.report_reopen(report=_submitted(followup), user=coordinator)
    assert _status(followup.report) == ReportStatus.DRAFT


@pytest.mark.parametrize("action", ["report_submit", "report_approve", "report_reopen"])
@pytest.mark.parametrize("persona", ["police", "council_member", "outsider"])
def test_only_the_coordinator_moves_the_report(request, followup, action, persona):
    _updates(followup, municipal=R.APPROVED, police_led=R.APPROVED)
    report = _submitted(followup) if action != "report_submit" else followup.report
    before = report.status
    with pytest.raises(PermissionDenied):
        getattr(services, action)(report=report, user=request.getfixturevalue(persona))
    assert _status(report) == before


def test_the_coordinator_saves_the_report_and_others_may_not(coordinator, police, followup):
    report = followup.report
    report.summary = "Läget är stabilt."
    with pytest.raises(PermissionDenied):
        services.report_save(report=report, user=police)
    assert FollowUpReport.objects.get(pk=report.pk).summary == ""
    services.report_save(report=report, user=coordinator, version=report.version)
    assert FollowUpReport.objects.get(pk=report.pk).summary == "Läget är stabilt."


# ---------------------------------------------------------------------------
# Writing, submitting, approving and returning an update
# ---------------------------------------------------------------------------


def test_writing_an_update_records_its_author(police, followup):
    update = ActivityUpdate(
        report=followup.report, activity=followup.police_led, status="on_track", progress=10
    )
    services.activity_update_save(update=update, user=police)
    assert ActivityUpdate.objects.get(pk=update.pk).author == police


def test_police_may_not_write_for_a_municipal_activity(police, followup):
    update = ActivityUpdate(
        report=followup.report, activity=followup.municipal, status="on_track", progress=10
    )
    with pytest.raises(PermissionDenied):
        services.activity_update_save(update=update, user=police)
    assert not ActivityUpdate.objects.exists()


def test_no_update_is_written_into_an_approved_report(coordinator, followup):
    FollowUpReport.objects.filter(pk=followup.report.pk).update(status=ReportStatus.APPROVED)
    followup.report.refresh_from_db()
    update = ActivityUpdate(
        report=followup.report, activity=followup.municipal, status="on_track", progress=10
    )
    with pytest.raises(ValidationError) as exc_info:
        services.activity_update_save(update=update, user=coordinator)
    assert "Rapporten är godkänd" in _message(exc_info)
    assert not ActivityUpdate.objects.exists()


@pytest.mark.parametrize(
    ("state", "allowed"),
    [(R.DRAFT, True), (R.RETURNED, True), (R.SUBMITTED, False), (R.APPROVED, False)],
)
def test_only_drafts_and_returned_updates_are_rewritten(coordinator, followup, state, allowed):
    update = UpdateFactory(report=followup.report, activity=followup.municipal, review_state=state)
    update.progress = 80
    if allowed:
        services.activity_update_save(update=update, user=coordinator, version=update.version)
        assert ActivityUpdate.objects.get(pk=update.pk).progress == 80
    else:
        with pytest.raises(ValidationError) as exc_info:
            services.activity_update_save(update=update, user=coordinator, version=update.version)
        assert "inlämnad för granskning" in _message(exc_info)
        assert ActivityUpdate.objects.get(pk=update.pk).progress == 50


def test_a_second_update_for_the_same_activity_is_refused(coordinator, followup):
    UpdateFactory(report=followup.report, activity=followup.municipal)
    update = ActivityUpdate(
        report=followup.report, activity=followup.municipal, status="on_track", progress=10
    )
    with pytest.raises(ValidationError):
        services.activity_update_save(update=update, user=coordinator)
    assert ActivityUpdate.objects.count() == 1


def test_submitting_an_update_records_when(coordinator, followup):
    update = UpdateFactory(report=followup.report, activity=followup.municipal)
    before = timezone.now()
    services.update_submit(update=update, user=coordinator)
    stored = ActivityUpdate.objects.get(pk=update.pk)
    assert stored.review_state == R.SUBMITTED
    assert before <= stored.submitted_at <= timezone.now()


@pytest.mark.parametrize("state", [R.SUBMITTED, R.APPROVED])
def test_an_update_waiting_or_approved_is_not_submitted_again(coordinator, followup, state):
    update = UpdateFactory(report=followup.report, activity=followup.municipal, review_state=state)
    with pytest.raises(ValidationError):
        services.update_submit(update=update, user=coordinator)
    assert ActivityUpdate.objects.get(pk=update.pk).review_state == state


def test_a_returned_update_is_submitted_again(coordinator, followup):
    update = UpdateFactory(
        report=followup.report, activity=followup.municipal, review_state=R.RETURNED
    )
    services.update_submit(update=update, user=coordinator)
    assert ActivityUpdate.objects.get(pk=update.pk).review_state == R.SUBMITTED


def test_nothing_is_submitted_into_an_approved_report(coordinator, followup):
    update = UpdateFactory(report=followup.report, activity=followup.municipal)
    FollowUpReport.objects.filter(pk=followup.report.pk).update(status=ReportStatus.APPROVED)
    update.report.refresh_from_db()
    with pytest.raises(ValidationError):
        services.update_submit(update=update, user=coordinator)
    assert ActivityUpdate.objects.get(pk=update.pk).review_state == R.DRAFT


def test_police_submit_for_police_led_activities_only(police, followup):
    own = UpdateFactory(report=followup.report, activity=followup.police_led)
    services.update_submit(update=own, user=police)
    municipal = UpdateFactory(report=followup.report, activity=followup.municipal)
    with pytest.raises(PermissionDenied):
        services.update_submit(update=municipal, user=police)
    assert ActivityUpdate.objects.get(pk=municipal.pk).review_state == R.DRAFT


def test_approving_records_the_reviewer_and_the_comment(police, followup):
    update = UpdateFactory(
        report=followup.report, activity=followup.municipal, review_state=R.SUBMITTED
    )
    before = timezone.now()
    services.update_approve(update=update, user=police, comment="Bra jobbat")
    stored = ActivityUpdate.objects.get(pk=update.pk)
    assert (stored.review_state, stored.reviewed_by, stored.review_comment) == (
        R.APPROVED,
        police,
        "Bra jobbat",
    )
    assert before <= stored.reviewed_at <= timezone.now()


def test_council_members_neither_approve_nor_return(council_member, followup):
    update = UpdateFactory(
        report=followup.report, activity=followup.municipal, review_state=R.SUBMITTED
    )
    with pytest.raises(PermissionDenied):
        services.update_approve(update=update, user=council_member)
    with pytest.raises(PermissionDenied):
        services.update_return(update=update, user=council_member, comment="Nej")
    assert ActivityUpdate.objects.get(pk=update.pk).review_state == R.SUBMITTED


def test_an_approved_update_of_a_later_period_keeps_the_activitys_status(coordinator, followup):
    later = FollowUpReport.objects.create(
        agreement=followup.report.agreement,
        plan=followup.plan,
        title="Helår 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        due_date=datetime.date(2026, 1, 31),
    )
    UpdateFactory(report=later, activity=followup.municipal, status="done", review_state=R.APPROVED)
    followup.municipal.status = ActivityStatus.DONE
    followup.municipal.save()
    update = UpdateFactory(
        report=followup.report,
        activity=followup.municipal,
        status="delayed",
        deviation="Försenat",
        review_state=R.SUBMITTED,
    )
    services.update_approve(update=update, user=coordinator)
    followup.municipal.refresh_from_db()
    assert followup.municipal.status == ActivityStatus.DONE


def test_returning_needs_a_comment_and_keeps_it_trimmed(police, followup):
    update = UpdateFactory(
        report=followup.report, activity=followup.municipal, review_state=R.SUBMITTED
    )
    with pytest.raises(ValidationError) as exc_info:
        services.update_return(update=update, user=police, comment="   ")
    assert exc_info.value.message_dict == {"comment": ["Skriv vad som ska ändras."]}
    services.update_return(update=update, user=police, comment="  Lägg till källor  ")
    stored = ActivityUpdate.objects.get(pk=update.pk)
    assert (stored.review_state, stored.review_comment, stored.reviewed_by) == (
        R.RETURNED,
        "Lägg till källor",
        police,
    )
    assert stored.reviewed_at is not None


def test_an_approved_update_may_be_returned_while_the_report_is_open(police, followup):
    update = UpdateFactory(
        report=followup.report, activity=followup.municipal, review_state=R.APPROVED
    )
    services.update_return(update=update, user=police, comment="Fel siffra")
    assert ActivityUpdate.objects.get(pk=update.pk).review_state == R.RETURNED


@pytest.mark.parametrize("state", [R.DRAFT, R.RETURNED])
def test_an_update_not_handed_in_cannot_be_returned(police, followup, state):
    update = UpdateFactory(report=followup.report, activity=followup.municipal, review_state=state)
    with pytest.raises(ValidationError):
        services.update_return(update=update, user=police, comment="Nej")
    assert ActivityUpdate.objects.get(pk=update.pk).review_state == state


def test_nothing_is_returned_in_an_approved_report(police, followup):
    update = UpdateFactory(
        report=followup.report, activity=followup.municipal, review_state=R.APPROVED
    )
    FollowUpReport.objects.filter(pk=followup.report.pk).update(status=ReportStatus.APPROVED)
    update.report.refresh_from_db()
    with pytest.raises(ValidationError) as exc_info:
        services.update_return(update=update, user=police, comment="Nej")
    assert "Rapporten är godkänd" in _message(exc_info)
    assert ActivityUpdate.objects.get(pk=update.pk).review_state == R.APPROVED
