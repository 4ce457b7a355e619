"""Each reference agreement, as text, Word (with and without heading styles) and PDF, is
recognised with its focus areas, sub-goals, commitments per party, signatories, forums
and period. No database: reading and recognising are pure."""

from __future__ import annotations

import pytest

from docimport.readers import HEADING, LIST_ITEM, TABLE_ROW, read_document
from docimport.recognise import (
    ACTIVITY,
    COMMITMENT,
    FOCUS_AREA,
    FORUM,
    SIGNATORY,
    SUB_GOAL,
    recognise,
    similar_titles,
)

from .conftest import FORMATS, PARTIES, document

ESKILSTUNA_AREAS = [
    "Stoppa skjutningar och grovt våld",
    "Stoppa nyrekrytering av barn och unga i kriminalitet",
    "Trygga det offentliga rummet",
    "Bekämpa systemhotande brottslighet",
]
ESLOV_AREAS = [
    "Trygghet i offentlig miljö",
    "Tidig upptäckt av barn och unga vuxna i riskmiljöer",
    "Våld i nära relationer",
]
# Where the document gives them the level of a focus area (Word heading styles, PDF font
# sizes), these two are focus areas of their own; in plain text nothing tells them from
# the activities above them, so they are activities under "Våld i nära relationer".
ESLOV_LEVELLED = [
    "Förhindra rekrytering till våldsbejakande extremism",
    "Alkohol och drogförebyggande arbete",
]
STRANGNAS_AREAS = [
    "Minska ungdomsbrottsligheten",
    "Minska droganvändningen bland unga",
    "Kommunikation om trygghet",
    "Otrygghet i offentlig miljö",
]


def tree_of(name: str, fmt: str):
    file_name, data = document(name, fmt)
    kommun, lpo = PARTIES[name]
    result = read_document(name=file_name, data=data)
    return recognise(result.blocks, municipality_name=kommun, police_name=lpo), result


def titles(tree, kind):
    return [item.title for item in tree.of_kind(kind)]


def commitments_by_party(tree):
    found: dict[str, list[str]] = {}
    for item in tree.of_kind(COMMITMENT):
        found.setdefault(item.party, []).append(item.text)
    return found


def signatories(tree):
    return [
        (
            item.title,
            item.data["position"],
            item.party,
            item.data["place"],
            item.data["signed_on"],
        )
        for item in tree.of_kind(SIGNATORY)
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_eskilstuna_is_recognised_in_every_format(fmt):
    tree, _result = tree_of("eskilstuna", fmt)
    assert (tree.valid_from, tree.valid_to) == ("2024-01-01", "2027-12-31")
    assert "2024–2027" in tree.title and "Eskilstuna kommun" in tree.title
    assert titles(tree, FOCUS_AREA) == ESKILSTUNA_AREAS
    per_area = [len(tree.children(fa, SUB_GOAL)) for fa in tree.of_kind(FOCUS_AREA)]
    assert per_area == [2, 5, 2, 6]
    fourth = [goal.text for goal in tree.children(tree.of_kind(FOCUS_AREA)[3], SUB_GOAL)]
    # Two sub-goals run together in one list item ("… och vittna. • Minskat …") are two.
    assert "Minskat tillgången på narkotika." in fourth
    assert not any("åtgärdsplan" in goal for goal in fourth)
    commitments = commitments_by_party(tree)
    assert list(commitments) == ["joint"]
    assert [text.split("\n")[0] for text in commitments["joint"]] == [
        "Prioritera deltagande och ta ansvar för att utveckla våra gemensamma forum",
        "Avsätta erforderliga resurser i enlighet med samverkansöverenskommelsen och "
        "tillhörande åtgärdsplan",
        "Utveckla gemensam kommunikation",
    ]
    assert signatories(tree) == []
    forums = {item.data.get("abbreviation") or item.title for item in tree.of_kind(FORUM)}
    assert forums == {
        "KUG",
        "KSG Trygghet",
        "KSG Systemhotande",
        "SSPF",
        "EST",
        "Trygghetsberedningen",
    }
    kug = next(f for f in tree.of_kind(FORUM) if f.data.get("abbreviation") == "KUG")
    assert kug.title == "Koncernutvecklingsgrupp Tryggt och socialt hållbart Eskilstuna"
    assert kug.data["chair"] == "Direktör för social hållbarhet"
    assert kug.data["forum_kind"] == "strategic_council"
    assert tree.decision_date == "2023-12-14"
    assert any(
        item.section == "decision_condition" and "kommunfullmäktige" in item.text
        for item in tree.items
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_eslov_is_recognised_in_every_format(fmt):
    tree, _result = tree_of("eslov", fmt)
    assert tree.title == (
        "Samverkansöverenskommelse mellan lokalpolisområde Eslöv och Eslövs kommun 2021–2022"
    )
    assert (tree.valid_from, tree.valid_to) == ("2021-05-01", "2022-12-31")
    levelled = fmt in {"docx", "pdf"}
    expected = ESLOV_AREAS + ESLOV_LEVELLED if levelled else ESLOV_AREAS
    assert titles(tree, FOCUS_AREA) == expected
    activities = tree.of_kind(ACTIVITY)
    assert len(activities) == 14
    tunnels = activities[0]
    assert tunnels.title == "Förbättra tryggheten i tunnlar och andra miljöer"
    assert tunnels.data["effect_goal"].startswith("alla gångtunnlar ska uppfattas som tryggare")
    assert tunnels.data["responsible"] == "Gata-trafik-park inom Miljö och Samhällsbyggnad."
    first_area = tree.of_kind(FOCUS_AREA)[0]
    assert [a.title for a in activities if a.parent == first_area.id][-1] == (
        "Mänskliga rättighetsperspektiv på trygghet"
    )
    assert commitments_by_party(tree) == {}
    assert signatories(tree) == [
        ("Anna-Karin Boije", "Lokalpolisområdeschef Eslöv", "police", "Eslöv", "2021-06-18"),
        ("Johan Andersson", "Kommunstyrelsens ordförande", "municipality", "Eslöv", "2021-06-18"),
    ]
    assert titles(tree, FORUM)[0] == "Örat mot marken"
    assert [f.data.get("abbreviation") for f in tree.of_kind(FORUM)] == ["", "SSPE", ""]
    assert titles(tree, FORUM)[2] == "Lagstadgad tillsynsverksamhet i samverkan"
    # The initials and "Handwritten signature" lines of the scan are set aside, not lost.
    noise = [b["text"] for b in tree.blocks if b["n"] in tree.noise]
    assert "AKB" in noise
    assert tree.leftovers == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_strangnas_is_recognised_in_every_format(fmt):
    tree, _result = tree_of("strangnas", fmt)
    assert (
        tree.title
        == "Samverkansöverenskommelse mellan Polismyndigheten och Strängnäs kommun 2020-2023"
    )
    # The stated validity wins over the years in the title.
    assert (tree.valid_from, tree.valid_to) == ("2019-12-20", "2023-06-01")
    assert titles(tree, FOCUS_AREA) == STRANGNAS_AREAS
    # The action plan's sections describe the focus areas listed earlier.
    drugs = tree.of_kind(FOCUS_AREA)[1]
    assert drugs.text.startswith("Användandet av droger är ett ökande problem")
    assert commitments_by_party(tree) == {
        "joint": [
            "Samverka kring de framtagna samverkansområdena samt att arbeta efter de åtaganden "
            "som följer av avtalet."
        ]
    }
    assert signatories(tree) == [
        (
            "Lars Ekström",
            "Kommundirektör Strängnäs kommun",
            "municipality",
            "Strängnäs",
            "2019-12-20",
        ),
        ("Christer Sjöqvist", "Lokalpolisområdeschef LPOE", "police", "Strängnäs", "2019-12-20"),
    ]
    activities = tree.of_kind(ACTIVITY)
    assert [a.title for a in activities] == [
        "SIG Sociala insatsgrupper",
        "Team ungdom",
        "ANDT i skolan",
        "Känn dig trygg",
        "SSPF",
        "Linköpingsmodellen",
        "EST",
        "Lokala BRÅ",
        "Fastighetsägarnätverk",
        "Kommunikation, trygghet",
    ]
    assert activities[0].data["roles"] == {
        "municipality": "Socialtjänsten är samordnande",
        "police": "Deltagande",
    }
    assert activities[0].data["communication"] == "Polis och kommun"
    (bra,) = tree.of_kind(FORUM)
    assert (bra.title, bra.data["abbreviation"]) == ("Brottsförebyggande rådet", "BRÅ")
    assert bra.data["chair"] == "Samordnare för brottsförebyggande frågor"
    assert bra.data["frequency"] == "quarterly"
    sources = next(i for i in tree.items if i.section == "situation_sources").text
    assert "Liv & hälsa ung" in sources


def test_the_word_reader_keeps_heading_levels_lists_and_tables():
    _name, data = document("strangnas", "docx")
    blocks = read_document(name="a.docx", data=data).blocks
    assert (blocks[0].kind, blocks[0].level) == (HEADING, 1)
    assert any(b.kind == LIST_ITEM and b.text == "Öppna jämförelser" for b in blocks)
    rows = [b for b in blocks if b.kind == TABLE_ROW]
    assert len(rows) == 11
    assert rows[0].cells == ["Vad", "Kommun", "Polis", "kommunikation"]


def test_the_pdf_reader_tells_headings_by_size_and_keeps_the_table():
    _name, data = document("strangnas", "pdf")
    blocks = read_document(name="a.pdf", data=data).blocks
    headings = [b for b in blocks if b.kind == HEADING]
    assert headings[0].text.startswith("Samverkansöverenskommelse mellan Polismyndigheten")
    assert headings[0].level == 1
    assert {b.level for b in headings if b.text == "Bakgrund"} == {2}
    rows = [b for b in blocks if b.kind == TABLE_ROW]
    # A cell keeps its lines (a wrapped title here); the row's text joins them.
    assert " ".join(rows[1].cells[0].split()) == "SIG Sociala insatsgrupper"
    assert rows[1].text.startswith("SIG Sociala insatsgrupper | Socialtjänsten")
    assert all(b.page for b in blocks)


@pytest.mark.parametrize(
    ("one", "two", "same"),
    [
        ("Öka kommunikationen om trygghet", "Kommunikation om trygghet", True),
        ("Minska droganvändningen", "Minska droganvändningen bland unga", True),
        ("Kommunikationsstrategi", "Kommunikation om trygghet", False),
        ("Uppföljning", "Minska ungdomsbrottsligheten", False),
    ],
)
def test_titles_match_across_inflections_but_not_compounds(one, two, same):
    assert similar_titles(one, two) is same


def test_commitments_of_each_party_are_told_apart():
    from docimport.readers import read_text

    text = "\n".join(
        [
            "Samverkansöverenskommelse mellan Ankeby kommun och Polisen 2025–2026",
            "Åtaganden",
            "Polisen förbinder sig att:",
            "- delta i trygghetsvandringar",
            "- redovisa lägesbilden varje kvartal",
            "Ankeby kommun åtar sig att:",
            "- bemanna fältgruppen på helger",
            "Räddningstjänsten åtar sig att genomföra brandskyddsutbildningar i skolorna.",
            "Vi åtar oss att följa upp arbetet två gånger om året.",
            "Ankeby den 3 mars 2025",
            "Anna Andersson",
            "Kommunstyrelsens ordförande",
            "Per Persson",
            "Lokalpolisområdeschef",
        ]
    )
    tree = recognise(
        read_text(text).blocks,
        municipality_name="Ankeby kommun",
        police_name="Lokalpolisområde Ankeby",
    )
    assert commitments_by_party(tree) == {
        "police": ["Delta i trygghetsvandringar", "Redovisa lägesbilden varje kvartal"],
        "municipality": ["Bemanna fältgruppen på helger"],
        "Räddningstjänsten": ["Genomföra brandskyddsutbildningar i skolorna."],
        "joint": ["Följa upp arbetet två gånger om året."],
    }
    assert signatories(tree) == [
        ("Anna Andersson", "Kommunstyrelsens ordförande", "municipality", "Ankeby", "2025-03-03"),
        ("Per Persson", "Lokalpolisområdeschef", "police", "Ankeby", "2025-03-03"),
    ]
    assert (tree.valid_from, tree.valid_to) == ("2025-01-01", "2026-12-31")


def test_areas_named_as_vulnerable_become_areas_with_their_classification():
    from docimport.readers import read_text

    text = "\n".join(
        [
            "Samverkansöverenskommelse mellan Ankeby kommun och Polisen 2025–2026",
            "Lägesbild",
            "Polisen bedömer Norrby som ett särskilt utsatt område. Söderås och Västra Ängen "
            "är utsatta områden enligt polisens lista.",
            "Fokusområden",
            "Fokusområde 1 – Trygg skolväg",
        ]
    )
    tree = recognise(read_text(text).blocks, municipality_name="Ankeby kommun")
    areas = {item.title: item.data["classification"] for item in tree.of_kind("area")}
    assert areas["Norrby"] == "especially_vulnerable"
    assert areas["Söderås"] == "vulnerable"
