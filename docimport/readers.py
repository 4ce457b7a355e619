"""Read an uploaded document into a flat list of blocks.

A block is one heading, paragraph, list item or table row, in reading order, with
where it came from (page and paragraph) so the review screen can point back to
the source. Nothing here knows what an agreement is: :mod:`docimport.recognise`
turns blocks into one.

* ``.docx`` — mammoth converts the document to HTML with Word's heading styles
  mapped to ``h1``–``h6``; unknown styles come back as warnings. Images are
  never opened and nothing outside the file is fetched.
* ``.pdf`` — pdfplumber reads characters with their font size and weight; a line
  clearly larger than the body text, or a short line set in bold, is a heading.
  Ruled tables become table rows.
* ``.txt`` — one block per non-empty line; ``-``/``•``/``1.`` lines are list
  items, tab-separated lines are table rows.

Readers refuse what they cannot read honestly (encrypted, scanned, corrupt,
macro-enabled, too large, too slow) by raising :class:`ReadError` with a message
the user can act on.
"""

from __future__ import annotations

import io
import re
import time
import unicodedata
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser

from django.utils.translation import gettext as _

#: Largest upload accepted (bytes).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Largest total a .docx may unpack to (guards against zip bombs).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Largest the text part of a .docx may be (it is what takes time to convert).
MAX_DOCUMENT_XML_BYTES = 40 * 1024 * 1024
#: Most pages read from a PDF.
MAX_PDF_PAGES = 300
#: Seconds parsing may take before it gives up.
PARSE_SECONDS = 30.0
#: Most blocks a document may yield.
MAX_BLOCKS = 20_000

EXTENSIONS = (".docx", ".pdf", ".txt")

HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list-item"
TABLE_ROW = "table-row"


class ReadError(Exception):
    """The document cannot be read; ``message`` says why, in the user's language."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class Block:
    kind: str
    text: str
    level: int = 0
    page: int | None = None
    paragraph: int = 0
    cells: list[str] = field(default_factory=list)
    bold: bool = False
    #: A list item's number as written ("1."), for numbered headings written as text.
    marker: str = ""
    #: A row made of one line split at tabs or wide gaps (columns side by side, as in a
    #: signature block), not a table the author made; ``text`` is the line as read.
    split: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ReadResult:
    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)
    source_kind: str = "txt"


class _Deadline:
    def __init__(self, seconds: float):
        self.until = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.until:
            raise ReadError(
                _("Reading the file took too long. Save it again as .docx or .txt and retry.")
            )


_BULLET = re.compile(r"^\s*(?:[-–•*·▪◦‣]|\d{1,2}[.)]|[a-z][.)])\s+")
_MARKUP = re.compile(r"</?(?:i|b|em|strong|u)>", re.IGNORECASE)


def clean(text: str) -> str:
    """One line of text: markup and Markdown emphasis gone, whitespace collapsed."""
    text = _MARKUP.sub("", text)
    text = re.sub(r"(?<!\w)\*{1,3}|\*{1,3}(?!\w)", "", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"\s+", " ", text).strip()


def clean_cell(text: str) -> str:
    """A table cell: each of its lines cleaned, the lines kept (a signature cell holds a
    name, a title and a party on lines of their own)."""
    return "\n".join(line for line in (clean(part) for part in text.split("\n")) if line)


def _side_by_side(columns: list[str]) -> bool:
    """Whether a line's parts, split at tabs or wide gaps, are short columns."""
    return len(columns) >= 2 and all(len(column.split()) <= 8 for column in columns)


def _append(blocks: list[Block], block: Block) -> None:
    if len(blocks) >= MAX_BLOCKS:
        raise ReadError(_("The document is too long to import (more than 20,000 paragraphs)."))
    block.paragraph = len(blocks) + 1
    blocks.append(block)


# ---------------------------------------------------------------------------
# Plain text
# ---------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ReadError(_("The file is not a text file."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(_("The text file's character encoding could not be read."))


def read_text(text: str) -> ReadResult:
    blocks: list[Block] = []
    deadline = _Deadline(PARSE_SECONDS)
    for raw in text.splitlines():
        deadline.check()
        if not raw.strip():
            continue
        if "\t" in raw.strip("\t "):
            cells = [clean(c) for c in raw.split("\t")]
            cells = [c for c in cells if c] or [""]
            _append(blocks, Block(TABLE_ROW, " | ".join(cells), cells=cells))
            continue
        line = clean(raw)
        if not line:
            continue
        bullet = _BULLET.match(line)
        if bullet and len(line) > len(bullet.group(0)):
            indent = len(raw) - len(raw.lstrip())
            marker = bullet.group(0).strip() if bullet.group(0).strip()[:1].isdigit() else ""
            _append(
                blocks,
                Block(
                    LIST_ITEM, line[bullet.end() :].strip(), level=1 + indent // 4, marker=marker
                ),
            )
        else:
            _append(blocks, Block(PARAGRAPH, line))
    return ReadResult(blocks=blocks, source_kind="txt")


# ---------------------------------------------------------------------------
# Word (.docx) through mammoth
# ---------------------------------------------------------------------------

STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Rubrik'] => h1:fresh
p[style-name='Subtitle'] => h2:fresh
p[style-name='Underrubrik'] => h2:fresh
p[style-name='Rubrik 1'] => h1:fresh
p[style-name='Rubrik 2'] => h2:fresh
p[style-name='Rubrik 3'] => h3:fresh
p[style-name='Rubrik 4'] => h4:fresh
p[style-name='List Paragraph'] => ul > li:fresh
p[style-name='Liststycke'] => ul > li:fresh
"""


class _HtmlBlocks(HTMLParser):
    """mammoth's HTML (h1–h6, p, ul/ol > li, table > tr > td) into blocks."""

    def __init__(self, deadline: _Deadline):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.deadline = deadline
        self.list_depth = 0
        self.current: dict | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.bold_depth = 0
        self.bold_chars = 0
        self.all_chars = 0

    def _start(self, kind: str, level: int = 0) -> None:
        self._flush()
        self.current = {"kind": kind, "level": level, "text": []}
        self.bold_chars = self.all_chars = 0

    def _flush(self) -> None:
        if self.current is None:
            return
        raw = "".join(self.current["text"]).strip()
        text = clean(raw)
        columns = [clean(part) for part in raw.split("\t") if clean(part)]
        if self.current["kind"] == PARAGRAPH and _side_by_side(columns):
            _append(self.blocks, Block(TABLE_ROW, text, cells=columns, split=True))
        elif text:
            bold = self.all_chars > 0 and self.bold_chars >= 0.9 * self.all_chars
            _append(
                self.blocks,
                Block(self.current["kind"], text, level=self.current["level"], bold=bold),
            )
        self.current = None

    def handle_starttag(self, tag, attrs):
        self.deadline.check()
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and self.row is None:
            self._start(HEADING, int(tag[1]))
        elif tag in {"ul", "ol"}:
            self._flush()
            self.list_depth += 1
        elif tag == "li" and self.row is None:
            self._start(LIST_ITEM, max(self.list_depth, 1))
        elif tag == "p" and self.cell is not None:
            self.cell.append("\n")
        elif tag == "p" and self.row is None:
            if self.current is None or self.current["kind"] != LIST_ITEM:
                self._start(PARAGRAPH)
            else:
                self.current["text"].append(" ")
        elif tag == "tr":
            self._flush()
            self.row = []
        elif tag in {"td", "th"} and self.row is not None:
            self.cell = []
        elif tag in {"strong", "b"}:
            self.bold_depth += 1
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag):
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6", "p"} and self.row is None:
            if self.current is not None and self.current["kind"] != LIST_ITEM:
                self._flush()
        elif tag == "li" and self.row is None:
            self._flush()
        elif tag in {"ul", "ol"}:
            self._flush()
            self.list_depth = max(self.list_depth - 1, 0)
        elif tag in {"td", "th"} and self.row is not None and self.cell is not None:
            self.row.append(clean_cell("".join(self.cell)))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            cells = [c for c in self.row]
            if any(cells):
                text = " | ".join(c.replace("\n", " ") for c in cells)
                _append(self.blocks, Block(TABLE_ROW, text, cells=cells))
            self.row = None
        elif tag in {"strong", "b"}:
            self.bold_depth = max(self.bold_depth - 1, 0)

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
            return
        if self.current is None:
            if not data.strip():
                return
            self._start(PARAGRAPH)
        self.current["text"].append(data)
        n = len(data.strip())
        self.all_chars += n
        if self.bold_depth:
            self.bold_chars += n

    def close(self):
        super().close()
        self._flush()


def _check_docx_package(data: bytes) -> None:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # An OLE container: an encrypted (password-protected) Word file, or an old .doc.
        raise ReadError(
            _(
                "The Word file is password-protected or in the old .doc format. Remove the "
                "password or save it as .docx, then upload it again."
            )
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = package.namelist()
        unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ReadError(_("The Word file is damaged and cannot be read.")) from None
    if "word/document.xml" not in names:
        raise ReadError(_("The file is not a Word document (.docx)."))
    content_types = package.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
        raise ReadError(
            _(
                "The Word file contains macros. Save it as an ordinary .docx without macros "
                "and upload it again."
            )
        )
    text_size = package.getinfo("word/document.xml").file_size
    if unpacked > MAX_UNPACKED_BYTES or text_size > MAX_DOCUMENT_XML_BYTES:
        raise ReadError(_("The Word file unpacks to more than 200 MB and cannot be imported."))


def read_docx(data: bytes) -> ReadResult:
    import mammoth

    _check_docx_package(data)
    deadline = _Deadline(PARSE_SECONDS)

    def no_images(image):
        return {}  # never open, embed or fetch an image

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(no_images),
            include_default_style_map=True,
        )
    except ReadError:
        raise
    except Exception:  # mammoth raises many kinds of errors on a broken package
        raise ReadError(_("The Word file is damaged and cannot be read.")) from None
    deadline.check()
    parser = _HtmlBlocks(deadline)
    parser.feed(result.value)
    parser.close()
    warnings = sorted({m.message for m in result.messages if m.type == "warning"})
    return ReadResult(blocks=parser.blocks, warnings=warnings, source_kind="docx")


# ---------------------------------------------------------------------------
# PDF through pdfplumber
# ---------------------------------------------------------------------------


def _is_bold(fontname: str) -> bool:
    name = (fontname or "").lower()
    return "bold" in name or "black" in name or "heavy" in name or name.endswith(",b")


def _page_lines(page, table_boxes) -> list[dict]:
    """The page's text lines outside tables, with their size, boldness and position."""

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in table_boxes)

    lines = []
    for line in page.extract_text_lines(return_chars=True, keep_blank_chars=False):
        every = [c for c in line["chars"] if c["text"].strip()]
        chars = [c for c in every if outside(c)]
        if not chars or len(chars) < len(every) / 2:
            continue
        text = clean(unicodedata.normalize("NFKC", line["text"]))
        if not text:
            continue
        sizes = Counter(round(c["size"], 1) for c in chars)
        bold = sum(1 for c in chars if _is_bold(c.get("fontname", ""))) >= 0.9 * len(chars)
        size = sizes.most_common(1)[0][0]
        columns, current, previous = [], "", None
        for char in sorted(chars, key=lambda c: c["x0"]):
            if previous is not None:
                gap = char["x0"] - previous["x1"]
                if gap > 2.5 * size:
                    columns.append(current)
                    current = ""
                elif gap > 0.2 * size:
                    current += " "
            current += char["text"]
            previous = char
        columns = [clean(unicodedata.normalize("NFKC", c)) for c in [*columns, current]]
        lines.append(
            {
                "cells": columns if _side_by_side(columns) else None,
                "text": text,
                "size": sizes.most_common(1)[0][0],
                "bold": bold,
                "top": line["top"],
                "bottom": line["bottom"],
                "x0": line["x0"],
                "x1": line["x1"],
                "chars": len(chars),
            }
        )
    return lines


def read_pdf(data: bytes) -> ReadResult:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ReadError(_("The file is not a PDF or it is damaged."))
    deadline = _Deadline(PARSE_SECONDS)
    pages: list[tuple[int, list[dict], list[tuple[float, list[str]]]]] = []
    images = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise ReadError(_("The PDF has more than 300 pages and cannot be imported."))
            for number, page in enumerate(pdf.pages, start=1):
                deadline.check()
                images += len(page.images)
                tables = page.find_tables() if (page.rects or page.lines) else []
                boxes = [t.bbox for t in tables]
                rows = []
                for table in tables:
                    for top, row in zip(
                        (r.bbox[1] for r in table.rows), table.extract(), strict=False
                    ):
                        rows.append((top, [clean_cell(c or "") for c in row]))
                pages.append((number, _page_lines(page, boxes), rows))
                page.close()
    except ReadError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReadError(
            _("The PDF is encrypted or password-protected. Upload an unprotected copy.")
        ) from None
    except PDFSyntaxError:
        raise ReadError(_("The PDF is damaged and cannot be read.")) from None
    except Exception as exc:  # pdfminer raises many kinds of errors on broken files
        inner = exc.args[0] if exc.args else None
        locked = isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError)
        if locked or "password" in repr(exc).lower() or "encrypt" in repr(exc).lower():
            raise ReadError(
                _("The PDF is encrypted or password-protected. Upload an unprotected copy.")
            ) from None
        raise ReadError(_("The PDF is damaged and cannot be read.")) from None

    all_lines = [line for _n, lines, _r in pages for line in lines]
    if not all_lines and not any(rows for _n, _l, rows in pages):
        if images:
            raise ReadError(_("The file seems to be a scanned image — there is no text to read."))
        raise ReadError(_("The PDF contains no text."))

    sizes = Counter()
    for line in all_lines:
        sizes[line["size"]] += line["chars"]
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    heading_sizes = sorted({s for s in sizes if s >= body * 1.15}, reverse=True)

    blocks: list[Block] = []
    for number, lines, rows in pages:
        items: list[tuple[float, str, object]] = [(ln["top"], "line", ln) for ln in lines]
        items += [(top, "row", cells) for top, cells in rows]
        items.sort(key=lambda item: item[0])
        current: Block | None = None
        last = None
        right = max((ln["x1"] for ln in lines), default=0)
        for _top, what, obj in items:
            deadline.check()
            if what == "row":
                if current:
                    _emit(blocks, current)
                    current = None
                cells = [c for c in obj]
                if any(cells):
                    text = " | ".join(c.replace("\n", " ") for c in cells)
                    _append(blocks, Block(TABLE_ROW, text, cells=cells, page=number))
                last = None
                continue
            line = obj
            text = line["text"]
            if line["cells"]:
                if current:
                    _emit(blocks, current)
                    current = None
                _emit(
                    blocks,
                    Block(TABLE_ROW, text, cells=line["cells"], page=number, split=True),
                )
                last = None
                continue
            is_heading = line["size"] in heading_sizes or (
                line["bold"] and len(text) <= 120 and not text.endswith((".", ",", ":"))
            )
            level = (
                heading_sizes.index(line["size"]) + 1
                if line["size"] in heading_sizes
                else len(heading_sizes) + 1
            )
            bullet = _BULLET.match(text)
            gap = (line["top"] - last["bottom"]) if last else None
            height = line["bottom"] - line["top"]
            continues = (
                current is not None
                and last is not None
                and gap is not None
                and gap < height * 0.45
                and (last["x1"] >= right * 0.8 or text[:1].islower())
                and not bullet
                and current.kind != HEADING
                and not is_heading
                and abs(line["size"] - last["size"]) < 0.5
            )
            if (
                is_heading
                and current is not None
                and current.kind == HEADING
                and gap is not None
                and gap < height * 0.45
                and current.level == level
            ):
                # A heading broken over two lines.
                current.text = f"{current.text} {text}"
                last = line
                continue
            if continues:
                current.text = _join(current.text, text)
            else:
                if current:
                    _emit(blocks, current)
                if is_heading:
                    current = Block(HEADING, text, level=level, page=number, bold=line["bold"])
                elif bullet and len(text) > bullet.end():
                    current = Block(LIST_ITEM, text[bullet.end() :].strip(), level=1, page=number)
                else:
                    current = Block(PARAGRAPH, text, page=number, bold=line["bold"])
            last = line
        if current:
            _emit(blocks, current)
    return ReadResult(blocks=blocks, source_kind="pdf")


def _emit(blocks: list[Block], block: Block) -> None:
    """Add a block; a paragraph that goes on from the previous page joins it."""
    previous = blocks[-1] if blocks else None
    if (
        previous is not None
        and previous.page != block.page
        and block.kind == PARAGRAPH
        and previous.kind == PARAGRAPH
        and block.text[:1].islower()
        and not previous.text.endswith((".", "!", "?", ":"))
    ):
        previous.text = _join(previous.text, block.text)
    else:
        _append(blocks, block)


def _join(first: str, second: str) -> str:
    """Two lines of one paragraph; a line broken after a hyphen ("SSPF-" / "samverkan")
    keeps the hyphen and no space."""
    if first.endswith("-") and second[:1].islower():
        return first + second
    return f"{first} {second}"


# ---------------------------------------------------------------------------


def read_document(*, name: str, data: bytes) -> ReadResult:
    """Read ``data`` (the file called ``name``) into blocks, or raise :class:`ReadError`."""
    lower = (name or "").lower()
    if len(data) > MAX_UPLOAD_BYTES:
        raise ReadError(_("The file is larger than 20 MB. Upload a smaller file."))
    if not data.strip():
        raise ReadError(_("The file is empty."))
    if lower.endswith(".docm") or lower.endswith(".dotm"):
        raise ReadError(
            _(
                "The Word file contains macros. Save it as an ordinary .docx without macros "
                "and upload it again."
            )
        )
    if lower.endswith(".docx"):
        result = read_docx(data)
    elif lower.endswith(".pdf"):
        result = read_pdf(data)
    elif lower.endswith(".txt"):
        result = read_text(decode_text(data))
    else:
        raise ReadError(_("Upload a .docx, .pdf or .txt file."))
    if not result.blocks:
        raise ReadError(_("The file contains no text."))
    return result
