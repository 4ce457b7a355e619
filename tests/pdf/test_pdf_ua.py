"""PDF/UA: the agreement PDF is tagged (structure tree, language, title, PDF/UA-1 declared), and
its page furniture — running header and footer, page numbers, initials boxes, the "Utkast"
watermark — is marked as artifacts, not content a screen reader reads.

veraPDF is not available here; these checks read the produced PDF with pypdf and
pdfplumber (see core.pdf.margin_boxes_as_artifacts for what WeasyPrint leaves undone)."""

from __future__ import annotations

import io
import re
from collections import defaultdict

import pdfplumber
import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from agreements.pdf import render_agreement_pdf
from agreements.signing import read_signed_pdf, store_signed_pdf

from .conftest import sign


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _reachable_elements(reader) -> set[int]:
    """Object numbers of every structure element reachable from the StructTreeRoot."""
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    seen, pending = set(), [root]
    while pending:
        node = _resolve(pending.pop())
        kids = node.get("/K") if hasattr(node, "get") else None
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, IndirectObject) and kid.idnum not in seen:
                seen.add(kid.idnum)
                pending.append(kid)
    return seen


def _text_by_marking(data: bytes) -> list[dict[str, str]]:
    """Per page: the text inside artifacts, inside tagged content, and outside both."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            text: dict[str, str] = defaultdict(str)
            for char in page.chars:
                if char.get("tag") == "Artifact":
                    text["artifact"] += char["text"]
                elif char.get("mcid") is not None:
                    text["content"] += char["text"]
                else:
                    text["unmarked"] += char["text"]
            pages.append(text)
    return pages


@pytest.fixture
def draft_pdf(full_agreement):
    return render_agreement_pdf(full_agreement)


def test_the_pdf_declares_pdf_ua_with_structure_language_and_title(full_agreement, draft_pdf):
    reader = PdfReader(io.BytesIO(draft_pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert catalog["/Lang"] == "sv"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert reader.metadata.title == full_agreement.title
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfuaid:part="1"', xmp)
    assert full_agreement.title in xmp


def test_the_page_furniture_and_the_watermark_are_artifacts(full_agreement, draft_pdf):
    pages = _text_by_marking(draft_pdf)
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert not text["unmarked"], text["unmarked"]  # every glyph is content or artifact
        furniture = text["artifact"]
        assert full_agreement.identifier in furniture
        assert f"Sida {number} av {len(pages)}" in furniture
        assert "Initialer" in furniture and "UTKAST" in furniture
        content = text["content"]
        assert "UTKAST" not in content and f"Sida {number} av" not in content
    body = "".join(page["content"] for page in pages)
    assert "Fokusområde nummer 1" in body and "Polisiär närvaro i område 1" in body


def test_every_tagged_sequence_belongs_to_the_structure_tree(draft_pdf):
    """No marked content points at a structure element outside the tree (WeasyPrint's own
    output has such orphans for the margin boxes; the finisher turns them into artifacts)."""
    reader = PdfReader(io.BytesIO(draft_pdf))
    reachable = _reachable_elements(reader)
    parent_tree = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"].get_object()
    nums = parent_tree["/Nums"]
    for page in reader.pages:
        index = page["/StructParents"]
        elements = _resolve(nums[2 * index + 1])
        content = page.get_contents().get_data().decode("latin-1")
        mcids = [int(m) for m in re.findall(r"/MCID (\d+)>>\s*BDC", content)]
        assert mcids
        for mcid in mcids:
            element = elements[mcid]
            assert isinstance(element, IndirectObject) and element.idnum in reachable


def test_weasyprint_alone_leaves_the_margin_boxes_outside_the_tree(full_agreement, monkeypatch):
    """What the finisher is for: without it, the header's text is tagged but unreachable."""
    import core.pdf

    monkeypatch.setattr(core.pdf, "margin_boxes_as_artifacts", lambda document, pdf: None)
    html_pdf = core.pdf.render_in_process(
        '<!DOCTYPE html><html lang="sv"><head><title>T</title></head><body>'
        '<div class="pdf-strings" data-identifier="SÖ-00042"></div><p>Text</p></body></html>',
        title="T",
    )
    text = _text_by_marking(html_pdf)[0]
    assert "SÖ-00042" not in text["artifact"]


def test_the_signed_pdf_keeps_its_furniture_as_artifacts_without_a_watermark(full_agreement):
    sign(full_agreement)
    store_signed_pdf(agreement=full_agreement)
    full_agreement.refresh_from_db()
    pages = _text_by_marking(read_signed_pdf(full_agreement))
    for text in pages:
        assert "UTKAST" not in text["artifact"] + text["content"]
        assert full_agreement.identifier in text["artifact"] and not text["unmarked"]
