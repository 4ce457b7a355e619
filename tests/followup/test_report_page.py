"""The council's report page and its PDF."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from followup.models import FollowUpReport

from .factories import FollowupActivityFactory, IndicatorValueFactory, UpdateFactory


@pytest.fixture
def filled(followup):
    report = followup.report
    report.summary = "Arbetet går i huvudsak enligt plan."
    report.conclusions = "Resurser flyttas till centrum."
    report.save()
    UpdateFactory(report=followup.previous, activity=followup.municipal, status="on_track")
    UpdateFactory(report=followup.previous, activity=followup.police_led, status="on_track")
    UpdateFactory(
        report=report,
        activity=followup.municipal,
        status="done",
        progress=100,
        effects="Fler känner sig trygga i centrum",
    )
    UpdateFactory(
        report=report,
        activity=followup.police_led,
        status="delayed",
        progress=20,
        deviation="Polisens resurser omprioriterade",
        remedy="Ny start i oktober",
    )
    for year, value in ((2023, "64"), (2024, "66,5")):
        IndicatorValueFactory(
            indicator=followup.indicator,
            period_start=f"{year}-01-01",
            period_end=f"{year}-12-31",
            value=Decimal(value.replace(",", ".")),
        )
    return followup


def test_report_page_puts_deviations_first_and_shows_every_section(council_client, filled):
    html = council_client.get(
        reverse("followup:report-detail", args=[filled.report.pk])
    ).content.decode()
    for text in (
        "Arbetet går i huvudsak enligt plan.",
        "Resurser flyttas till centrum.",
        "Polisens resurser omprioriterade",
        "Ny start i oktober",
        "Fler känner sig trygga i centrum",
        "Trygghetsindex",
        "66,5",
    ):
        assert text in html, text
    assert html.index("Avvikelser och åtgärder") < html.index("Status per fokusområde")
    assert html.index("Polisens resurser omprioriterade") < html.index("Status per fokusområde")
    # What changed since Helår 2024.
    changes = html[html.index("Förändringar sedan föregående rapport") :]
    assert "Enligt plan" in changes and "Genomförd" in changes and "Försenad" in changes
    # The status chart has its numbers as a table too.
    svg = re.search(
        r'<svg[^>]*aria-labelledby="report-\d+-status-title.*?</svg>', html, re.S
    ).group(0)
    segments = dict(re.findall(r'data-status="(\w+)" data-count="(\d+)"', svg))
    assert segments == {"done": "1", "delayed": "1"}
    assert "style=" not in svg


def test_report_pdf_reads_back_with_its_sections_and_deviations(council_client, filled):
    response = council_client.get(reverse("followup:report-pdf", args=[filled.report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    for expected in (
        "Delår 2 2025",
        "Sammanfattning och slutsatser",
        "Arbetet går i huvudsak enligt plan.",
        "Avvikelser och åtgärder",
        "Polisens resurser omprioriterade",
        "Ny start i oktober",
        "Status per fokusområde",
        "Indikatorer mot mål",
        "Trygghetsindex",
        "Genomförda aktiviteter",
        "Förändringar sedan föregående rapport",
    ):
        assert expected in text, expected


def test_report_form_refuses_a_period_outside_the_agreement(coordinator_client, followup, world):
    url = reverse("followup:report-create", args=[world.agreement.pk])
    response = coordinator_client.post(
        url,
        {"title": "Helår 2030", "period_start": "2030-01-01", "period_end": "2030-12-31"},
    )
    assert response.status_code == 200
    assert "Perioden måste ligga inom överenskommelsens period." in response.content.decode()
    assert not FollowUpReport.objects.filter(title="Helår 2030").exists()
    response = coordinator_client.post(
        url,
        {"title": "Kvartal 1 2026", "period_start": "2026-01-01", "period_end": "2026-03-31"},
    )
    assert response.status_code == 302
    assert FollowUpReport.objects.get(title="Kvartal 1 2026").plan == followup.plan


def test_report_edit_keeps_concurrent_changes(coordinator_client, followup):
    report = followup.report
    stale = report.version
    report.summary = "Någon annans sammanfattning"
    report.save()
    response = coordinator_client.post(
        reverse("followup:report-edit", args=[report.pk]),
        {
            "title": report.title,
            "period_start": "2025-01-01",
            "period_end": "2025-08-31",
            "summary": "Min sammanfattning",
            "version_token": stale,
        },
    )
    assert "Någon annan har sparat" in response.content.decode()
    report.refresh_from_db()
    assert report.summary == "Någon annans sammanfattning"


def test_activities_of_another_plan_are_not_in_the_report(council_client, filled, world):
    other = FollowupActivityFactory(title="Främmande aktivitet")
    html = council_client.get(
        reverse("followup:report-detail", args=[filled.report.pk])
    ).content.decode()
    assert other.title not in html
