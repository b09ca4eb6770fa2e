"""Reading the .xlsx and .csv files staff upload: the same rows and the same text from either.

A file that cannot be imported at all raises ImportFileError with the reason in the reader's
language: a wrong type, too large, not really a workbook, an unreadable text encoding, empty, only
a header, missing columns, or too many rows. Row numbers are those the reader sees in the
spreadsheet (the header is row 1), blank rows skipped.
"""

import csv
import io
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.xlsx_guard import WorkbookLimits, check_workbook

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# Rows are counted up to here to tell the reader how far over the limit a file is; beyond, reading stops.
COUNT_LIMIT = 100_000
# The columns of the widest import: the enterprise register's 14 and the export's column of current liaisons.
# With MAX_ROWS, what an .xlsx may hold before openpyxl opens it (core.xlsx_guard adds the headroom).
MAX_COLUMNS = 15
EXTENSIONS = (".xlsx", ".csv")


def limits():
    """The limits as the reader is told them."""
    return {"rows": f"{MAX_ROWS:,}", "size": filesizeformat(MAX_UPLOAD_BYTES)}


class ImportFileError(Exception):
    """A file that cannot be imported at all; `message` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    headers: list
    rows: list
    # The spreadsheet row of each data row (the header is row 1), blank rows skipped.
    numbers: list
    ignored_columns: list = field(default_factory=list)

    def dataset(self):
        return tablib.Dataset(*self.rows, headers=self.headers)


def file_extension(name):
    return os.path.splitext(name or "")[1].lower()


def check_upload(name, size):
    """Refuse a file by its name and size, before reading it."""
    extension = file_extension(name)
    if extension == ".xls":
        raise ImportFileError(_("Old .xls workbooks cannot be read: open the file in Excel or WPS and save it as .xlsx."))
    if extension not in EXTENSIONS:
        raise ImportFileError(_("Upload an .xlsx or .csv file; %(name)s is neither.") % {"name": name})
    if size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
        )


def cell_text(value):
    """One cell as text, the same for .xlsx and .csv: Excel's numbers lose their '.0', dates are ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return str(value).strip()


def _header_key(header):
    """Headers match whatever the spaces, half- or full-width brackets, or a '*' marking them required."""
    text = re.sub(r"\s+", "", header).replace("(", "（").replace(")", "）")
    return text.rstrip("*＊")


def _not_excel():
    return ImportFileError(
        _(
            "This is not a valid Excel file (.xlsx). Open it in Excel or WPS and save it as an Excel workbook "
            "(.xlsx), or save it as CSV and upload the .csv. Password-protected workbooks cannot be read either."
        )
    )


def workbook_limits():
    return WorkbookLimits(rows=MAX_ROWS, columns=MAX_COLUMNS)


def _xlsx_rows(content):
    # A workbook that would cost far more to read than an import can need is refused before openpyxl opens it.
    try:
        check_workbook(content, workbook_limits())
    except ValidationError as error:
        raise (_not_excel() if error.code == "not_xlsx" else ImportFileError(error.messages[0])) from error
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl fails in many ways on files that only look like workbooks
        raise _not_excel() from error
    try:
        if not workbook.worksheets:
            return
        # The first sheet holds the data (the template's instructions are on the second).
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in values]
    except ImportFileError:
        raise
    except Exception as error:  # a damaged sheet inside a valid archive
        raise _not_excel() from error
    finally:
        workbook.close()


def _decode_text(content):
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in content:
        # Excel in Chinese saves "CSV (comma delimited)" in GBK; GB 18030 reads GBK and more.
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise ImportFileError(
        _("The file is not text in UTF-8 or GBK, so it cannot be read as CSV. Save it as “CSV UTF-8” or as .xlsx.")
    )


def _csv_dialect(text):
    """Commas, unless the header line has none but tabs (Excel's "Unicode text") or semicolons."""
    first_line = text.split("\n", 1)[0]
    if "," not in first_line:
        if "\t" in first_line:
            return csv.excel_tab
        if ";" in first_line:

            class Semicolons(csv.excel):
                delimiter = ";"

            return Semicolons
    return csv.excel


def _csv_rows(content):
    text = _decode_text(content)
    dialect = _csv_dialect(text)
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            yield number, [cell_text(value) for value in values]
    except csv.Error as error:
        raise ImportFileError(_("The CSV file is malformed: %(reason)s.") % {"reason": error}) from error


def read_table(content, extension, resource_class):
    """The file's header and data rows, or ImportFileError saying why it cannot be imported."""
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    rows = _xlsx_rows(content) if extension == ".xlsx" else _csv_rows(content)
    known = {_header_key(column): column for column in resource_class.COLUMNS + resource_class.EXPORT_ONLY_COLUMNS}
    headers, kept, table, count = None, [], Table(headers=[], rows=[], numbers=[]), 0
    for number, values in rows:
        if not any(values):
            continue
        if headers is None:
            headers = [known.get(_header_key(value), value) for value in values]
            kept = [index for index, header in enumerate(headers) if header]
            table.headers = [headers[index] for index in kept]
            _check_headers(table, resource_class)
            continue
        count += 1
        if count > COUNT_LIMIT:
            raise ImportFileError(
                _("The file has more than %(count)s rows; the limit is %(limit)s — split it into several files.")
                % {"count": f"{COUNT_LIMIT:,}", "limit": f"{MAX_ROWS:,}"}
            )
        if count <= MAX_ROWS:
            values = values + [""] * (len(headers) - len(values))
            table.rows.append([values[index] for index in kept])
            table.numbers.append(number)
    if headers is None:
        raise ImportFileError(_("The file is empty."))
    if count == 0:
        raise ImportFileError(_("The file has only the header row and no data rows."))
    if count > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)s rows; the limit is %(limit)s — split it into several files.")
            % {"count": f"{count:,}", "limit": f"{MAX_ROWS:,}"}
        )
    return table


def _check_headers(table, resource_class):
    seen = set()
    for header in table.headers:
        if header in seen:
            raise ImportFileError(_("The column %(column)s appears twice in the first row.") % {"column": header})
        seen.add(header)
    missing = [column for column in resource_class.REQUIRED_COLUMNS if column not in seen]
    if missing:
        raise ImportFileError(
            _("Columns missing from the first row: %(columns)s. The first row must hold the column headers of the template.")
            % {"columns": "、".join(missing)}
        )
    known = set(resource_class.COLUMNS + resource_class.EXPORT_ONLY_COLUMNS)
    table.ignored_columns = [header for header in table.headers if header not in known]
