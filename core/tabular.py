"""Reading a spreadsheet a user uploads (XLSX or CSV) into rows of text, safely.

One reader for every import (the action plan, indicator values): it recognises the
format by content, not by name; refuses old .xls, binaries and zip bombs; caps rows,
columns and cell length; reads UTF-8 (with or without BOM) or Windows-1252 CSV with
``;``, ``,`` or tab; and strips the apostrophe Excel puts before a formula-like text.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

from django.utils.translation import gettext as _

from .models import MAX_TEXT

#: At most this many data rows in one file.
MAX_ROWS = 2000
#: A cell starting with one of these is a formula to a spreadsheet program (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class NotASpreadsheet(Exception):
    """The upload cannot be read as a spreadsheet; the message says why, in Swedish."""


BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!", b"7z")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes) -> list[list[str]]:
    """The file's rows as lists of strings (header first). Raises :class:`NotASpreadsheet`."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise NotASpreadsheet(
            _("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV and try again.")
        )
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise NotASpreadsheet(_("The file is not a spreadsheet. Upload an XLSX or CSV file."))
    return _read_csv(data)


#: An XLSX is a zip: what it may hold once unpacked (a small file can unpack to gigabytes).
MAX_UNPACKED_BYTES = 25 * 1024 * 1024
MAX_COLUMNS = 60


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise NotASpreadsheet(
            _("The file is not a spreadsheet. Upload an XLSX or CSV file.")
        ) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise NotASpreadsheet(
            _(
                "The spreadsheet holds too much data (%(size)s MB unpacked; at most %(limit)s MB). "
                "Remove what is not needed, or split it."
            )
            % {"size": unpacked // (1024 * 1024), "limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _checked_cells(values) -> list[str]:
    cells = [_cell_text(v) for v in values]
    if any(len(cell) > MAX_TEXT for cell in cells):
        raise NotASpreadsheet(
            _("A cell holds more than %(limit)s characters. Shorten it and try again.")
            % {"limit": MAX_TEXT}
        )
    return cells


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append(_checked_cells(values))
            if len(rows) > MAX_ROWS + 1:
                break
        workbook.close()
    except NotASpreadsheet:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, TypeError) as exc:
        raise NotASpreadsheet(
            _("The file is not a spreadsheet. Upload an XLSX or CSV file.")
        ) from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on broken files
        raise NotASpreadsheet(
            _("The file is not a spreadsheet. Upload an XLSX or CSV file.")
        ) from exc
    return rows


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:8192]):
        raise NotASpreadsheet(_("The file is not a spreadsheet. Upload an XLSX or CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        rows = []
        for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            cells = []
            for value in values:
                value = value.strip()
                if value.startswith("'") and value[1:2] in FORMULA_START and len(value) > 1:
                    value = value[1:]
                cells.append(value)
            rows.append(_checked_cells(cells[:MAX_COLUMNS]))
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise NotASpreadsheet(
            _("The file is not a spreadsheet. Upload an XLSX or CSV file.")
        ) from exc
    return rows
