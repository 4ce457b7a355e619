"""An approved report is a record; four eyes on every update (issue #16)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from core.choices import ReviewState
from core.models import RecordLocked
from followup import services
from followup.choices import ReportStatus
from followup.models import ActivityUpdate, FollowUpReport

from .conftest import submitted_report
from .factories import FollowupActivityFactory, UpdateFactory


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


# ---------------------------------------------------------------------------
# The stored PDF, the snapshot and the database's own guard
# ---------------------------------------------------------------------------


def test_the_approved_pdf_is_stored_and_served_byte_for_byte_after_the_plan_changes(
    approved, followup, coordinator_client
):
    import hashlib

    from followup.models import IndicatorValue

    url = reverse("followup:report-pdf", args=[approved.pk])
    first = coordinator_client.get(url).content
    assert hashlib.sha256(first).hexdigest() == approved.approved_pdf_sha256
    page = coordinator_client.get(approved.get_absolute_url()).content.decode()
    assert approved.approved_pdf_sha256 in page

    # The plan, its activities and the lägesbild change after approval.
    followup.municipal.title = "Omdöpt aktivitet"
    followup.municipal.save()
    IndicatorValue.objects.create(
        indicator=followup.indicator,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 6, 30),
        value=Decimal("99.5"),
    )
    assert coordinator_client.get(url).content == first


def test_the_approved_page_shows_the_activities_and_indicator_values_as_approved(
    followup, coordinator, police, coordinator_client
):
    from followup.models import IndicatorValue

    IndicatorValue.objects.create(
        indicator=followup.indicator,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        value=Decimal("61.5"),
    )
    submitted_report(followup, coordinator, police)
    report = services.report_approve(report=followup.report, user=coordinator)
    url = report.get_absolute_url()
    before = coordinator_client.get(url).content.decode()
    assert "Trygghetsvandringar" in before and "61,5" in before

    followup.municipal.title = "Omdöpt aktivitet"
    followup.municipal.save()
    IndicatorValue.objects.filter(indicator=followup.indicator).update(value=Decimal("12"))
    IndicatorValue.objects.create(
        indicator=followup.indicator,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 6, 30),
        value=Decimal("77.25"),
    )
    after = coordinator_client.get(url).content.decode()
    assert "Trygghetsvandringar" in after and "Omdöpt aktivitet" not in after
    assert "61,5" in after and "77,25" not in after
    # An open report shows today's plan.
    open_page = coordinator_client.get(followup.previous.get_absolute_url()).content.decode()
    assert "Omdöpt aktivitet" in open_page


def test_the_verification_page_recognises_the_approved_reports_pdf(approved, coordinator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = coordinator_client.get(reverse("followup:report-pdf", args=[approved.pk])).content
    verify = reverse("agreements:verify")
    page = coordinator_client.post(
        verify, {"file": SimpleUploadedFile("rapport.pdf", pdf, "application/pdf")}
    ).content.decode()
    assert "godkända uppföljningsrapporten" in page and "Delår 2 2025" in page
    altered = pdf.replace(b"%%EOF", b"%%EOF\n%")
    page = coordinator_client.post(
        verify, {"file": SimpleUploadedFile("rapport.pdf", altered, "application/pdf")}
    ).content.decode()
    assert "Ingen överensstämmelse" in page and "uppföljningsrapporten" not in page


def test_a_pdf_that_cannot_be_rendered_leaves_the_report_submitted(
    followup, coordinator, police, monkeypatch
):
    from core.pdf import PdfError
    from followup import printing

    submitted_report(followup, coordinator, police)

    def broken(*args, **kwargs):
        raise PdfError("renderer down")

    monkeypatch.setattr(printing, "render_report_pdf", broken)
    with pytest.raises(ValidationError) as exc_info:
        services.report_approve(report=followup.report, user=coordinator)
    assert "PDF" in " ".join(exc_info.value.messages)
    stored = FollowUpReport.objects.get(pk=followup.report.pk)
    assert stored.status == ReportStatus.SUBMITTED
    assert (stored.approved_at, stored.snapshot, stored.approved_pdf_sha256) == (None, None, "")


def test_the_database_refuses_to_change_an_approved_report_by_sql(approved):
    from django.db import DatabaseError, connection, transaction

    update = ActivityUpdate.objects.filter(report=approved).first()
    statements = [
        ("UPDATE followup_followupreport SET summary = 'SQL' WHERE id = %s", [approved.pk]),
        (
            "UPDATE followup_followupreport SET approved_pdf_sha256 = 'x' WHERE id = %s",
            [approved.pk],
        ),
        ("UPDATE followup_followupreport SET status = 'draft' WHERE id = %s", [approved.pk]),
        ("DELETE FROM followup_followupreport WHERE id = %s", [approved.pk]),
        ("UPDATE followup_activityupdate SET done = 'SQL' WHERE id = %s", [update.pk]),
        ("DELETE FROM followup_activityupdate WHERE id = %s", [update.pk]),
    ]
    for sql, params in statements:
        with (
            pytest.raises(DatabaseError, match="samverkan"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    # The derived "latest update" flag may still move.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE followup_activityupdate SET is_latest = NOT is_latest WHERE id = %s",
            [update.pk],
        )
    stored = FollowUpReport.objects.get(pk=approved.pk)
    assert stored.summary == approved.summary and stored.status == ReportStatus.APPROVED


def test_a_reopened_and_reapproved_report_gets_a_new_record(approved, coordinator, police):
    first_digest = approved.approved_pdf_sha256
    report = services.report_reopen(report=approved, user=coordinator, reason="Fel siffra")
    assert (report.snapshot, report.approved_pdf_sha256) == (None, "")
    update = report.updates.first()
    services.update_return(update=update, user=police, comment="Rätta siffran")
    update.refresh_from_db()
    update.done = "Rättad text"
    services.activity_update_save(update=update, user=coordinator, version=update.version)
    services.update_submit(update=update, user=coordinator)
    services.update_approve(update=update, user=police)
    again = services.report_approve(report=report, user=coordinator)
    assert again.approved_pdf_sha256 and again.approved_pdf_sha256 != first_digest
    # The first approval's PDF is still named in the report's history.
    assert first_digest in {h.approved_pdf_sha256 for h in again.history.all()}


# ---------------------------------------------------------------------------
# Not reported, with a reason
# ---------------------------------------------------------------------------


def test_an_activity_marked_not_reported_with_a_reason_lets_the_report_be_approved(
    followup, coordinator, police, coordinator_client
):
    UpdateFactory(
        report=followup.report,
        activity=followup.municipal,
        author=police,
        review_state=ReviewState.SUBMITTED,
    )
    services.update_approve(update=followup.report.updates.get(), user=coordinator)
    url = reverse("followup:update-not-reported", args=[followup.report.pk, followup.police_led.pk])
    response = coordinator_client.post(url, {"reason": ""}, follow=True)
    assert "Ange varför aktiviteten inte rapporteras" in response.content.decode()
    assert not followup.report.updates.filter(activity=followup.police_led).exists()

    coordinator_client.post(url, {"reason": "Polisen hade inga resurser i perioden"})
    services.report_submit(report=followup.report, user=coordinator)
    report = services.report_approve(report=followup.report, user=coordinator)
    page = coordinator_client.get(report.get_absolute_url()).content.decode()
    assert "Ej rapporterad: Polisen hade inga resurser i perioden" in page
    marked = report.updates.get(activity=followup.police_led)
    assert (marked.reviewed_by, marked.not_reported_reason) == (
        coordinator,
        "Polisen hade inga resurser i perioden",
    )


def test_only_the_coordinator_marks_an_activity_as_not_reported(followup, police_client):
    url = reverse("followup:update-not-reported", args=[followup.report.pk, followup.police_led.pk])
    assert police_client.post(url, {"reason": "Vill inte"}).status_code == 403
    assert not followup.report.updates.exists()
