"""The agreement PDF: sections, page furniture, signatures, watermark, access."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements.choices import AgreementStatus
from agreements.pdf import render_agreement_pdf

from .conftest import SECTION_TEXTS, fill_agreement, pdf_pages, pdf_text

SECTION_HEADINGS = [
    "Bakgrund och lägesbild",
    "Källor till lägesbilden",
    "Syfte",
    "Övergripande mål",
    "Fokusområden",
    "Åtaganden",
    "Organisation och forum",
    "Uppföljning",
    "Budget och resurser",
    "Kommunikation",
    "Beslut",
    "Underskrifter",
]


def _get_pdf(client, agreement) -> bytes:
    response = client.get(reverse("agreements:pdf", args=[agreement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response) if response.streaming else response.content


@pytest.fixture
def draft_pdf(coordinator_client, full_agreement):
    return _get_pdf(coordinator_client, full_agreement)


def test_it_prints_every_section_in_document_order(draft_pdf):
    body = " ".join(pdf_pages(draft_pdf)[1:])  # after the title page
    position = 0
    for heading in SECTION_HEADINGS:
        found = body.find(heading, position)
        assert found != -1, f"{heading} missing or out of order"
        position = found + len(heading)
    text = pdf_text(draft_pdf)
    for value in SECTION_TEXTS.values():
        assert " ".join(value.split()) in text


def test_it_prints_every_focus_area_sub_goal_cause_and_commitment(draft_pdf, full_agreement):
    text = pdf_text(draft_pdf)
    for area in full_agreement.focus_areas.all():
        assert area.title in text
        for goal in area.sub_goals.all():
            assert goal.text in text
        for cause in area.causes.all():
            assert cause.text in text
    for commitment in full_agreement.commitments.all():
        assert commitment.text in text
    assert "Ankeby kommun förbinder sig att" in text
    assert "Lokalpolisområde Ankeby förbinder sig att" in text
    assert "Vi åtar oss att" in text
    assert "Lokalt brottsförebyggande råd (BRÅ)" in text


def test_the_title_page_names_parties_period_and_title(draft_pdf, full_agreement):
    first = pdf_pages(draft_pdf)[0]
    assert full_agreement.title.replace(" ", "") in first.replace(" ", "")  # it may wrap
    assert "Ankeby kommun" in first and "Lokalpolisområde Ankeby" in first
    assert "2024-01-01 – 2027-12-31" in first


def test_every_page_has_numbering_initials_identifier_version_and_date(draft_pdf, full_agreement):
    pages = pdf_pages(draft_pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page
        assert "Initialer" in page
        assert "Ankeby kommun" in page and "Lokalpolisområde Ankeby" in page
        assert full_agreement.identifier in page
        assert "Version 1" in page
        assert "2024-03-18" in page  # the decision date, until it is signed


def test_the_signature_page_has_a_block_per_signatory(draft_pdf):
    last = pdf_pages(draft_pdf)[-1]
    assert "Underskrifter" in last
    assert last.count("Ort och datum") == 2
    assert last.count("Namnteckning") == 2
    for expected in (
        "Anna Andersson",
        "Kommunstyrelsens ordförande",
        "Bertil Berg",
        "Lokalpolisområdeschef",
        "Ankeby den",
    ):
        assert expected in last


@pytest.mark.parametrize("status", [AgreementStatus.DRAFT, AgreementStatus.REVIEW])
def test_an_unapproved_agreement_has_a_draft_watermark_on_every_page(world, status):
    fill_agreement(world.agreement)
    world.agreement.status = status
    world.agreement.save()
    pages = pdf_pages(render_agreement_pdf(world.agreement))
    assert all("UTKAST" in page for page in pages)


def test_an_approved_agreement_has_no_watermark(world):
    fill_agreement(world.agreement)
    world.agreement.status = AgreementStatus.APPROVED
    world.agreement.save()
    assert "UTKAST" not in pdf_text(render_agreement_pdf(world.agreement))


def test_the_pdf_has_metadata_and_is_tagged(draft_pdf, full_agreement):
    reader = PdfReader(io.BytesIO(draft_pdf))
    assert reader.metadata.title == full_agreement.title
    assert "Ankeby kommun" in reader.metadata.author
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 portrait


def test_an_outsider_gets_404(outsider_client, full_agreement):
    response = outsider_client.get(reverse("agreements:pdf", args=[full_agreement.pk]))
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, full_agreement):
    response = client.get(reverse("agreements:pdf", args=[full_agreement.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_viewer_and_police_can_print(police_client, viewer, client, full_agreement):
    assert police_client.get(reverse("agreements:pdf", args=[full_agreement.pk])).status_code == 200
    client.force_login(viewer)
    assert client.get(reverse("agreements:pdf", args=[full_agreement.pk])).status_code == 200


def test_the_pdf_view_runs_a_bounded_number_of_queries(
    coordinator_client, world, django_assert_max_num_queries
):
    fill_agreement(world.agreement, focus_areas=1, sub_goals=1)
    # 17 to gather the document (its attachments included), 8 for its print job (core.pdfjobs: find or create the job,
    # and — with the tests' immediate backend — run it and store the file), whatever its size.
    with django_assert_max_num_queries(25):
        _get_pdf(coordinator_client, world.agreement)
    fill_agreement(world.other_agreement, focus_areas=6, sub_goals=5)
    world.other_agreement.municipality = world.municipality
    world.other_agreement.police_area = world.police_area
    world.other_agreement.save()
    with django_assert_max_num_queries(25):
        _get_pdf(coordinator_client, world.other_agreement)
