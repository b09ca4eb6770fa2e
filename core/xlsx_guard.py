"""Refusing an uploaded .xlsx that would cost far more to read than its reader can need, before openpyxl
opens it.

An .xlsx is a zip archive of XML parts. A few hundred kilobytes can unpack to hundreds of megabytes of cells
(a "zip bomb", or only a sheet formatted down to row 1,048,576), which openpyxl would parse for seconds while a
web worker waits. What a reader needs is known: `WorkbookLimits(rows, columns)`, the rows and columns of the
largest file it accepts. The workbook may hold that with headroom (`ROW_HEADROOM`, `COLUMN_HEADROOM`, so that a
file a little over the row limit reaches the reader, which says by how much), and no more. From the cheapest:

1. The archive's central directory, nothing unpacked: the number of parts, the sum of their declared sizes
   (zipfile never yields more than a part declares, so this bounds what openpyxl could read) and each large
   part's compression ratio (XML that real spreadsheets write packs 5 to 30 times; a bomb, near 1,000).
2. Each worksheet's declared extent, `<dimension ref="A1:O5001"/>` near its start: openpyxl pads every row to
   it. A writer may leave it out or understate it, so it is never trusted alone:
3. every part is unpacked as a stream, at most the declared sizes in all, counting the cells (`<c …>`) and
   the shared strings (`<si>`), and reading the largest row and column any cell or row names (`r="O5001"`),
   stopping at the first one over its limit. A bomb of empty cells is refused within its first megabyte.

A refusal is a ValidationError with a message in the reader's language, coded `not_xlsx` (not a zip archive,
or an encrypted one) or `too_large`.
"""

import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

# The rows a workbook may hold beyond the reader's limit, so that a file somewhat over it is read and the
# reader says how far over it is; and the columns beyond it, for the reader's own notes beside the data.
ROW_HEADROOM = 1.2
COLUMN_HEADROOM = 2
# Title or blank rows above the header.
EXTRA_ROWS = 10
# What one cell may take in the sheet's XML with its text, on average (openpyxl writes about 95 bytes for a
# cell of an enterprise's register, Chinese text included), and what the other parts (styles, theme, a
# picture or two) may take whatever the cells.
BYTES_PER_CELL = 128
FIXED_BYTES = 4 * 1024 * 1024
# Real workbooks have 10 to 30 parts, a few hundred with many sheets.
MAX_PARTS = 1_000
# A part larger than this must not pack more than MAX_RATIO times.
RATIO_CHECKED_FROM = 1024 * 1024
MAX_RATIO = 200
CHUNK = 1024 * 1024
# Excel's last column, XFD.
MAX_COLUMN = 16_384
# The first bytes of a worksheet, where its <dimension> is.
DIMENSION_WINDOW = 4096

_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|si)[\s/>]")
_REFERENCE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?(?:c|row)(?:\s[^>]*?)?\sr\s*=\s*["\']\$?([A-Za-z]{0,3})\$?([0-9]{1,9})["\']')
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*ref\s*=\s*["\']([^"\']*)["\']')
_CELL = re.compile(rb"\$?([A-Za-z]{1,3})?\$?([0-9]{1,9})?")


@dataclass(frozen=True)
class WorkbookLimits:
    """What a reader of workbooks needs: at most `rows` data rows of `columns` columns."""

    rows: int
    columns: int

    @property
    def allowed_rows(self):
        return int(self.rows * ROW_HEADROOM) + EXTRA_ROWS

    @property
    def allowed_columns(self):
        return self.columns * COLUMN_HEADROOM

    @property
    def allowed_cells(self):
        return self.allowed_rows * self.allowed_columns

    @property
    def allowed_bytes(self):
        return self.allowed_cells * BYTES_PER_CELL + FIXED_BYTES


def column_number(letters):
    """b'A' → 1, b'Z' → 26, b'AA' → 27; b'' → 0."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def check_workbook(content, limits):
    """Refuse (ValidationError) the .xlsx bytes `content` unless its archive, its sheets' declared extent and its
    cells fit `limits`; return None when openpyxl may open it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(_("This is not an Excel workbook (.xlsx)."), code="not_xlsx") from error
    with archive:
        parts = archive.infolist()
        _check_archive(parts, limits)
        extent = _Extent(limits)
        for part in parts:
            _scan_part(archive, part, extent)


def _check_archive(parts, limits):
    if any(part.flag_bits & 0x1 for part in parts):
        raise ValidationError(_("This is not an Excel workbook (.xlsx)."), code="not_xlsx")
    unpacked = sum(part.file_size for part in parts)
    packed_too_tightly = any(
        part.file_size > RATIO_CHECKED_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1) for part in parts
    )
    if len(parts) > MAX_PARTS or unpacked > limits.allowed_bytes or packed_too_tightly:
        raise ValidationError(
            _(
                "The workbook is far larger once unpacked than an import of at most %(rows)s rows can need. Delete "
                "the empty rows and columns around the data and any pictures, or save the sheet as CSV, and upload "
                "it again."
            )
            % {"rows": f"{limits.rows:,}"},
            code="too_large",
        )


class _Extent:
    """The cells and shared strings counted so far, and the largest row and column met, against the limits."""

    def __init__(self, limits):
        self.limits = limits
        self.cells = self.strings = 0

    def count(self, text):
        references = _REFERENCE.findall(text)
        if references:
            self.reach(
                max(int(digits) for _letters, digits in references),
                max(column_number(letters) for letters, _digits in references),
            )
        for tag in _TAG.findall(text):
            if tag == b"c":
                self.cells += 1
            else:
                self.strings += 1
        if max(self.cells, self.strings) > self.limits.allowed_cells:
            raise ValidationError(
                _(
                    "The workbook holds more than %(cells)s cells, more than an import of at most %(rows)s rows can "
                    "need. Delete the empty rows and columns around the data (formatted empty cells count too), or "
                    "save the sheet as CSV, and upload it again."
                )
                % {"cells": f"{self.limits.allowed_cells:,}", "rows": f"{self.limits.rows:,}"},
                code="too_large",
            )

    def reach(self, row, column):
        if row > self.limits.allowed_rows:
            raise ValidationError(
                _(
                    "The sheet goes on to row %(row)s at least; an import may hold at most %(limit)s rows. Split it "
                    "into several files, and delete the empty rows below the data (formatted empty rows count too)."
                )
                % {"row": f"{row:,}", "limit": f"{self.limits.rows:,}"},
                code="too_large",
            )
        if column > self.limits.allowed_columns:
            raise ValidationError(
                _(
                    "The sheet goes on to column %(column)s; an import needs at most %(limit)s columns. Delete the "
                    "empty columns beside the data (formatted empty cells count too)."
                )
                % {"column": get_column_letter(min(column, MAX_COLUMN)), "limit": self.limits.allowed_columns},
                code="too_large",
            )


def _scan_part(archive, part, extent):
    try:
        with archive.open(part) as stream:
            head = stream.read(DIMENSION_WINDOW)
            _check_dimension(head, extent)
            # Cut each chunk after its last '>', so that no tag or reference straddles two chunks.
            pending = head
            while True:
                chunk = stream.read(CHUNK)
                data = pending + chunk
                if not chunk:
                    extent.count(data)
                    return
                cut = data.rfind(b">") + 1
                if cut == 0:
                    cut = len(data)
                extent.count(data[:cut])
                pending = data[cut:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as error:
        # A damaged or encrypted part: openpyxl could not read it either.
        raise ValidationError(_("This is not an Excel workbook (.xlsx)."), code="not_xlsx") from error


def _check_dimension(head, extent):
    found = _DIMENSION.search(head)
    if not found:
        return
    for corner in found.group(1).split(b":"):
        match = _CELL.fullmatch(corner.strip())
        if match:
            letters, digits = match.groups()
            extent.reach(int(digits or 0), column_number(letters or b""))
