"""The follow-up report as a document: what its page and PDF show, and the PDF stored at
approval (rendered once, kept with its SHA-256 and served byte for byte, like a signed
agreement)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from core.pdf import PdfError, read_stored, render_template_to_pdf

from . import charts, selectors
from .choices import UpdateStatus
from .models import FollowUpReport


def report_context(report: FollowUpReport, user) -> dict:
    """What the report page and its PDF show."""
    overview = selectors.report_overview(report, user)
    rows = [(fa.title, fa.counts) for fa in overview.focus_areas]
    labels = {**dict(UpdateStatus.choices), selectors.NOT_REPORTED: _("Not reported")}
    statuses = [*UpdateStatus.values, selectors.NOT_REPORTED]
    table = [
        {"title": fa.title, "cells": [fa.counts.get(s, 0) for s in statuses], "total": fa.total}
        for fa in overview.focus_areas
    ]
    trends = []
    for trend in overview.indicators:
        trends.append({**trend, "svg": charts.indicator_trend_svg(trend)})
    return {
        "report": report,
        "overview": overview,
        "status_svg": charts.status_svg(
            chart_id=f"report-{report.pk}-status",
            title=_("Status of the activities per focus area"),
            rows=rows,
        ),
        "status_headers": [labels[s] for s in statuses],
        "status_table": table,
        "trends": trends,
    }


def render_report_pdf(report: FollowUpReport, *, user, request=None) -> bytes:
    """Render the report's PDF as it stands (an approved one: from its snapshot)."""
    return render_template_to_pdf(
        "followup/report_pdf.html",
        report_context(report, user),
        title=report.title,
        author=str(report.agreement.municipality),
        request=request,
    )


def pdf_file_name(report: FollowUpReport) -> str:
    return f"uppfoljning-{report.pk}.pdf"


def store_approved_pdf(*, report: FollowUpReport, user) -> None:
    """Render the approved report once and keep the PDF with its SHA-256.

    Called by ``report_approve`` inside its transaction, after the snapshot is taken: if
    rendering fails the approval is rolled back and the report stays submitted.
    """
    pdf = render_report_pdf(report, user=user)
    digest = hashlib.sha256(pdf).hexdigest()
    report.approved_pdf.save(f"rapport-{report.pk}-{digest[:16]}.pdf", ContentFile(pdf), save=False)
    report.approved_pdf_sha256 = digest


def read_approved_pdf(report: FollowUpReport) -> bytes:
    """The stored approved PDF's bytes, checked against the recorded hash."""
    data = read_stored(report.approved_pdf, report.approved_pdf_sha256)
    if data is None:
        raise PdfError(_("The stored PDF of the approved report does not match its recorded hash."))
    return data
