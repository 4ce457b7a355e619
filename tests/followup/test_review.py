"""Review of updates (utkast → inlämnad → återremitterad / godkänd) and of the report."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from actionplans.choices import ActivityStatus
from core.choices import ReviewState
from followup import services
from followup.choices import ReportStatus
from tests.rendered import controls

from .factories import UpdateFactory


def _action(client, update, action, comment=""):
    return client.post(
        reverse("followup:update-action", args=[update.pk]),
        {"action": action, "comment": comment, "next": "review"},
        follow=True,
    )


@pytest.mark.parametrize(
    ("update_status", "activity_status"),
    [
        ("not_started", ActivityStatus.PLANNED),
        ("on_track", ActivityStatus.IN_PROGRESS),
        ("at_risk", ActivityStatus.IN_PROGRESS),
        ("delayed", ActivityStatus.DELAYED),
        ("done", ActivityStatus.DONE),
        ("cancelled", ActivityStatus.CANCELLED),
    ],
)
def test_approving_an_update_moves_the_activitys_status(
    police_client, followup, update_status, activity_status
):
    update = UpdateFactory(
        report=followup.report,
        activity=followup.municipal,
        status=update_status,
        deviation="x",
        review_state=ReviewState.SUBMITTED,
    )
    html = _action(police_client, update, "approve").content.decode()
    assert "Uppdateringen har godkänts." in html
    update.refresh_from_db()
    followup.municipal.refresh_from_db()
    assert update.review_state == ReviewState.APPROVED
    assert followup.municipal.status == activity_status


def test_submit_then_return_with_comment_then_resubmit(coordinator_client, police_client, followup):
    update = UpdateFactory(report=followup.report, activity=followup.municipal)
    _action(coordinator_client, update, "submit")
    update.refresh_from_db()
    assert update.review_state == ReviewState.SUBMITTED
    html = _action(police_client, update, "return").content.decode()
    assert "Skriv vad som ska ändras." in html
    update.refresh_from_db()
    assert update.review_state == ReviewState.SUBMITTED
    _action(police_client, update, "return", comment="Lägg till samverkanspartner")
    update.refresh_from_db()
    assert update.review_state == ReviewState.RETURNED
    fill = coordinator_client.get(reverse("followup:report-fill", args=[followup.report.pk]))
    assert "Lägg till samverkanspartner" in fill.content.decode()
    _action(coordinator_client, update, "submit")
    update.refresh_from_db()
    assert update.review_state == ReviewState.SUBMITTED


def test_a_draft_cannot_be_approved_and_the_status_stays(coordinator, followup):
    update = UpdateFactory(report=followup.report, activity=followup.municipal, status="done")
    with pytest.raises(ValidationError):
        services.update_approve(update=update, user=coordinator)
    followup.municipal.refresh_from_db()
    assert followup.municipal.status == ActivityStatus.PLANNED


def test_council_members_may_not_review(council_member, council_client, followup):
    update = UpdateFactory(
        report=followup.report,
        activity=followup.municipal,
        review_state=ReviewState.SUBMITTED,
    )
    assert _action(council_client, update, "approve").status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_approve(update=update, user=council_member)
    update.refresh_from_db()
    assert update.review_state == ReviewState.SUBMITTED


def test_approving_an_older_report_does_not_undo_a_newer_status(coordinator, followup):
    newer = UpdateFactory(
        report=followup.report,
        activity=followup.municipal,
        status="done",
        review_state=ReviewState.SUBMITTED,
    )
    services.update_approve(update=newer, user=coordinator)
    older = UpdateFactory(
        report=followup.previous,
        activity=followup.municipal,
        status="delayed",
        deviation="x",
        review_state=ReviewState.SUBMITTED,
    )
    services.update_approve(update=older, user=coordinator)
    followup.municipal.refresh_from_db()
    assert followup.municipal.status == ActivityStatus.DONE


def test_report_is_approved_only_when_every_update_is(coordinator, coordinator_client, followup):
    report = followup.report
    url = reverse("followup:report-status", args=[report.pk])
    first = UpdateFactory(report=report, activity=followup.municipal)
    html = coordinator_client.post(url, {"action": "submit"}, follow=True).content.decode()
    assert "Varje aktivitet behöver en inlämnad uppdatering" in html
    assert f"{followup.police_led} (ingen uppdatering)" in html
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT

    second = UpdateFactory(report=report, activity=followup.police_led)
    for update in (first, second):
        services.update_submit(update=update, user=coordinator)
    coordinator_client.post(url, {"action": "submit"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    services.update_approve(update=first, user=coordinator)
    html = coordinator_client.post(url, {"action": "approve"}, follow=True).content.decode()
    assert f"{followup.police_led} (väntar på granskning)" in html
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    services.update_approve(update=second, user=coordinator)
    coordinator_client.post(url, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    # An approved report is closed for writing.
    with pytest.raises(ValidationError):
        services.update_return(update=first, user=coordinator, comment="Nej")


def test_police_may_not_move_the_report(police_client, followup):
    url = reverse("followup:report-status", args=[followup.report.pk])
    assert police_client.post(url, {"action": "submit"}).status_code == 403


def test_review_page_lists_submitted_updates_for_reviewers_only(
    police_client, council_client, followup
):
    UpdateFactory(
        report=followup.report,
        activity=followup.police_led,
        review_state=ReviewState.SUBMITTED,
        done="Platssamverkan genomförd",
    )
    url = reverse("followup:report-review", args=[followup.report.pk])
    html = police_client.get(url).content.decode()
    assert "Platssamverkan genomförd" in html and "Godkänn" in html
    assert council_client.get(url).status_code == 403


def test_approve_is_the_primary_action_and_returning_is_set_apart(police_client, followup):
    UpdateFactory(
        report=followup.report, activity=followup.police_led, review_state=ReviewState.SUBMITTED
    )
    response = police_client.get(reverse("followup:report-review", args=[followup.report.pk]))
    (approve,) = controls(response, "Godkänn")
    assert approve["classes"] == {"button"}
    returns = controls(response, "Återremittera")
    assert returns and all("button--caution" in c["classes"] for c in returns)
