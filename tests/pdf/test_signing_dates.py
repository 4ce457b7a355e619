"""Dates and title as signatories expect them: "Eslöv den 18 juni 2021", the signing date in
every page's header, and a title whose period of years never breaks across lines."""

from __future__ import annotations

import datetime
import io

import pdfplumber
import pytest

from agreements import services
from agreements.choices import AgreementStatus
from agreements.pdf import render_agreement_pdf

from .conftest import fill_agreement, pdf_pages


@pytest.fixture
def eslov_signed_on(world):
    """Two signatories in Eslöv who signed on different days in June 2021."""
    fill_agreement(world.agreement, focus_areas=1, sub_goals=1)
    first, second = world.agreement.signatories.order_by("position")
    first.place, first.signed_on = "Eslöv", datetime.date(2021, 6, 14)
    second.place, second.signed_on = "Eslöv", datetime.date(2021, 6, 18)
    first.save()
    second.save()
    return world.agreement


def test_each_signatory_prints_place_and_long_swedish_date(eslov_signed_on):
    last = pdf_pages(render_agreement_pdf(eslov_signed_on))[-1]
    assert "Eslöv den 14 juni 2021" in last
    assert "Eslöv den 18 juni 2021" in last
    assert "2021-06-18" not in last


def test_numeric_signing_dates_stay_available(eslov_signed_on):
    eslov_signed_on.numeric_signing_dates = True
    eslov_signed_on.save()
    last = pdf_pages(render_agreement_pdf(eslov_signed_on))[-1]
    assert "Eslöv den 2021-06-18" in last
    assert "18 juni 2021" not in last


def test_an_unsigned_block_leaves_place_and_date_to_fill_in(world):
    fill_agreement(world.agreement, focus_areas=1, sub_goals=1)
    last = pdf_pages(render_agreement_pdf(world.agreement))[-1]
    assert "Ankeby den ________________" in last  # place known, date written by hand


def test_the_header_carries_the_signing_date_not_the_day_it_was_recorded(world, coordinator, media):
    fill_agreement(world.agreement, focus_areas=1, sub_goals=1)
    world.agreement.status = AgreementStatus.APPROVED
    world.agreement.save()
    chair, chief = world.agreement.signatories.order_by("position")
    services.agreement_sign(
        agreement=world.agreement,
        user=coordinator,
        signed_on={chair.pk: datetime.date(2024, 1, 8), chief.pk: datetime.date(2024, 1, 10)},
    )
    world.agreement.refresh_from_db()
    recorded = world.agreement.signed_at.astimezone().date().isoformat()
    assert recorded != "2024-01-10"
    with world.agreement.signed_pdf.open("rb") as handle:
        pages = pdf_pages(handle.read())
    for page in pages:
        assert "Version 1 · 2024-01-10" in page  # the day the last signatory signed
        assert recorded not in page


@pytest.mark.parametrize("padding", range(8, 14))
def test_the_title_never_breaks_inside_its_period(world, padding):
    # The padding moves the period across the end of the title's first line; without the
    # non-breaking span some of these lengths print "… kommun 2021–" / "2024".
    world.agreement.title = (
        f"Samverkansöverenskommelse mellan lokalpolisområde Eslöv och {'x' * padding} "
        "kommun 2021–2024"
    )
    world.agreement.save()
    with pdfplumber.open(io.BytesIO(render_agreement_pdf(world.agreement))) as pdf:
        lines = pdf.pages[0].extract_text().splitlines()
    assert any("2021–2024" in line for line in lines), lines
    assert not any(line.rstrip().endswith("2021–") for line in lines)
