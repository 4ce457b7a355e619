"""The URL fetcher: only our static files; user markup is printed, never fetched."""

from __future__ import annotations

import base64
import io

import pytest
from pypdf import PdfReader

from agreements.pdf import render_agreement_pdf
from core.pdf import (
    PdfRenderTimeout,
    _static_path_from_url,
    make_url_fetcher,
    render_html_to_pdf,
)

from .conftest import fill_agreement, pdf_text

HOSTILE_IMG = '<img src="file:///etc/passwd">'
HOSTILE_LINK = '<link rel="attachment" href="file:///etc/passwd">'
# A 1×1 transparent PNG.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _has_images_or_files(data: bytes) -> bool:
    reader = PdfReader(io.BytesIO(data))
    names = reader.trailer["/Root"].get("/Names", {})
    if reader.attachments or "/EmbeddedFiles" in names:
        return True
    for page in reader.pages:
        annotations = [a.get_object() for a in page.get("/Annots", [])]
        if page.images or any(a.get("/Subtype") == "/FileAttachment" for a in annotations):
            return True
    return False


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "https://example.com/font.ttf",
        "ftp://example.com/x.css",
        "samverkan-static:///pdf/../../config/settings.py",
        "samverkan-static:///../manage.py",
        "samverkan-static:///pdf/%2e%2e/%2e%2e/etc/passwd.css",
        "samverkan-static://evil.example/pdf/print.css",
        "samverkan-static:///pdf/fonts/LICENSE-DejaVu.txt",
        "data:text/html,<h1>x</h1>",
        "data:image/svg+xml,<svg/>",
        "data:image/png;base64," + "A" * 200_000,
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(url):
    fetcher = make_url_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_our_static_files_and_small_images():
    fetcher = make_url_fetcher()
    css = fetcher.fetch("samverkan-static:///pdf/print.css")
    assert b"Samverkan Sans" in css.read()
    assert fetcher.fetch("samverkan-static:///static/pdf/fonts/DejaVuSans.ttf").read()[:4] == (
        b"\x00\x01\x00\x00"
    )
    png = fetcher.fetch("data:image/png;base64," + base64.b64encode(TINY_PNG).decode())
    assert png.read() == TINY_PNG


def test_static_paths_cannot_climb_out():
    assert _static_path_from_url("samverkan-static:///pdf/print.css") == "pdf/print.css"
    assert _static_path_from_url("samverkan-static:///static/pdf/print.css") == "pdf/print.css"
    assert _static_path_from_url("samverkan-static:///pdf/../print.css") is None
    assert _static_path_from_url("samverkan-static:///pdf\\..\\x.css") is None


def test_user_markup_is_printed_literally_and_nothing_is_fetched(world):
    fill_agreement(world.agreement)
    world.agreement.background = f"Se {HOSTILE_IMG} och {HOSTILE_LINK} här."
    world.agreement.save()
    data = render_agreement_pdf(world.agreement)
    text = pdf_text(data)
    assert HOSTILE_IMG in text
    assert HOSTILE_LINK in text
    assert "root:" not in text
    assert b"root:x:0:0" not in data
    assert not _has_images_or_files(data)


def test_even_raw_markup_cannot_fetch_or_embed_files():
    """Defence in depth: were user text ever unescaped, the fetcher still refuses."""
    html = (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        f"{HOSTILE_LINK}"
        '<link rel="stylesheet" href="http://127.0.0.1:1/x.css"></head><body>'
        f'<p>Rå text</p>{HOSTILE_IMG}<img src="http://127.0.0.1:1/x.png">'
        '<a rel="attachment" href="file:///etc/passwd">bilaga</a>'
        '<object data="file:///etc/passwd"></object>'
        "</body></html>"
    )
    data = render_html_to_pdf(html, title="Test")
    assert "Rå text" in pdf_text(data)
    assert b"root:x:0:0" not in data
    reader = PdfReader(io.BytesIO(data))
    assert not reader.attachments
    assert not reader.pages[0].images


def test_a_render_that_overruns_the_time_limit_is_stopped(settings):
    settings.SAMVERKAN_PDF_TIMEOUT_SECONDS = 0.2
    html = (
        "<html><body>"
        + "<table>"
        + "<tr><td>cell</td><td>cell</td></tr>" * 20000
        + "</table></body></html>"
    )
    with pytest.raises(PdfRenderTimeout):
        render_html_to_pdf(html, title="Lång")
    settings.SAMVERKAN_PDF_TIMEOUT_SECONDS = 60
    assert render_html_to_pdf("<p>Efteråt</p>", title="Kort").startswith(b"%PDF-")


def test_pdfs_are_printed_in_the_requested_language(world):
    fill_agreement(world.agreement)
    english = pdf_text(render_agreement_pdf(world.agreement, lang="en"))
    swedish = pdf_text(render_agreement_pdf(world.agreement, lang="sv"))
    assert "Page 1 of" in english and "Signatures" in english
    assert "Sida 1 av" in swedish and "Underskrifter" in swedish
