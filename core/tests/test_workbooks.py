"""The shared workbook writer (core.workbooks): each property a ledger must have, read back with openpyxl."""

import io
import os
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.utils import timezone, translation
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from core.workbooks import Sheet, display_width, ledger_heading, workbook_bytes, write_workbook

HEADING = "问题台账（济南市 历下区）　导出日期 2026-12-04"


def written(*sheets):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(sheets)))


def ledger(rows, **fields):
    fields.setdefault("heading", HEADING)
    return written(Sheet("问题台账", ["序号", "企业名称", "办理时限"], rows, **fields)).active


def test_the_first_row_is_the_title_naming_the_ledger_its_region_and_the_day():
    sheet = ledger([[1, "甲公司", date(2026, 12, 31)]])

    assert sheet["A1"].value == HEADING and sheet["A1"].font.b and sheet["A1"].font.sz >= 14
    assert [cell.value for cell in sheet[2]] == ["序号", "企业名称", "办理时限"]
    assert sheet.print_title_rows == "$1:$2", "the title and the header on every printed page"
    assert sheet.page_setup.orientation == "landscape"


def test_the_heading_says_what_whose_and_when():
    with translation.override("en"):
        assert ledger_heading("联系名单", "济南市 历下区", today=date(2026, 12, 4)) == (
            "联系名单 (济南市 历下区), exported on 2026-12-04"
        )
        assert ledger_heading("联系名单", today=date(2026, 12, 4)) == "联系名单, exported on 2026-12-04"


def test_a_sheet_read_back_by_an_import_keeps_its_header_first_and_prints_its_title():
    sheet = ledger([[1, "甲公司", None]], heading="企业名单 & 台账", heading_row=False)

    assert sheet["A1"].value == "序号" and sheet.freeze_panes == "A2"
    assert sheet.oddHeader.center.text == "企业名单 && 台账"


def test_the_header_is_bold_and_frozen_below_the_title():
    sheet = ledger([[1, "甲公司", None]], required_headers=frozenset({"企业名称"}))

    assert sheet.freeze_panes == "A3"
    assert all(cell.font.b for cell in sheet[2])
    assert sheet["B2"].font.color.rgb.endswith("C00000"), "a column an import requires is red"
    assert sheet["A2"].fill.fgColor.rgb.endswith("D9D9D9")


def test_an_autofilter_covers_the_header_and_every_row():
    sheet = ledger([[number, f"企业{number}", None] for number in range(1, 6)])

    assert sheet.auto_filter.ref == "A2:C7"
    assert ledger([]).auto_filter.ref == "A2:C2"


def test_columns_fit_their_widest_cell_counting_a_chinese_character_as_two():
    sheet = ledger([[1, "山东示例科技集团股份有限公司", None], [2, "ab", None]])

    assert display_width("济南市 历下区") == 13 and display_width("abc") == 3
    assert sheet.column_dimensions["B"].width == display_width("山东示例科技集团股份有限公司") + 2 == 30
    assert sheet.column_dimensions["A"].width == 8, "narrow columns keep a minimum"
    assert ledger([[1, "长" * 200, None]]).column_dimensions["B"].width == 60, "and wide ones a maximum"
    assert sheet.column_dimensions["C"].width == display_width("办理时限") + 2 == 10


def test_the_title_row_does_not_widen_the_first_column():
    sheet = ledger([[1, "甲", None]], heading="很长的标题" * 20)
    assert sheet.column_dimensions["A"].width == 8


def test_dates_and_times_are_date_cells_in_local_time():
    noon_utc = datetime(2026, 12, 4, 4, 30, tzinfo=ZoneInfo("UTC"))
    with timezone.override("Asia/Shanghai"):
        sheet = ledger([[1, date(2026, 12, 31), noon_utc]])

    deadline, held = sheet["B3"], sheet["C3"]
    assert deadline.is_date and deadline.value == datetime(2026, 12, 31) and deadline.number_format == "yyyy-mm-dd"
    assert held.is_date and held.value == datetime(2026, 12, 4, 12, 30), "Beijing time, without a zone Excel refuses"
    assert held.number_format == "yyyy-mm-dd hh:mm"


def test_amounts_and_counts_are_numbers():
    sheet = written(
        Sheet("企业", ["序号", "营业收入（万元）", "得分"], [[7, Decimal("3500.50"), 85.5]], number_formats={2: "0.0"})
    ).active

    number, revenue, score = sheet["A2"], sheet["B2"], sheet["C2"]
    assert number.value == 7 and number.data_type == "n"
    assert revenue.value == 3500.5 and revenue.data_type == "n" and revenue.number_format == "#,##0.00"
    assert score.value == 85.5 and score.number_format == "0.0"


@pytest.mark.parametrize("text", ["=1+1", '=HYPERLINK("http://evil","x")', "+86 531", "-5%", "@SUM(A1)", "\tx", "\rx", "#N/A"])
def test_text_a_spreadsheet_would_run_is_kept_as_text(text):
    sheet = ledger([[1, text, None]])

    cell = sheet["B3"]
    assert cell.value == text and cell.data_type == "s", "shown as typed, not run nor read as an error"
    assert cell.quotePrefix, "and still text once the cell is edited in Excel"


def test_ordinary_text_has_no_quote_prefix_and_unholdable_characters_are_dropped():
    sheet = ledger([[1, "甲公司\x00\x07", "a=b"]])

    assert sheet["B3"].value == "甲公司" and not sheet["B3"].quotePrefix
    assert sheet["C3"].value == "a=b" and not sheet["C3"].quotePrefix


def test_several_sheets_each_with_their_title_and_sanitised_tab_names():
    workbook = written(Sheet("排名", ["地区"], [["济南市"]], heading=HEADING), Sheet("a/b:c", ["指标"], [], heading=HEADING))

    assert workbook.sheetnames == ["排名", "a b c"]
    assert all(sheet["A1"].value == HEADING for sheet in workbook.worksheets)


def test_rows_are_read_once_from_any_iterable_and_a_failure_leaves_no_temporary_file():
    def rows():
        yield [1, "甲", None]
        raise RuntimeError("database gone")

    before = set(ALL_TEMP_FILES)
    with pytest.raises(RuntimeError):
        write_workbook([Sheet("x", ["a", "b", "c"], rows(), heading=HEADING)], io.BytesIO())
    assert [path for path in ALL_TEMP_FILES if path not in before and os.path.exists(path)] == []

    generated = (row for row in [[1, "甲", None], [2, "乙", None]])
    target = io.BytesIO()
    assert write_workbook([Sheet("x", ["a", "b", "c"], generated)], target) == [2]
