"""Workbooks that would cost far more to read than their reader needs are refused before openpyxl opens them
(core.xlsx_guard). The archives are built in memory, part by part."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core import xlsx_guard
from core.xlsx_guard import WorkbookLimits, check_workbook


@pytest.fixture(autouse=True)
def english_messages():
    """The refusals are read in their English source text."""
    with translation.override("en"):
        yield


# A reader of at most 100 rows of 5 columns: it may receive 130 rows of 10 columns, 1,300 cells.
LIMITS = WorkbookLimits(rows=100, columns=5)
SHEET = "xl/worksheets/sheet1.xml"


def sheet_xml(rows, dimension=None):
    """A worksheet of `rows` (the XML of each <row>), declaring its extent when `dimension` is given."""
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    if dimension:
        head += b'<dimension ref="%s"/>' % dimension
    return head + b"<sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"


def row(number, columns=5):
    cells = (b'<c r="%s%d" t="n"><v>%d</v></c>' % (bytes([64 + column]), number, column) for column in range(1, columns + 1))
    return b'<row r="%d">' % number + b"".join(cells) + b"</row>"


def archive(parts, compression=zipfile.ZIP_DEFLATED):
    """An .xlsx-shaped zip of `parts` ({name: bytes, or an iterable of byte chunks written as a stream})."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression) as written:
        written.writestr("[Content_Types].xml", b"<Types/>")
        written.writestr("xl/workbook.xml", b"<workbook/>")
        for name, content in parts.items():
            if isinstance(content, bytes):
                written.writestr(name, content)
            else:
                with written.open(name, "w") as part:
                    for chunk in content:
                        part.write(chunk)
    return stream.getvalue()


def refusal(content, limits=LIMITS):
    with pytest.raises(ValidationError) as refused:
        check_workbook(content, limits)
    return refused.value


def test_the_limits_give_headroom_over_what_the_reader_needs():
    assert (LIMITS.allowed_rows, LIMITS.allowed_columns, LIMITS.allowed_cells) == (130, 10, 1300)
    assert LIMITS.allowed_bytes == 1300 * xlsx_guard.BYTES_PER_CELL + xlsx_guard.FIXED_BYTES


def test_a_workbook_within_the_limits_is_left_for_openpyxl():
    workbook = openpyxl.Workbook()
    for number in range(LIMITS.rows + 1):
        workbook.active.append([f"企业{number}", "91370102MA3C12345X", number, None, 3.5])
    workbook.create_sheet("说明").append(["列", "说明"])
    stream = io.BytesIO()
    workbook.save(stream)

    assert check_workbook(stream.getvalue(), LIMITS) is None


def test_a_zip_bomb_is_refused_from_its_central_directory():
    """40 MB of empty cells packed into a few tens of kilobytes: refused before a byte is unpacked."""
    chunk = b"<c/>" * (256 * 1024)
    bomb = archive({SHEET: [b"<worksheet><sheetData><row>", *([chunk] * 40), b"</row></sheetData></worksheet>"]})
    assert len(bomb) < 100_000

    error = refusal(bomb, WorkbookLimits(rows=5_000, columns=15))

    assert error.code == "too_large" and "far larger once unpacked" in error.messages[0] and "5,000" in error.messages[0]


def test_a_part_packed_as_only_a_bomb_is_is_refused_even_when_small_enough():
    """A megabyte and more that packs over 200 times: no spreadsheet program writes that."""
    limits = WorkbookLimits(rows=100_000, columns=50)
    bomb = archive({SHEET: [b"<worksheet><sheetData>", b" " * (3 * 1024 * 1024), b"</sheetData></worksheet>"]})
    assert sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) < limits.allowed_bytes

    assert refusal(bomb, limits).code == "too_large"


def test_too_many_cells_are_refused_even_when_the_bytes_fit():
    """Empty cells without references, under the byte limit and the checked ratio: counted as they stream by."""
    content = archive({SHEET: sheet_xml([b"<row>" + b"<c/>" * (LIMITS.allowed_cells + 1) + b"</row>"])})

    error = refusal(content)

    assert error.code == "too_large" and "1,300 cells" in error.messages[0]


def test_too_many_shared_strings_are_refused():
    strings = b"<sst>" + b"<si><t>x</t></si>" * (LIMITS.allowed_cells + 1) + b"</sst>"
    assert refusal(archive({SHEET: sheet_xml([row(1)]), "xl/sharedStrings.xml": strings})).code == "too_large"


def test_a_single_cell_far_down_is_refused_for_the_empty_rows_openpyxl_would_read_before_it():
    content = archive({SHEET: sheet_xml([row(1), b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>'])})

    error = refusal(content)

    assert error.code == "too_large" and "row 1,048,576" in error.messages[0] and "100 rows" in error.messages[0]


def test_a_single_cell_far_right_is_refused():
    content = archive({SHEET: sheet_xml([row(1), b'<row r="2"><c r="XFD2"><v>1</v></c></row>'])})

    error = refusal(content)

    assert error.code == "too_large" and "column XFD" in error.messages[0]


def test_a_declared_dimension_beyond_the_limits_is_refused_whatever_the_cells():
    """openpyxl pads every row to the declared extent."""
    assert refusal(archive({SHEET: sheet_xml([row(1)], dimension=b"A1:XFD1048576")})).code == "too_large"
    assert refusal(archive({SHEET: sheet_xml([row(1)], dimension=b"A1:E200")})).code == "too_large"


def test_a_small_declared_dimension_is_not_taken_on_trust():
    rows = [row(number) for number in range(1, 200)]
    assert refusal(archive({SHEET: sheet_xml(rows, dimension=b"A1:B2")})).code == "too_large"


def test_a_workbook_of_more_parts_than_any_real_one_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx_guard, "MAX_PARTS", 20)
    parts = {f"xl/media/image{number}.png": b"\x89PNG" for number in range(20)}
    assert refusal(archive({SHEET: sheet_xml([row(1)]), **parts})).code == "too_large"


@pytest.mark.parametrize(
    "content",
    [b"", b"not a zip at all", b"PK\x03\x04 broken", archive({SHEET: sheet_xml([row(1)])})[:-40]],
    ids=["empty", "text", "broken-header", "truncated"],
)
def test_what_is_not_a_workbook_says_so(content):
    assert refusal(content).code == "not_xlsx"


def test_an_encrypted_part_is_not_a_workbook_openpyxl_could_read():
    content = bytearray(archive({SHEET: sheet_xml([row(1)])}))
    # Set the "encrypted" flag of every entry, in the local headers and the central directory.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = content.find(signature)
        while start >= 0:
            content[start + offset] |= 0x1
            start = content.find(signature, start + 4)
    assert refusal(bytes(content)).code == "not_xlsx"
