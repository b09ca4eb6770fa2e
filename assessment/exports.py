"""The assessment's workbooks: one writer for every .xlsx the assessment hands out (the assessment table, a
bulletin's table, the cadre scorecards), so that every one looks the same.

- Chinese headers, in bold, on a frozen first row (`Sheet.headers`; the caller writes them in Chinese, or
  translates them under `translation.override` of the portal's language).
- Column widths that fit the widest cell of the column, a Chinese character counting as two.
- Numbers stay numbers (Decimal, int and float cells are numeric cells, never text); None is an empty cell;
  text that Excel would run as a formula (= + - @ first) stays text.

The project's other spreadsheets (enterprises/io/exports.py, visits/exports.py) keep their own writers
because they stream large lists row by row; the assessment's tables are small (at most one row per region).
"""

import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIN_WIDTH, MAX_WIDTH = 8, 60
# Excel's sheet titles: at most 31 characters, none of these.
TITLE_FORBIDDEN = str.maketrans({character: " " for character in "[]:*?/\\"})


@dataclass
class Sheet:
    """One worksheet: its tab's title, its header row and its data rows (lists of cell values)."""

    title: str
    headers: list
    rows: list = field(default_factory=list)
    # Cells of these columns (0-based) get this number format, e.g. {2: "0.00"}.
    number_formats: dict = field(default_factory=dict)


def display_width(value):
    """How many columns a cell's text takes: a Chinese (wide) character counts as two."""
    text = _shown(value)
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _shown(value):
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def cell_value(value):
    """What a cell holds: numbers as numbers, dates as dates, anything else as clean text."""
    if value is None or isinstance(value, (bool, int, float, Decimal, date, datetime)):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return text


def _write_sheet(worksheet, sheet):
    worksheet.title = str(sheet.title).translate(TITLE_FORBIDDEN)[:31] or "Sheet"
    worksheet.append([cell_value(header) for header in sheet.headers])
    for row in sheet.rows:
        worksheet.append([cell_value(value) for value in row])
    bold = Font(bold=True)
    for cell in worksheet[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    for row in worksheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text that starts with "=" is shown, not run
            elif cell.column - 1 in sheet.number_formats and cell.value is not None:
                cell.number_format = sheet.number_formats[cell.column - 1]
    worksheet.freeze_panes = "A2"
    for index, header in enumerate(sheet.headers):
        widest = max([display_width(header)] + [display_width(row[index]) for row in sheet.rows if index < len(row)])
        worksheet.column_dimensions[get_column_letter(index + 1)].width = min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))


def workbook_bytes(sheets):
    """The .xlsx file of `sheets` (Sheet objects, the first is the active tab), as bytes."""
    workbook = Workbook()
    first = workbook.active
    for position, sheet in enumerate(sheets):
        worksheet = first if position == 0 else workbook.create_sheet()
        _write_sheet(worksheet, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content, filename):
    """A download of the workbook bytes `content` under `filename` (Chinese names are encoded for every browser)."""
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response["X-Content-Type-Options"] = "nosniff"
    return response
