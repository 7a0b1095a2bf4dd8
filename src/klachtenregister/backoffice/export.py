"""Tables as files for a spreadsheet: CSV as Dutch Excel reads it, and XLSX.

CSV is UTF-8 with a byte order mark and ``;`` between fields (Excel in a Dutch locale uses the
comma as decimal separator), streamed row by row. XLSX is written by openpyxl in write-only mode.
A text that a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-`` or ``@``)
gets a leading apostrophe, so an entered name like ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator

# openpyxl has no type information of its own (types-openpyxl is not a dependency).
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # type: ignore[import-untyped]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe(value: object) -> object:
    """A cell's value, a text that would start a formula prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(safe(value))


class _Line:
    """A file-like object ``csv.writer`` writes one line to, which is handed on at once."""

    def write(self, text: str) -> str:
        return text


def csv_lines(headings: list[str], rows: Iterable[list[object]]) -> Iterator[str]:
    """The table as CSV lines (the first with the byte order mark), for a streaming response."""
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow([_csv_text(h) for h in headings])
    for row in rows:
        yield writer.writerow([_csv_text(value) for value in row])


def xlsx_bytes(title: str, headings: list[str], rows: Iterable[list[object]]) -> bytes:
    """The table as an XLSX workbook of one sheet; dates as dates (dd-mm-yyyy)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([safe(h) for h in headings])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        return file.read()


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD-MM-YYYY"
        return cell
    return safe(value)
