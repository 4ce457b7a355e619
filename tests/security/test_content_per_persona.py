"""Each persona sees exactly its own rows: in lists, queues, exports, feeds and PDFs.

Two municipalities (Ankeby = A, Bergsjö = B) each have something in every state: a draft
and a signed agreement, an activity waiting for the kommunpolis's review, a delayed
update waiting for approval, a report, an indicator, a forum with a meeting. Every list
answer is read as its user would read it — HTML as text, CSV and XLSX parsed, the
calendar feed parsed, PDFs through pypdf — and must name exactly the municipalities the
persona works for.
"""

from __future__ import annotations

import csv
import io

import icalendar
import openpyxl
import pytest
from django.urls import reverse

A, B = "Ankeby", "Bergsjö"

#: Who sees which municipality's rows.
SEES = {
    "coordinator": {A},
    "council": {A},
    "viewer": {A},
    "police": {A},
    "party": {A},
    "outsider": {B},
    "police_b": {B},
    "staff": {A, B},
    "superuser": {A, B},
}


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _read(response) -> str:
    """The answer as the user reads it: the text of the rows, whatever the format."""
    kind = response.get("Content-Type", "").split(";")[0]
    body = _body(response)
    if kind == "text/csv":
        return "\n".join(" ".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    if kind.endswith("spreadsheetml.sheet"):
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if kind == "text/calendar":
        calendar = icalendar.Calendar.from_ical(body)
        return "\n".join(
            f"{event.get('summary')} {event.get('description', '')} {event.get('location', '')}"
            for event in calendar.walk("VEVENT")
        )
    if kind == "application/pdf":
        from pypdf import PdfReader

        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages)
    html = body.decode()
    # Only what is in <main>: the header's menus and the language switch are not rows.
    return html[html.find("<main") : html.find("</main>")]


#: (URL name, kwargs, what a row of each municipality looks like: "{tag}" is replaced).
LISTS = [
    ("agreements:list", {}, "Överenskommelse {tag} 2024–2027"),
    ("actionplans:plan-list", {}, "Åtgärdsplan {tag} 2025"),
    ("actionplans:activity-list", {}, "Trygghetsvandring {tag}"),
    ("actionplans:activity-export", {"fmt": "csv"}, "Trygghetsvandring {tag}"),
    ("actionplans:activity-export", {"fmt": "xlsx"}, "Trygghetsvandring {tag}"),
    ("followup:deviations", {}, "Trygghetsvandring {tag}"),
    ("followup:report-list", {}, "Delår 2 2025 {tag}"),
    ("followup:indicator-list", {}, "Trygghetsindex {tag}"),
    ("forums:list", {}, "Kommunens utvecklingsgrupp {tag}"),
    ("forums:tree", {}, "Kommunens utvecklingsgrupp {tag}"),
    ("forums:ical-mine", {}, "Kommunens utvecklingsgrupp {tag}"),
]


@pytest.mark.parametrize("persona", sorted(SEES))
def test_every_list_export_and_feed_shows_exactly_the_personas_rows(
    trees, persona_clients, persona
):
    client = persona_clients[persona]
    wrong = []
    for name, kwargs, row in LISTS:
        response = client.get(reverse(name, kwargs=kwargs or None))
        assert response.status_code == 200, (name, persona, response.status_code)
        text = _read(response)
        for tag in (A, B):
            shown = row.format(tag=tag) in text
            if shown != (tag in SEES[persona]):
                wrong.append(f"{name} {kwargs or ''}: {'shows' if shown else 'lacks'} {tag}'s row")
        # Nothing of the other municipality at all, not even in a dropdown or a heading.
        for tag in {A, B} - SEES[persona]:
            if tag in text:
                wrong.append(f"{name} {kwargs or ''}: names {tag}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


REVIEWERS = {"police": {A}, "police_b": {B}, "superuser": {A, B}}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_the_review_queue_holds_only_what_the_persona_reviews(trees, persona_clients, persona):
    response = persona_clients[persona].get(reverse("actionplans:review-queue"))
    assert response.status_code == 200
    text = _read(response)
    for tag in (A, B):
        shown = f"Ökad närvaro {tag}" in text
        # Only the police of the activity's area (and superusers) review it.
        expected = tag in REVIEWERS.get(persona, set())
        assert shown == expected, f"{persona}: {'shows' if shown else 'lacks'} {tag}'s activity"


def test_a_report_pdf_and_a_plan_pdf_hold_their_own_municipalitys_rows(trees, persona_clients):
    client = persona_clients["coordinator"]
    for name, attr in (("followup:report-pdf", "report"), ("actionplans:plan-pdf", "plan")):
        response = client.get(reverse(name, args=[getattr(trees.a, attr).pk]))
        text = "".join(_read(response).split())
        assert "TrygghetsvandringAnkeby" in text, name
        assert B not in text, name
        theirs = reverse(name, args=[getattr(trees.b, attr).pk])
        assert client.get(theirs).status_code == 404
