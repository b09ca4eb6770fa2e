"""The streaming writer every export goes through: openpyxl's write-only workbook fed from
`queryset.iterator()`, so memory stays bounded whatever the number of rows.

Cells are written as they are: text that looks like a formula (`=…`) or an error code (`#N/A`) stays text,
characters a spreadsheet cannot hold are dropped, and text longer than a cell holds is cut.
"""

import os
from contextlib import suppress

from django.utils import translation
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows read per query (and per prefetch of a chunk), and how often a job's progress is written down.
CHUNK_SIZE = 2000
# The most characters a cell of Excel holds.
CELL_LIMIT = 32_767
BOLD = Font(bold=True)
REQUIRED = Font(bold=True, color="C00000")


def header_cells(sheet, headers, required=()):
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = REQUIRED if header in required else BOLD
        cells.append(cell)
    return cells


def set_widths(sheet, headers):
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(header)) * 2 + 4)


def value_cell(sheet, value):
    """`value` as a cell shows it: text that a spreadsheet would run or read as an error code stays text."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_LIMIT]
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_workbook(export, records, target, *, on_chunk=None, chunk_size=None):
    """Write `records` (a queryset) as `export`'s sheet into the open binary file `target`.

    `on_chunk(rows_written)` is called after every chunk of rows; returns the number of rows written.
    """
    chunk_size = chunk_size or CHUNK_SIZE
    written = 0
    with translation.override(export.language or translation.get_language()):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(export.sheet_title)[:31])
        headers = export.header_row()
        set_widths(sheet, headers)
        sheet.freeze_panes = "A2"
        sheet.append(header_cells(sheet, headers, export.required_headers))
        try:
            for written, record in enumerate(records.iterator(chunk_size=chunk_size), start=1):
                sheet.append([value_cell(sheet, value) for value in export.row(record, written)])
                if on_chunk is not None and written % chunk_size == 0:
                    on_chunk(written)
        except BaseException:
            _discard(sheet)
            raise
    workbook.save(target)
    return written


def _discard(sheet):
    """Remove the rows written so far. openpyxl keeps a write-only sheet's rows in a temporary file that only
    saving the workbook (or the end of the process) removes: a worker that gave up would leave it behind."""
    with suppress(Exception):
        sheet.close()
    writer = sheet._writer
    if writer is not None and os.path.exists(writer.out):
        writer.cleanup()
