"""Swedish compounds in the plan PDF's narrow cells break with a hyphen (lang="sv" and
``hyphens: auto``: WeasyPrint hyphenates with pyphen), and nothing overflows its cell."""

from __future__ import annotations

import io

import pdfplumber

from actionplans.choices import PlanStatus
from actionplans.models import ActionPlan, Activity
from actionplans.pdf import render_plan_pdf

TEXT = "Socialförvaltningens kommunikationsavdelning och trygghetssamordnaren"
HYPHENS = ("-", "\u2010")  # WeasyPrint prints U+2010 HYPHEN


def _column_words(data: bytes, heading: str, next_heading: str):
    """The words printed in one column of the plan table (between two headings' left
    edges), top to bottom, and the column's right edge."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        words = pdf.pages[0].extract_words()
    top = next(w for w in words if w["text"] == heading)
    left, below = top["x0"], top["bottom"]
    right = next(w["x0"] for w in words if w["text"] == next_heading)
    column = [w for w in words if left - 1 <= w["x0"] < right and w["top"] > below]
    return sorted(column, key=lambda w: (round(w["top"]), w["x0"])), right


def test_a_long_compound_in_a_narrow_cell_is_hyphenated_and_stays_inside(full_agreement):
    plan = ActionPlan.objects.create(
        agreement=full_agreement,
        title="Åtgärdsplan 2025",
        valid_from=full_agreement.valid_from,
        valid_to=full_agreement.valid_to,
        status=PlanStatus.ADOPTED,
    )
    Activity.objects.create(
        plan=plan,
        code="1.1",
        title="Trygghetsvandringar",
        focus_area=full_agreement.focus_areas.first(),
        # The communication column is about 30 mm wide: these compounds do not fit a line.
        communication=TEXT,
        schedule="Löpande",
    )
    words, right_edge = _column_words(render_plan_pdf(plan), "Kommunikation", "Effektmål")
    texts = [w["text"] for w in words]
    # Broken between syllables with a hyphen at the end of the line …
    assert any(t.endswith(HYPHENS) and t[-2].isalpha() for t in texts), texts
    # … and read back whole: no piece of a word without its hyphen.
    joined = " ".join(texts)
    for hyphen in HYPHENS:
        joined = joined.replace(f"{hyphen} ", "")
    assert joined == TEXT, texts
    # Nothing runs into the next column.
    assert all(w["x1"] <= right_edge for w in words), words
