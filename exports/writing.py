"""Writing a declared export (exports.kinds) as a ledger: the records of `queryset.iterator()` fed row by row
into the shared workbook writer (`core.workbooks`: title row, frozen bold header, autofilter, widths,
real cells, text that would run as a formula kept as text), so memory stays bounded whatever the number of
rows.
"""

from django.utils import translation

from core.workbooks import XLSX_CONTENT_TYPE, Sheet, ledger_heading
from core.workbooks import write_workbook as write_sheets

__all__ = ["CHUNK_SIZE", "XLSX_CONTENT_TYPE", "write_workbook"]

# Rows read per query (and per prefetch of a chunk), and how often a job's progress is written down.
CHUNK_SIZE = 2000


def write_workbook(export, records, target, *, user, params, on_chunk=None, chunk_size=None):
    """Write `records` (a queryset) as `export`'s sheet for `user` (who asked, with the filters `params`) into
    the open binary file `target`.

    `on_chunk(rows_read)` is called after every chunk of rows; returns the number of rows written.
    """
    chunk_size = chunk_size or CHUNK_SIZE
    with translation.override(export.language or translation.get_language()):
        heading = ledger_heading(export.file_stem, export.whose(user, params))

        def rows():
            for number, record in enumerate(records.iterator(chunk_size=chunk_size), start=1):
                yield export.row(record, number)
                if on_chunk is not None and number % chunk_size == 0:
                    on_chunk(number)

        sheet = Sheet(
            title=str(export.sheet_title),
            headers=export.header_row(),
            rows=rows(),
            heading=heading,
            heading_row=export.heading_row,
            required_headers=export.required_headers,
        )
        [written] = write_sheets([sheet], target)
    return written
