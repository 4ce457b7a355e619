"""The agreement's forums as the document describes them: a tree of who reports to whom,
with kind (or a group's own kind), frequency only where given, convener and seats."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.pdf import render_agreement_pdf
from forums.choices import ForumKind, Frequency
from forums.models import Forum
from tests.forums.factories import ForumFactory, ForumSeatFactory
from tests.rendered import form_data

from .conftest import pdf_text


@pytest.fixture
def organisation(world):
    """KUG (the strategic council) over a KSG and a crisis-management council; EST, not named
    by the agreement, also reports to KUG."""
    kug = ForumFactory(
        municipality=world.municipality,
        name="Koncernutvecklingsgrupp",
        abbreviation="KUG",
        kind=ForumKind.STRATEGIC_COUNCIL,
        frequency=Frequency.MONTHLY,
        convener=world.municipality,
    )
    ksg = ForumFactory(
        municipality=world.municipality,
        name="Koncernsamordningsgrupp",
        abbreviation="KSG",
        kind=ForumKind.COORDINATION_GROUP,
        frequency="",
        parent=kug,
        convener=world.police_area,
    )
    crisis = ForumFactory(
        municipality=world.municipality,
        name="Krisledningsrådet",
        kind=ForumKind.OTHER,
        kind_label="Krisledningsråd",
        frequency="",
        parent=kug,
    )
    ForumSeatFactory(forum=kug, organisation=world.police_area, function="biträdande LPO-chef")
    for forum in (kug, ksg, crisis):
        forum.agreements.add(world.agreement)
    ForumFactory(municipality=world.municipality, name="EST-gruppen", parent=kug)
    return kug, ksg, crisis


def _forum_lines(data: bytes) -> list[tuple[float, str]]:
    """(left edge, text) of each line of the section "Forum för samverkan"."""
    lines = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            lines += [(line["x0"], line["text"]) for line in page.extract_text_lines()]
    start = next(i for i, (_, text) in enumerate(lines) if text == "Forum för samverkan")
    return lines[start + 1 :]


def test_the_forums_print_as_a_tree_with_conveners(world, organisation):
    data = render_agreement_pdf(world.agreement)
    text = pdf_text(data)
    assert (
        "Koncernutvecklingsgrupp (KUG) – Strategiskt råd enligt lag (2023:196), varje månad, "
        "sammankallas av Ankeby kommun."
    ) in text
    assert (
        "Koncernsamordningsgrupp (KSG) – Samordningsgrupp, sammankallas av Lokalpolisområde Ankeby."
        in text
    )
    assert "Krisledningsrådet – Krisledningsråd." in text  # its own kind, no frequency
    assert "Platser: Lokalpolisområde Ankeby: biträdande LPO-chef" in text
    assert "EST-gruppen" not in text  # not named by the agreement
    lines = _forum_lines(data)
    left = {
        name: next(x for x, t in lines if t.startswith(name))
        for name in ("Koncernutv", "Koncernsam", "Krislednings")
    }
    assert left["Koncernsam"] > left["Koncernutv"]  # indented under KUG
    assert left["Krislednings"] == pytest.approx(left["Koncernsam"])


def test_no_frequency_prints_no_vid_behov(world, organisation):
    text = pdf_text(render_agreement_pdf(world.agreement))
    assert "vid behov" not in text.lower()
    kug, ksg, crisis = organisation
    ksg.frequency = Frequency.AS_NEEDED
    ksg.save()
    assert "Samordningsgrupp, vid behov," in pdf_text(render_agreement_pdf(world.agreement))


def test_a_forum_of_kind_other_must_name_its_kind(world):
    forum = Forum(municipality=world.municipality, name="EST", kind=ForumKind.OTHER)
    with pytest.raises(ValidationError) as error:
        forum.full_clean()
    assert "kind_label" in error.value.message_dict


def test_the_coordinator_sets_convener_own_kind_and_no_frequency_in_the_form(
    coordinator_client, world
):
    url = reverse("forums:create")
    data = form_data(
        coordinator_client.get(url),
        values={
            "municipality": str(world.municipality.pk),
            "name": "Krisledningsrådet",
            "kind": ForumKind.OTHER,
            "kind_label": "Krisledningsråd",
            "frequency": "",
            "convener": str(world.police_area.pk),
        },
    )
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    forum = Forum.objects.get(name="Krisledningsrådet")
    assert (forum.kind_display, forum.frequency, forum.convener) == (
        "Krisledningsråd",
        "",
        world.police_area,
    )
    page = coordinator_client.get(forum.get_absolute_url()).content.decode()
    assert "Krisledningsråd" in page and "Lokalpolisområde Ankeby" in page
