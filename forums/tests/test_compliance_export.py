"""The compliance grid as a ledger (.xlsx): a sheet per cadence, a row per region, a column per period (oldest
first), fenced as the page is; and the page's export button and printed title."""

import io
from datetime import datetime, time

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from core.periods import period_containing
from forums.models import ForumStatus
from forums.tests.factories import AttendanceFactory, ForumFactory

pytestmark = pytest.mark.django_db
EXPORT = reverse("forums:compliance_export")


def workbook_of(response):
    assert response.status_code == 200, response
    assert response["Content-Disposition"].startswith("attachment")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows_of(sheet):
    """The header and the rows below the title row."""
    return list(sheet.iter_rows(min_row=2, values_only=True))


def held_this_quarter(code):
    today = timezone.localdate()
    starts = timezone.make_aware(datetime.combine(period_containing(today, 3).start, time(9)))
    AttendanceFactory(forum=ForumFactory(region_id=code, starts_at=starts, status=ForumStatus.HELD, minutes="纪要"))


def test_a_countys_grid_is_one_sheet_of_its_own_quarters(client, cast):
    held_this_quarter("370102")
    client.force_login(cast["county_staff"])

    [sheet] = workbook_of(client.get(EXPORT)).worksheets

    assert sheet["A1"].value.startswith("座谈会开展情况") and "济南市 历下区" in sheet["A1"].value
    header, *rows = rows_of(sheet)
    current = period_containing(timezone.localdate(), 3).label
    assert header[0] == "地区" and header[-3] == current and header[-2:] == ("已召开期数", "逾期未召开期数")
    assert len(header) == 1 + 8 + 2, "the eight periods of the page, oldest first"
    [row] = rows
    assert row[0] == "济南市 历下区" and row[-3] == "已召开" and row[-2] == 1
    assert isinstance(row[-1], int)
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == f"A2:{openpyxl.utils.get_column_letter(11)}3"


def test_a_citys_grid_has_a_sheet_for_itself_and_one_for_its_counties(client, cast):
    held_this_quarter("370103")
    client.force_login(cast["city_staff"])

    workbook = workbook_of(client.get(EXPORT))

    assert len(workbook.worksheets) == 2
    by_first_region = {rows_of(sheet)[1][0]: sheet for sheet in workbook.worksheets}
    assert "济南市" in by_first_region
    counties = next(sheet for sheet in workbook.worksheets if sheet is not by_first_region["济南市"])
    regions = [row[0] for row in rows_of(counties)[1:]]
    assert "济南市 市中区" in regions and "济南市 历下区" in regions and all(name.startswith("济南市 ") for name in regions)
    shizhong = next(row for row in rows_of(counties)[1:] if row[0] == "济南市 市中区")
    assert shizhong[-3] == "已召开"


def test_the_grid_of_a_region_outside_the_readers_is_404(client, cast):
    client.force_login(cast["other_county_staff"])
    assert client.get(EXPORT, {"region": "370102"}).status_code == 404
    assert client.get(EXPORT, {"region": "370100"}).status_code == 404
    assert client.get(EXPORT, {"region": "not-a-region"}).status_code == 404
    [sheet] = workbook_of(client.get(EXPORT)).worksheets
    assert [row[0] for row in rows_of(sheet)[1:]] == ["济南市 市中区"]


def test_the_page_offers_the_export_of_its_region_and_a_printed_title(client, cast):
    client.force_login(cast["city_staff"])
    body = client.get(reverse("forums:compliance"), {"region": "370102"}).content.decode()

    assert f'href="{EXPORT}?region=370102"' in body
    assert 'data-testid="print-heading"' in body
