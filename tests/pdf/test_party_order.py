"""Parties as the document presents them: in its order, with the short name its text uses;
initials boxes, signature blocks and the PDF's author for exactly the signing parties."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements import services
from agreements.choices import AgreementStatus, OrganisationKind
from agreements.models import AgreementParty
from agreements.pdf import render_agreement_pdf
from tests.factories import CommitmentFactory, OrganisationFactory
from tests.rendered import form_data

from .conftest import fill_agreement, pdf_pages

#: The bottom page margin (print.css: 34 mm), where the initials box runs.
BOTTOM_MARGIN_PT = 34 / 25.4 * 72


def initials_boxes(data: bytes) -> list[list[str]]:
    """Per page, the party labels of the initials box in the bottom margin (the ruled
    table read cell by cell; the empty cells are where the initials go)."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            margin = page.crop((0, page.height - BOTTOM_MARGIN_PT, page.width, page.height))
            assert "Initialer" in margin.extract_text()
            table = margin.extract_table() or [[]]
            pages.append([" ".join(cell.split()) for cell in table[0] if cell and cell.strip()])
    return pages


@pytest.fixture
def three_parties(world):
    """Ankeby's agreement with the rescue service as a further party that does not sign."""
    fill_agreement(world.agreement, focus_areas=1, sub_goals=1)
    rescue = OrganisationFactory(name="Räddningstjänsten Syd", kind=OrganisationKind.RESCUE)
    AgreementParty.objects.create(agreement=world.agreement, organisation=rescue, position=3)
    return world.agreement, rescue


def test_parties_print_in_the_order_entered_in_the_form(coordinator_client, world):
    agreement = world.agreement
    url = reverse("agreements:edit", args=[agreement.pk])
    data = form_data(
        coordinator_client.get(url),
        values={
            "police_area_position": "1",
            "municipality_position": "2",
            "police_area_short_name": "Polisen",
        },
    )
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement.refresh_from_db()
    CommitmentFactory(agreement=agreement, party=agreement.police_area, text="Synas i centrum")
    CommitmentFactory(agreement=agreement, party=agreement.municipality, text="Tända belysning")
    pages = pdf_pages(render_agreement_pdf(agreement))
    assert "Mellan Lokalpolisområde Ankeby och Ankeby kommun" in pages[0]
    body = " ".join(pages[1:])
    police, municipality = (
        body.find("Polisen förbinder sig att"),
        body.find("Ankeby kommun förbinder sig att"),
    )
    assert -1 < police < municipality  # the police's commitments first, under its short name
    assert "Lokalpolisområde Ankeby förbinder sig att" not in body
    page = coordinator_client.get(agreement.get_absolute_url()).content.decode()
    assert page.find("Lokalpolisområde Ankeby") < page.find("Ankeby kommun")


def test_the_default_order_is_municipality_police_then_further_parties(three_parties):
    agreement, rescue = three_parties
    first = pdf_pages(render_agreement_pdf(agreement))[0]
    assert "Mellan Ankeby kommun, Lokalpolisområde Ankeby och Räddningstjänsten Syd" in first


def test_a_further_party_can_be_named_first(three_parties):
    agreement, rescue = three_parties
    row = AgreementParty.objects.get(agreement=agreement)
    row.position = 0
    row.save()
    first = pdf_pages(render_agreement_pdf(agreement))[0]
    assert "Mellan Räddningstjänsten Syd, Ankeby kommun och Lokalpolisområde Ankeby" in first


def test_initials_boxes_and_author_are_exactly_the_signing_parties(three_parties):
    agreement, rescue = three_parties
    agreement.police_area_position, agreement.municipality_position = 1, 2
    agreement.police_area_short_name = "Polisen"
    agreement.save()
    data = render_agreement_pdf(agreement)
    boxes = initials_boxes(data)
    assert len(boxes) >= 3
    assert all(labels == ["Polisen", "Ankeby kommun"] for labels in boxes), boxes
    assert PdfReader(io.BytesIO(data)).metadata.author == "Lokalpolisområde Ankeby, Ankeby kommun"
    last = pdf_pages(data)[-1]
    assert last.count("Namnteckning") == 2  # one block per signatory, none for the rescue service
    assert "Räddningstjänsten" not in last


def test_without_signatories_every_party_gets_a_block_and_an_initials_box(three_parties):
    agreement, rescue = three_parties
    agreement.signatories.all().delete()
    data = render_agreement_pdf(agreement)
    expected = ["Ankeby kommun", "Lokalpolisområde Ankeby", "Räddningstjänsten Syd"]
    assert all(labels == expected for labels in initials_boxes(data))
    assert pdf_pages(data)[-1].count("Namnteckning") == 3


def test_a_revision_keeps_the_order_and_short_names(three_parties, coordinator, media):
    agreement, rescue = three_parties
    agreement.police_area_position, agreement.police_area_short_name = 1, "Polisen"
    agreement.municipality_position = 2
    agreement.save()
    row = AgreementParty.objects.get(agreement=agreement)
    row.short_name = "RSYD"
    row.save()
    agreement.status = AgreementStatus.SIGNED
    agreement.save()
    revision = services.agreement_create_revision(agreement=agreement, user=coordinator)
    assert [(p.name, p.short_name) for p in revision.document_parties()] == [
        ("Lokalpolisområde Ankeby", "Polisen"),
        ("Ankeby kommun", ""),
        ("Räddningstjänsten Syd", "RSYD"),
    ]
