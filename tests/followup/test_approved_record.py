"""An approved report is a record; four eyes on every update (issue #16, first step)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from core.choices import ReviewState
from core.models import RecordLocked
from followup import services
from followup.choices import ReportStatus
from followup.models import ActivityUpdate, FollowUpReport

from .factories import FollowupActivityFactory, UpdateFactory


@pytest.fixture
def approved(followup, coordinator, police):
    """Delår 2 2025 approved: both activities reported and approved by the police."""
    for activity in (followup.municipal, followup.police_led):
        UpdateFactory(
            report=followup.report,
            activity=activity,
            author=coordinator,
            review_state=ReviewState.SUBMITTED,
        )
    for update in followup.report.updates.all():
        services.update_approve(update=update, user=police)
    services.report_submit(report=followup.report, user=coordinator)
    return services.report_approve(report=followup.report, user=coordinator)


def _pdf_text(client, report) -> str:
    response = client.get(reverse("followup:report-pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_later_changes_to_the_plan_do_not_change_an_approved_report(
    approved, followup, coordinator_client
):
    url = reverse("followup:report-detail", args=[approved.pk])
    before = coordinator_client.get(url).content.decode()
    pdf_before = _pdf_text(coordinator_client, approved)
    assert "2 av 2 uppdateringar godkända; 0 aktiviteter ej rapporterade." in before

    # December: two activities are added to the plan.
    FollowupActivityFactory(plan=followup.plan, position=3, code="1.3", title="Nattvandring")
    FollowupActivityFactory(plan=followup.plan, position=4, code="1.4", title="Grannsamverkan")

    after = coordinator_client.get(url).content.decode()
    assert "2 av 2 uppdateringar godkända; 0 aktiviteter ej rapporterade." in after
    assert "Nattvandring" not in after and "Grannsamverkan" not in after
    pdf_after = _pdf_text(coordinator_client, approved)
    assert "Nattvandring" not in pdf_after and "Grannsamverkan" not in pdf_after
    assert pdf_after.count("Ej rapporterad") == pdf_before.count("Ej rapporterad")
    assert "visar läget vid godkännandet" in after


def test_an_approved_reports_text_cannot_be_changed_by_any_save(approved, coordinator_client):
    edit = reverse("followup:report-edit", args=[approved.pk])
    page = coordinator_client.get(edit)
    from tests.rendered import form_data

    response = coordinator_client.post(edit, form_data(page, title="Omskriven", summary="Ny"))
    assert response.status_code == 200
    assert "Rapporten är godkänd och kan inte ändras" in response.content.decode()
    stored = FollowUpReport.objects.get(pk=approved.pk)
    assert (stored.title, stored.summary) == ("Delår 2 2025", approved.summary)
    # Nor by the model layer (the shell, the admin, an import).
    stored.summary = "Ändrad i efterhand"
    with pytest.raises(RecordLocked):
        stored.save()
    update = ActivityUpdate.objects.filter(report=approved).first()
    update.done = "Omskrivet"
    with pytest.raises(RecordLocked):
        update.save()
    with pytest.raises(RecordLocked):
        update.delete()
    assert ActivityUpdate.objects.get(pk=update.pk).done != "Omskrivet"


def test_the_page_offers_no_edit_of_an_approved_report_but_reopening_with_a_reason(
    approved, coordinator_client
):
    html = coordinator_client.get(reverse("followup:report-detail", args=[approved.pk])).content
    html = html.decode()
    assert reverse("followup:report-edit", args=[approved.pk]) not in html
    assert 'name="reason"' in html


def test_reopening_an_approved_report_needs_a_reason_that_stays_on_it(
    approved, coordinator, coordinator_client
):
    status_url = reverse("followup:report-status", args=[approved.pk])
    refused = coordinator_client.post(status_url, {"action": "reopen", "reason": " "}, follow=True)
    assert "Skriv varför" in refused.content.decode()
    assert FollowUpReport.objects.get(pk=approved.pk).status == ReportStatus.APPROVED

    page = coordinator_client.post(
        status_url,
        {"action": "reopen", "reason": "Fel siffra i aktivitet 1.2"},
        follow=True,
    ).content.decode()
    report = FollowUpReport.objects.get(pk=approved.pk)
    assert report.status == ReportStatus.SUBMITTED
    assert report.reopened_by == coordinator and report.frozen_activity_ids is None
    assert "Fel siffra i aktivitet 1.2" in page
    assert report.history.filter(reopen_reason="Fel siffra i aktivitet 1.2").exists()


def test_nobody_approves_an_update_they_wrote(followup, coordinator, police, coordinator_client):
    update = services.activity_update_save(
        update=ActivityUpdate(
            report=followup.report, activity=followup.municipal, status="on_track", progress=40
        ),
        user=coordinator,
    )
    services.update_submit(update=update, user=coordinator)
    # Not offered in the review page …
    review = coordinator_client.get(reverse("followup:report-review", args=[followup.report.pk]))
    html = review.content.decode()
    assert f'action="{reverse("followup:update-action", args=[update.pk])}"' in html
    assert 'value="approve"' not in html
    assert "fyra ögon" in html
    # … and refused by the service.
    with pytest.raises(ValidationError):
        services.update_approve(update=update, user=coordinator)
    assert ActivityUpdate.objects.get(pk=update.pk).review_state == ReviewState.SUBMITTED
    # The kommunpolis approves it.
    services.update_approve(update=update, user=police)
    assert ActivityUpdate.objects.get(pk=update.pk).review_state == ReviewState.APPROVED
