"""Build the reference agreements as Word files and PDFs the way they are written.

Each reference text (``/work/shared/reference`` or ``$SAMVERKAN_REFERENCE``) is
turned into a list of parts — headings with the level the original gives them,
paragraphs, bulleted or numbered list items, run-in labels ("Effektmål:" in bold
followed by the text) and table rows — and written as

* a ``.docx`` built with ``zipfile`` the way Word writes one: ``styles.xml`` with
  the built-in heading styles, ``numbering.xml`` for lists, ``w:tbl`` tables and
  bold runs; or a variant *without heading styles*, where headings are bold
  Normal paragraphs, as many real documents are;
* a ``.pdf`` rendered by WeasyPrint from HTML, headings larger than the body.

The heading levels below are read off the documents' own structure (what is a
section, what sits under it); the tests then check what the importer makes of it.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

REFERENCE = Path(os.environ.get("SAMVERKAN_REFERENCE", "/work/shared/reference"))
FILES = {
    "eskilstuna": "eskilstuna-2024-2027.txt",
    "eslov": "eslov-2021-2022.txt",
    "strangnas": "strangnas-2020-2023.txt",
}

#: Heading levels, by the start of the heading's text.
HEADINGS: dict[str, list[tuple[str, int]]] = {
    "eskilstuna": [
        ("Nationell och lokal lägesbeskrivning", 1),
        ("Syfte och övergripande mål", 1),
        ("Fokusområden", 1),
        ("Fokusområde ", 2),
        ("Organisation för genomförande", 1),
        ("Koncernutvecklingsgrupp (KUG)", 2),
        ("Koncernsamordningsgrupp (KSG)", 2),
        ("Gemensamma åtaganden", 1),
        ("Vi åtar oss att", 2),
        ("Uppföljning", 1),
    ],
    "eslov": [
        ("Samverkansöverenskommelse mellan", 1),
        ("Syfte och mål", 2),
        ("Beslut", 2),
        ("Samverkansöverenskommelsens gällande", 2),
        ("Tillvägagångssätt", 2),
        ("Samverkansorganisation för arbetet", 2),
        ("Budget", 2),
        ("Lägesbild, problembild", 2),
        ("Samverkansområden", 2),
        ("Trygghet i offentlig miljö", 3),
        ("Tidig upptäckt av barn", 3),
        ("Våld i nära relationer", 3),
        ("Förhindra rekrytering till våldsbejakande", 3),
        ("Alkohol och drogförebyggande", 3),
        ("Förbättra tryggheten i tunnlar", 4),
        ("30km/h", 4),
        ("Öka kulturutbudet", 4),
        ("Trygghetsvandringar", 4),
        ("Örat mot marken", 4),
        ("Mänskliga rättighetsperspektiv", 4),
        ("SSPE (Skola", 4),
        ("Vidareutveckling av sociala", 4),
        ("Socialsekreterare hos polisen", 4),
        ("”Hästvedaläger", 4),
        ("Arbete mot hedersrelaterat", 4),
        ("Stöd till barn som bevittnat", 4),
    ],
    "strangnas": [
        ("Samverkansöverenskommelse mellan", 1),
        ("Bakgrund", 2),
        ("Trygghetskapande och brottsförebyggande arbetet", 2),
        ("Överenskommelse om gemensamt", 2),
        ("Uppföljning", 2),
        ("Kommunikationsstrategi", 2),
        ("Tid", 2),
        ("Handlingsplan för Strängnäs", 1),
        ("Minska ungdomsbrottsligheten", 2),
        ("Minska droganvändningen", 2),
        ("Öka kommunikationen om trygghet", 2),
        ("Handlingsplan 2020-2023", 2),
    ],
}

#: Lists written as numbered lists in the originals (the rest are bulleted).
NUMBERED = {"eskilstuna"}

_LABEL = re.compile(r"^(Effektmål|Ansvarig|Delmål):\s*(.*)$")


@dataclass
class Part:
    kind: str  # heading, paragraph, item, label, row
    text: str
    level: int = 0
    label: str = ""
    cells: tuple[str, ...] = ()


def reference_text(name: str) -> str:
    return (REFERENCE / FILES[name]).read_text(encoding="utf-8")


def parts(name: str) -> list[Part]:
    return parts_of(reference_text(name), HEADINGS[name])


def parts_of(text: str, headings: list[tuple[str, int]]) -> list[Part]:
    """A text's lines as parts; ``headings`` gives the level of the lines that are headings."""
    found: list[Part] = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        if "\t" in raw:
            cells = tuple(re.sub(r"</?i>", "", c).strip() for c in raw.split("\t"))
            found.append(Part("row", " | ".join(cells), cells=cells))
            continue
        line = re.sub(r"\*+", "", raw).strip()
        if line.startswith("- "):
            found.append(Part("item", line[2:].strip()))
            continue
        label = _LABEL.match(line)
        if label:
            found.append(Part("label", label[2], label=f"{label[1]}:"))
            continue
        level = next(
            (lvl for start, lvl in headings if line.startswith(start) and len(line) < 140), 0
        )
        found.append(Part("heading" if level else "paragraph", line, level=level))
    return found


# ---------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="{main}"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>"""
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""

DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
</Relationships>"""


def _styles() -> str:
    headings = "".join(
        f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/>'
        f'<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/>'
        f'<w:outlineLvl w:val="{n - 1}"/></w:pPr><w:rPr><w:b/><w:sz w:val="{36 - 4 * n}"/>'
        f"</w:rPr></w:style>"
        for n in range(1, 5)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W}>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        "</w:style>"
        '<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/>'
        '<w:basedOn w:val="Normal"/></w:style>'
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style>'
        f"{headings}</w:styles>"
    )


def _numbering() -> str:
    def abstract(num_id: int, fmt: str, text: str) -> str:
        return (
            f'<w:abstractNum w:abstractNumId="{num_id}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'
        )

    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {W}>'
        f"{abstract(1, 'bullet', '•')}{abstract(2, 'decimal', '%1.')}"
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
        "</w:numbering>"
    )


def _run(text: str, *, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    pieces = "<w:tab/>".join(
        f'<w:t xml:space="preserve">{xml_escape(piece)}</w:t>' for piece in text.split("\t")
    )
    return f"<w:r>{props}{pieces}</w:r>"


def _paragraph(runs: str, *, style: str = "", numbered: int = 0) -> str:
    props = ""
    if style or numbered:
        style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
        num_xml = (
            f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{numbered}"/></w:numPr>'
            if numbered
            else ""
        )
        props = f"<w:pPr>{style_xml}{num_xml}</w:pPr>"
    return f"<w:p>{props}{runs}</w:p>"


def docx_bytes(name: str, *, styled: bool = True, macro: bool = False) -> bytes:
    """The reference agreement ``name`` as a Word file (heading styles or bold headings)."""
    return docx_from_parts(
        parts(name), styled=styled, macro=macro, numbered=2 if name in NUMBERED else 1
    )


def docx_from_parts(
    found: list[Part], *, styled: bool = True, macro: bool = False, numbered: int = 1
) -> bytes:
    """Parts as a Word file; a table cell's lines are paragraphs of their own."""
    body = []
    rows: list[Part] = []

    def flush_table():
        if not rows:
            return
        cells_xml = "".join(
            "<w:tr>"
            + "".join(
                "<w:tc>" + "".join(_paragraph(_run(ln)) for ln in c.split("\n")) + "</w:tc>"
                for c in row.cells
            )
            + "</w:tr>"
            for row in rows
        )
        body.append(f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr>{cells_xml}</w:tbl>')
        rows.clear()

    for part in found:
        if part.kind == "row":
            rows.append(part)
            continue
        flush_table()
        if part.kind == "heading":
            if styled:
                body.append(_paragraph(_run(part.text), style=f"Heading{part.level}"))
            else:
                body.append(_paragraph(_run(part.text, bold=True)))
        elif part.kind == "item":
            body.append(_paragraph(_run(part.text), style="ListParagraph", numbered=numbered))
        elif part.kind == "label":
            runs = _run(part.label, bold=True) + (_run(" " + part.text) if part.text else "")
            body.append(_paragraph(runs))
        else:
            body.append(_paragraph(_run(part.text)))
    flush_table()
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>'
        + "".join(body)
        + "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml", CONTENT_TYPES.format(main=MACRO_MAIN if macro else MAIN)
        )
        package.writestr("_rels/.rels", RELS)
        package.writestr("word/_rels/document.xml.rels", DOC_RELS)
        package.writestr("word/document.xml", document)
        package.writestr("word/styles.xml", _styles())
        package.writestr("word/numbering.xml", _numbering())
        if macro:
            package.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------

PDF_CSS = """
@page { size: A4; margin: 2cm; }
body { font-family: sans-serif; font-size: 11pt; line-height: 1.25; }
h1 { font-size: 20pt; } h2 { font-size: 16pt; } h3 { font-size: 13.5pt; }
h4 { font-size: 11pt; font-weight: bold; }
p, li { margin: 0 0 8pt 0; }
table { border-collapse: collapse; width: 100%; }
td { border: 1px solid #000; padding: 3pt; vertical-align: top; }
"""


def html(name: str) -> str:
    return html_of(parts(name), numbered=name in NUMBERED)


def html_of(found: list[Part], *, numbered: bool = False) -> str:
    out = [f"<html><head><style>{PDF_CSS}</style></head><body>"]
    open_list = None
    rows: list[Part] = []
    tag = "ol" if numbered else "ul"
    for part in found + [Part("end", "")]:
        if part.kind != "item" and open_list:
            out.append(f"</{open_list}>")
            open_list = None
        if part.kind != "row" and rows:
            out.append("<table>")
            for row in rows:
                out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row.cells) + "</tr>")
            out.append("</table>")
            rows = []
        if part.kind == "heading":
            out.append(f"<h{part.level}>{escape(part.text)}</h{part.level}>")
        elif part.kind == "item":
            if not open_list:
                out.append(f"<{tag}>")
                open_list = tag
            out.append(f"<li>{escape(part.text)}</li>")
        elif part.kind == "label":
            out.append(f"<p><strong>{escape(part.label)}</strong> {escape(part.text)}</p>")
        elif part.kind == "row":
            rows.append(part)
        elif part.kind == "paragraph":
            out.append(f"<p>{escape(part.text)}</p>")
    out.append("</body></html>")
    return "".join(out)


def pdf_from_html(source: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class OnlyInline(URLFetcher):
        """Inline (data:) images only; nothing is fetched from anywhere."""

        def fetch(self, url, headers=None):
            if not url.startswith("data:"):
                raise ValueError(f"no external resources: {url[:60]}")
            return super().fetch(url, headers)

    return HTML(string=source, url_fetcher=OnlyInline()).write_pdf()


def pdf_bytes(name: str) -> bytes:
    return pdf_from_html(html(name))
