"""A citizen promise names its own partners (a housing company…), apart from the agreement's
parties: they give and sign the promise but never become parties to the agreement."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements.choices import OrganisationKind
from agreements.models import AgreementParty, CitizenPromise, PromisePartner
from agreements.pdf import render_agreement_pdf
from tests.factories import OrganisationFactory
from tests.rendered import form_data

from .conftest import fill_agreement, pdf_pages, pdf_text
from .test_party_order import initials_boxes


@pytest.fixture
def housing(world):
    return OrganisationFactory(
        name="Ankeby Bostäder AB", kind=OrganisationKind.COMPANY, parent=world.municipality
    )


@pytest.fixture
def promise_with_partner(coordinator_client, world, housing):
    """Made in the browser: the police and the housing company promise together."""
    fill_agreement(world.agreement, focus_areas=1, sub_goals=1)
    url = reverse("agreements:promise-create", args=[world.agreement.pk])
    data = form_data(
        coordinator_client.get(url),
        values={
            "year": "2025",
            "title": "Tryggare trapphus",
            "text": "Polisen och bostadsbolaget går trygghetsvandringar varje månad.",
            "parties": [str(world.police_area.pk)],
            "partners": [str(housing.pk)],
        },
    )
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return CitizenPromise.objects.get(title="Tryggare trapphus")


def test_a_partner_is_kept_with_the_promise_and_its_history(promise_with_partner, housing):
    assert list(promise_with_partner.partners.all()) == [housing]
    row = PromisePartner.objects.get(promise=promise_with_partner)
    assert row.history.count() == 1


def test_a_promise_partner_is_not_a_party_to_the_agreement(world, promise_with_partner, housing):
    assert not AgreementParty.objects.filter(organisation=housing).exists()
    assert housing not in world.agreement.parties
    data = render_agreement_pdf(world.agreement)
    pages = pdf_pages(data)
    assert "Mellan Ankeby kommun och Lokalpolisområde Ankeby" in pages[0]
    assert "Bostäder" not in " ".join(pages)
    assert all(
        labels == ["Ankeby kommun", "Lokalpolisområde Ankeby"] for labels in initials_boxes(data)
    )
    assert "Bostäder" not in PdfReader(io.BytesIO(data)).metadata.author


def test_the_promise_pdf_names_its_givers_with_a_signature_block_each(
    coordinator_client, promise_with_partner
):
    response = coordinator_client.get(
        reverse("agreements:promise-pdf", args=[promise_with_partner.pk])
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Lämnat av Lokalpolisområde Ankeby och Ankeby Bostäder AB" in text
    signatures = text[text.index("Underskrifter") :]
    assert signatures.count("Namnteckning") == 2
    assert "Lokalpolisområde Ankeby" in signatures and "Ankeby Bostäder AB" in signatures
    assert "Ankeby kommun" not in signatures  # the municipality does not give this promise
    author = PdfReader(io.BytesIO(response.content)).metadata.author
    assert author == "Lokalpolisområde Ankeby, Ankeby Bostäder AB"


def test_partners_are_edited_one_row_at_a_time(coordinator_client, world, promise_with_partner):
    rescue = OrganisationFactory(name="Räddningstjänsten Syd", kind=OrganisationKind.RESCUE)
    url = reverse("agreements:promise-edit", args=[promise_with_partner.pk])
    data = form_data(coordinator_client.get(url), values={"partners": [str(rescue.pk)]})
    assert coordinator_client.post(url, data).status_code == 302
    assert list(promise_with_partner.partners.all()) == [rescue]
    assert PromisePartner.history.filter(history_type="-").count() == 1  # the removal is kept


def test_another_municipalitys_company_cannot_be_a_partner(coordinator_client, world):
    theirs = OrganisationFactory(
        name="Bergsjö Bostäder AB", kind=OrganisationKind.COMPANY, parent=world.other_municipality
    )
    url = reverse("agreements:promise-create", args=[world.agreement.pk])
    page = coordinator_client.get(url)
    assert "Bergsjö Bostäder AB" not in page.content.decode()
    data = form_data(
        page, values={"year": "2025", "title": "Fel", "text": "x", "partners": [str(theirs.pk)]}
    )
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert "partners" in response.context["form"].errors
    assert not CitizenPromise.objects.filter(title="Fel").exists()
