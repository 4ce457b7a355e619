"""Fixtures for the PDF tests: a fully written agreement, PDFs read back as text."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from agreements.choices import AgreementStatus
from core.pdf import shutdown_workers
from forums.models import Forum
from tests.factories import (
    CauseFactory,
    CitizenPromiseFactory,
    CommitmentFactory,
    FocusAreaFactory,
    SubGoalFactory,
    chair_and_police_chief,
)


@pytest.fixture(scope="session", autouse=True)
def _stop_pdf_workers():
    yield
    shutdown_workers()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored PDFs go to a throwaway media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


#: The hyphen WeasyPrint prints where it hyphenates a word at a line's end (``hyphens:
#: auto``); a hyphen written in the text is U+002D and stays.
AUTO_HYPHEN = "\u2010"


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF, whitespace collapsed, words hyphenated at a line's
    end read whole again ("trygghets‐" / "vandring" → "trygghetsvandring")."""
    reader = PdfReader(io.BytesIO(data))
    return [
        " ".join(re.sub(rf"{AUTO_HYPHEN}\s+", "", page.extract_text()).split())
        for page in reader.pages
    ]


def pdf_text(data: bytes) -> str:
    return " ".join(pdf_pages(data))


def blank_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


SECTION_TEXTS = {
    "background": "Lägesbilden visar oro i centrum kvällstid.",
    "situation_sources": "Polisens trygghetsmätning 2023 och NTU.",
    "purpose": "Syftet är att fördjupa samverkan mellan kommun och polis.",
    "overall_goal": "Ökad trygghet och minskad brottslighet i hela kommunen.",
    "organisation_text": "Styrgruppen leder arbetet och möts varje kvartal.",
    "followup_text": "Överenskommelsen följs upp två gånger per år.",
    "budget_text": "Varje part bekostar sina egna insatser.",
    "communication_text": "Parterna kommunicerar gemensamt om insatserna.",
    "decision_body": "Kommunstyrelsen i Ankeby",
    "decision_condition": "Gäller under förutsättning att kommunfullmäktige godkänner.",
}


def fill_agreement(agreement, *, focus_areas: int = 2, sub_goals: int = 2):
    """Write every section of ``agreement`` and give it children; returns the focus areas."""
    for field, value in SECTION_TEXTS.items():
        setattr(agreement, field, value)
    agreement.reference = agreement.reference or f"KS-2024/{agreement.pk}"
    agreement.decision_date = datetime.date(2024, 3, 18)
    agreement.save()
    areas = []
    for index in range(1, focus_areas + 1):
        area = FocusAreaFactory(
            agreement=agreement,
            position=index,
            title=f"Fokusområde nummer {index}",
            description=f"Beskrivning av fokusområde {index}.",
        )
        for goal in range(1, sub_goals + 1):
            SubGoalFactory(
                focus_area=area, position=goal, text=f"Delmål {index}.{goal} mäts årligen"
            )
        CauseFactory(focus_area=area, text=f"Orsak till problem {index}")
        CommitmentFactory(
            agreement=agreement,
            focus_area=area,
            party=agreement.police_area,
            text=f"Polisiär närvaro i område {index}",
        )
        areas.append(area)
    CommitmentFactory(
        agreement=agreement, party=agreement.municipality, text="Kommunen bidrar med lokaler"
    )
    CommitmentFactory(
        agreement=agreement, party=agreement.police_area, text="Polisen deltar i styrgruppen"
    )
    CommitmentFactory(
        agreement=agreement, party=None, text="Gemensamt ta fram en lägesbild varje år"
    )
    chair_and_police_chief(agreement)
    forum = Forum.objects.create(
        municipality=agreement.municipality,
        name="Lokalt brottsförebyggande råd",
        abbreviation="BRÅ",
    )
    forum.agreements.add(agreement)
    return areas


@pytest.fixture
def full_agreement(world):
    fill_agreement(world.agreement)
    return world.agreement


def sign(agreement):
    """Mark the agreement signed (lifecycle fields may change on a signed agreement)."""
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_at = timezone.now()
    agreement.save()
    return agreement


@pytest.fixture
def promise(full_agreement):
    return CitizenPromiseFactory(
        agreement=full_agreement,
        year=2025,
        title="Tryggare torg",
        text="Vi lovar kvällsvandringar.",
    )
