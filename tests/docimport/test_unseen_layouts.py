"""Layouts the three references do not use, written for these tests (Norrvik is made up):
focus areas listed by number and described further on, "Polisens åtaganden" lists under
each focus area, "Gemensamt åtar vi oss att:", forums as run-in labels, a citizen
promise, areas named as utsatta, a signature block opened by "För …" lines — and the
same signatures as a two-column table in Word, as they are often laid out."""

from __future__ import annotations

from pathlib import Path

import pytest

from docimport.readers import read_document
from docimport.recognise import (
    AREA,
    COMMITMENT,
    FOCUS_AREA,
    FORUM,
    PROMISE,
    SIGNATORY,
    SUB_GOAL,
    recognise,
)

from . import documents

TEXT = (Path(__file__).parent / "norrvik.txt").read_text(encoding="utf-8")
HEADINGS = [
    ("Samverkansöverenskommelse mellan", 1),
    ("Inledning", 2),
    ("Lägesbild", 2),
    ("Prioriterade områden", 2),
    ("Unga som riskerar", 3),
    ("Trygg offentlig miljö", 3),
    ("Våld i nära relationer", 3),
    ("Delmål", 4),
    ("Polisens åtaganden", 4),
    ("Kommunens åtaganden", 4),
    ("Samverkansforum", 2),
    ("Medborgarlöfte 2025", 2),
    ("Uppföljning", 2),
    ("Giltighetstid", 2),
    ("Underskrifter", 2),
]


def _word(signature_table: bool) -> bytes:
    parts = documents.parts_of(TEXT, HEADINGS)
    # Numbered focus areas: the text's "1. …" lines are list items in Word.
    for part in parts:
        if part.kind == "paragraph" and part.text[:2] in {"1.", "2.", "3."}:
            part.kind, part.text = "item", part.text[3:]
    if signature_table:
        start = next(n for n, p in enumerate(parts) if p.text.startswith("För Norrviks"))
        parts = parts[:start] + [
            documents.Part(
                "row",
                "",
                cells=(
                    "För Norrviks kommun\nKarin Berg\nKommunstyrelsens ordförande",
                    "För Polisen\nJohan Lind\nLokalpolisområdeschef",
                ),
            )
        ]
    return documents.docx_from_parts(parts, numbered=2)


def _tree(fmt: str):
    if fmt == "txt":
        name, data = "norrvik.txt", TEXT.encode()
    else:
        name, data = "norrvik.docx", _word(signature_table=fmt == "docx-table")
    blocks = read_document(name=name, data=data).blocks
    return recognise(blocks, municipality_name="Norrviks kommun", police_name="Polisen")


@pytest.mark.parametrize("fmt", ["txt", "docx", "docx-table"])
def test_an_agreement_laid_out_otherwise_is_recognised(fmt):
    tree = _tree(fmt)
    assert (tree.valid_from, tree.valid_to) == ("2025-01-01", "2028-12-31")
    areas = tree.of_kind(FOCUS_AREA)
    assert [a.title for a in areas] == [
        "Unga som riskerar att dras in i kriminalitet",
        "Trygg offentlig miljö",
        "Våld i nära relationer",
    ]
    assert [len(tree.children(a, SUB_GOAL)) for a in areas] == [2, 1, 0]
    commitments = [(c.party, c.parent, c.text) for c in tree.of_kind(COMMITMENT)]
    young, public, violence = (a.id for a in areas)
    assert commitments == [
        ("police", young, "Delta i SSPF-arbetet varje vecka"),
        ("police", young, "Dela lägesbilden om ungdomsbrottsligheten med skolorna"),
        ("municipality", young, "Erbjuda fältverksamhet på helger"),
        ("joint", public, "Genomföra trygghetsvandringar två gånger per år"),
        ("police", violence, "Utbilda personal i skolan om hedersrelaterat våld"),
    ]
    forums = {f.title: f.data for f in tree.of_kind(FORUM)}
    assert forums["Styrgrupp"]["chair"] == "Kommundirektören"
    assert forums["Styrgrupp"]["frequency"] == "quarterly"
    assert forums["Operativ samverkansgrupp"]["chair"] == "Trygghetssamordnaren"
    assert forums["Operativ samverkansgrupp"]["frequency"] == "weekly"
    assert "SSPF" in forums
    (promise,) = tree.of_kind(PROMISE)
    assert (promise.title, promise.data["year"]) == ("Tryggare stationsområde", 2025)
    assert promise.text.startswith("Polisen och kommunen lovar")
    assert {a.title: a.data["classification"] for a in tree.of_kind(AREA)} == {
        "Björkdalen": "vulnerable",
        "Hagaberg": "especially_vulnerable",
    }
    signed = [
        (s.title, s.data["position"], s.party, s.data["place"], s.data["signed_on"])
        for s in tree.of_kind(SIGNATORY)
    ]
    assert signed == [
        ("Karin Berg", "Kommunstyrelsens ordförande", "municipality", "Norrvik", "2024-12-12"),
        ("Johan Lind", "Lokalpolisområdeschef", "police", "Norrvik", "2024-12-12"),
    ]
    assert tree.leftovers == []


SODERVIK = (Path(__file__).parent / "sodervik.txt").read_text(encoding="utf-8")


def _sodervik(fmt: str):
    if fmt == "txt":
        name, data = "sodervik.txt", SODERVIK.encode()
    else:
        # Word without heading styles: the sections are numbered by hand, and what each
        # party undertakes for the first focus area is a table with a column per party.
        parts = documents.parts_of(SODERVIK, [])
        at = next(n for n, p in enumerate(parts) if p.text.startswith("Staden ansvarar"))
        table = [
            documents.Part("row", "", cells=("Staden åtar sig att", "Polisen åtar sig att")),
            documents.Part(
                "row",
                "",
                cells=(
                    "erbjuda sommarjobb till unga\nhålla fritidsgårdarna öppna på fredagar",
                    "delta i skolornas trygghetsråd",
                ),
            ),
        ]
        name, data = (
            "sodervik.docx",
            documents.docx_from_parts(parts[: at + 1] + table + parts[at + 1 :]),
        )
    blocks = read_document(name=name, data=data).blocks
    return recognise(
        blocks, municipality_name="Söderviks stad", police_name="Lokalpolisområde Södervik"
    )


@pytest.mark.parametrize("fmt", ["txt", "docx-plain"])
def test_hand_numbered_sections_and_a_commitment_table_are_recognised(fmt):
    tree = _sodervik(fmt)
    assert (tree.valid_from, tree.valid_to) == ("2026-01-01", "2029-12-31")
    assert [a.title for a in tree.of_kind(FOCUS_AREA)] == [
        "Trygga skolmiljöer",
        "Minskad narkotikaförsäljning",
    ]
    assert tree.section_text("purpose") == "Syftet är att samordna det brottsförebyggande arbetet."
    assert tree.section_text("followup_text") == "Arbetet följs upp två gånger per år."
    signed = [(s.title, s.data["position"], s.party) for s in tree.of_kind(SIGNATORY)]
    assert signed == [
        ("Eva Holm", "Kommunstyrelsens ordförande", "municipality"),
        ("Ali Karimi", "Lokalpolisområdeschef", "police"),
    ]
    commitments = [(c.party, c.text) for c in tree.of_kind(COMMITMENT)]
    if fmt == "txt":
        assert commitments == []
    else:
        school = tree.of_kind(FOCUS_AREA)[0]
        assert commitments == [
            ("municipality", "Erbjuda sommarjobb till unga"),
            ("municipality", "Hålla fritidsgårdarna öppna på fredagar"),
            ("police", "Delta i skolornas trygghetsråd"),
        ]
        assert {c.parent for c in tree.of_kind(COMMITMENT)} == {school.id}
    assert tree.leftovers == []


SIDE_BY_SIDE = [
    ("För Norrviks kommun", "För Polisen"),
    ("Karin Berg", "Johan Lind"),
    ("Kommunstyrelsens ordförande", "Lokalpolisområdeschef"),
]


def _side_by_side(fmt: str):
    """Norrvik with its two signatures beside each other: tab stops in Word, two columns
    in a PDF (no table, no rules — the way a signature page is usually set)."""
    body = TEXT[: TEXT.index("För Norrviks kommun")]
    if fmt == "docx":
        parts = documents.parts_of(body, HEADINGS)
        parts += [documents.Part("paragraph", "\t".join(pair)) for pair in SIDE_BY_SIDE]
        name, data = "norrvik.docx", documents.docx_from_parts(parts)
    else:
        columns = "".join(
            '<div class="col">' + "".join(f"<p>{pair[n]}</p>" for pair in SIDE_BY_SIDE) + "</div>"
            for n in (0, 1)
        )
        html = (
            documents.html_of(documents.parts_of(body, HEADINGS))
            .replace(
                "</body>",
                '<div class="signatures">' + columns + "</div></body>",
            )
            .replace(
                "</style>",
                ".signatures { display: flex; } .col { width: 50%; } </style>",
            )
        )
        name, data = "norrvik.pdf", documents.pdf_from_html(html)
    blocks = read_document(name=name, data=data).blocks
    return recognise(blocks, municipality_name="Norrviks kommun", police_name="Polisen")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_signatures_set_side_by_side_are_told_apart(fmt):
    tree = _side_by_side(fmt)
    signed = [
        (s.title, s.data["position"], s.party, s.data["place"], s.data["signed_on"])
        for s in tree.of_kind(SIGNATORY)
    ]
    assert signed == [
        ("Karin Berg", "Kommunstyrelsens ordförande", "municipality", "Norrvik", "2024-12-12"),
        ("Johan Lind", "Lokalpolisområdeschef", "police", "Norrvik", "2024-12-12"),
    ]
    assert [a.title for a in tree.of_kind(FOCUS_AREA)][0].startswith("Unga som riskerar")
