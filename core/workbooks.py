"""The one writer of every workbook the portal hands out: the list exports (exports.writing), the
assessment's tables and scorecards, and the cells of the import templates. Every sheet leaves as a ledger
(台账) looks:

- a title row (`Sheet.heading`, see `ledger_heading`): what the ledger is, whose (the region, department or
  cadre) and the day it was exported, in large bold type;
- the header row in bold on grey, frozen together with the title, repeated at the top of every printed page,
  with an autofilter over the header and every row; a header an import requires is red;
- column widths that fit the header and the first rows (`WIDTH_SAMPLE`), a Chinese (wide) character counting
  as two (`display_width`);
- real cells: int, float and Decimal as numbers (a Decimal shows two decimals unless the sheet gives a format),
  dates as dates (yyyy-mm-dd), datetimes in local time (yyyy-mm-dd hh:mm), None as an empty cell;
- text as text: characters a workbook cannot hold are dropped, text longer than a cell holds is cut, and text
  a spreadsheet would run (a formula: = + - @ first, or a tab or carriage return first) or read as an error
  code (#N/A) is stored as text with Excel's quote prefix: shown as typed, never run, even once edited;
- printed landscape, as wide as the page, with page numbers.

Sheets are written with openpyxl's write-only mode, so a sheet's rows may be any iterable (a queryset's
iterator): memory stays bounded whatever the number of rows, beyond the rows sampled for the widths.
"""

import io
import os
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from itertools import chain, islice

from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The most characters a cell of Excel holds.
CELL_LIMIT = 32_767
MIN_WIDTH, MAX_WIDTH = 8, 60
# Rows read before writing to fit the columns' widths: a write-only sheet's widths precede its rows.
WIDTH_SAMPLE = 1000
# Excel's sheet titles: at most 31 characters, none of these.
TITLE_FORBIDDEN = str.maketrans({character: " " for character in "[]:*?/\\"})
# What a spreadsheet runs or reads as more than text when it starts a cell (OWASP's "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DECIMAL_FORMAT = "#,##0.00"
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
REQUIRED = Font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
HEADER_ALIGNMENT = Alignment(vertical="center")


@dataclass
class Sheet:
    """One worksheet: its tab's title, its header row and its data rows (each a sequence of values)."""

    title: str
    headers: Sequence
    rows: Iterable = field(default_factory=list)
    # The title row above the header (see `ledger_heading`); empty: the header is the first row. A sheet
    # that must keep its header first (one read back by an import) gives `heading_row=False`: the heading
    # is then printed at the top of every page only.
    heading: str = ""
    heading_row: bool = True
    # Cells of these columns (0-based) get this number format, e.g. {2: "0.00"}.
    number_formats: dict = field(default_factory=dict)
    # Headers shown in red: the columns an import requires.
    required_headers: frozenset = frozenset()


def ledger_heading(name, subject="", *, today=None):
    """The title row of a ledger: what it is, whose it is (a region, a department, a cadre) and the day it
    was exported — 问题台账（济南市 历下区）　导出日期 2026-12-04."""
    day = (today or timezone.localdate()).isoformat()
    if subject:
        return _("%(name)s (%(subject)s), exported on %(date)s") % {"name": name, "subject": subject, "date": day}
    return _("%(name)s, exported on %(date)s") % {"name": name, "date": day}


def display_width(value):
    """How many columns a cell's text takes: a Chinese (wide) character counts as two."""
    text = _shown(value)
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _shown(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def clean_text(value):
    """Text a cell can hold: without the control characters a workbook refuses, at most CELL_LIMIT long."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:CELL_LIMIT]


def runs_as_formula(text):
    """Whether a spreadsheet would run `text` (or read it as an error code) rather than show it."""
    return text.startswith(FORMULA_STARTS) or text in ERROR_CODES


def cell_value(worksheet, value, number_format=None):
    """What one cell of `worksheet` holds for `value`: a plain value, or a styled write-only cell."""
    if isinstance(value, Promise):
        value = str(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return _formatted(worksheet, value.replace(tzinfo=None), number_format or DATETIME_FORMAT)
    if isinstance(value, date):
        return _formatted(worksheet, value, number_format or DATE_FORMAT)
    if isinstance(value, time):
        return _formatted(worksheet, value.replace(tzinfo=None), number_format or "hh:mm")
    if isinstance(value, (int, float, Decimal)):
        if number_format or isinstance(value, Decimal):
            return _formatted(worksheet, value, number_format or DECIMAL_FORMAT)
        return value
    text = clean_text(value)
    if runs_as_formula(text):
        cell = WriteOnlyCell(worksheet, value=text)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return text


def _formatted(worksheet, value, number_format):
    cell = WriteOnlyCell(worksheet, value=value)
    cell.number_format = number_format
    return cell


def sheet_title(title):
    return str(title).translate(TITLE_FORBIDDEN).strip()[:31] or "Sheet"


def column_widths(headers, rows):
    """The width of each column: its widest cell among the header and `rows`, within MIN_WIDTH and MAX_WIDTH."""
    widths = [display_width(header) for header in headers]
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], display_width(value))
    return [min(MAX_WIDTH, max(MIN_WIDTH, width + 2)) for width in widths]


def write_sheet(workbook, sheet):
    """Add `sheet` to the write-only `workbook`; returns the number of data rows written.

    The rows are read once, as they are written. If reading or writing fails, the rows written so far are
    removed with the sheet's temporary file, and the error goes on.
    """
    worksheet = workbook.create_sheet(sheet_title(sheet.title))
    try:
        return _write(worksheet, sheet)
    except BaseException:
        discard(worksheet)
        raise


def _write(worksheet, sheet):
    headers = [str(header) for header in sheet.headers]
    rows = iter(sheet.rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    for index, width in enumerate(column_widths(headers, sample), start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    title_row = bool(sheet.heading) and sheet.heading_row
    header_row = 2 if title_row else 1
    # Frozen below the header, and the title and header printed at the top of every page.
    worksheet.freeze_panes = f"A{header_row + 1}"
    worksheet.print_title_rows = f"1:{header_row}"
    _page_setup(worksheet, sheet)
    if title_row:
        title = WriteOnlyCell(worksheet, value=clean_text(sheet.heading))
        title.font = TITLE_FONT
        worksheet.append([title])
    worksheet.append([_header_cell(worksheet, header, sheet.required_headers) for header in headers])
    formats = sheet.number_formats
    written = 0
    for row in chain(sample, rows):
        worksheet.append([cell_value(worksheet, value, formats.get(index)) for index, value in enumerate(row)])
        written += 1
    if headers:
        last_column = get_column_letter(len(headers))
        worksheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + written}"
    return written


def _header_cell(worksheet, header, required):
    cell = WriteOnlyCell(worksheet, value=clean_text(header))
    cell.data_type = "s"
    style_header(cell, required=header in required)
    return cell


def style_header(cell, *, required=False):
    """A header cell's look, for a sheet written here or by hand (the import templates): bold on grey, red
    when an import requires the column."""
    cell.font = REQUIRED if required else BOLD
    cell.fill = HEADER_FILL
    cell.alignment = HEADER_ALIGNMENT


def _page_setup(worksheet, sheet):
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.heading and not sheet.heading_row:
        # "&" starts a code in a page header: a literal one is doubled.
        worksheet.oddHeader.center.text = clean_text(sheet.heading).replace("&", "&&")[:250]
    worksheet.oddFooter.center.text = _("Page &P of &N")


def discard(worksheet):
    """Remove the rows written so far. openpyxl keeps a write-only sheet's rows in a temporary file that only
    saving the workbook (or the end of the process) removes: a writer that gave up would leave it behind."""
    with suppress(Exception):
        worksheet.close()
    writer = worksheet._writer
    if writer is not None and os.path.exists(writer.out):
        writer.cleanup()


def new_workbook(title=""):
    workbook = Workbook(write_only=True)
    if title:
        workbook.properties.title = clean_text(title)[:255]
    return workbook


def write_workbook(sheets, target):
    """Write `sheets` (Sheet objects, the first is the active tab) as one .xlsx into the open binary file
    `target`; returns the number of data rows of each sheet."""
    sheets = list(sheets)
    workbook = new_workbook(sheets[0].heading if sheets else "")
    try:
        written = [write_sheet(workbook, sheet) for sheet in sheets]
    except BaseException:
        for worksheet in workbook.worksheets:
            discard(worksheet)
        raise
    workbook.save(target)
    return written


def workbook_bytes(sheets):
    """The .xlsx file of `sheets` (Sheet objects, the first is the active tab), as bytes."""
    buffer = io.BytesIO()
    write_workbook(sheets, buffer)
    return buffer.getvalue()


def xlsx_response(content, filename):
    """A download of the workbook bytes `content` under `filename` (Chinese names are encoded for every browser)."""
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response["X-Content-Type-Options"] = "nosniff"
    return response
