"""The compliance grid as the page lays it out: a table per cadence, the current period first, a count per period."""

import re
from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Region
from core.periods import period_containing
from forums.compliance import ComplianceState, compliance_grid, compliance_tables
from forums.models import ForumStatus
from forums.tests.factories import AttendanceFactory, ForumFactory, at

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 1)


def held(code, when):
    AttendanceFactory(forum=ForumFactory(region_id=code, starts_at=when, status=ForumStatus.HELD, minutes="纪要"))


def test_a_city_and_its_counties_are_two_tables_with_the_current_period_first():
    jinan = Region.objects.get(code="370100")
    counties = list(Region.objects.filter(parent=jinan).order_by("code"))
    held("370102", at(2026, 4, 20))  # 历下区, the current quarter
    held("370103", at(2026, 4, 21))  # 市中区, the current quarter
    held("370103", at(2026, 2, 1))  # 市中区, the quarter before
    held("370100", at(2026, 3, 1))  # 济南市, the current half year
    rows = compliance_grid([jinan, *counties], 3, today=TODAY)

    city, county = compliance_tables(rows, today=TODAY)
    assert [column.period.label for column in city.columns] == ["2026H1", "2025H2", "2025H1"]
    assert [row.region for row in city.rows] == [jinan] and not city.counts_regions
    assert [column.period.label for column in county.columns] == ["2026Q2", "2026Q1", "2025Q4"]
    assert [row.region for row in county.rows] == counties and county.counts_regions
    assert [(column.held, column.regions) for column in county.columns] == [
        (2, len(counties)),
        (1, len(counties)),
        (0, len(counties)),
    ]
    assert [column.is_current for column in county.columns] == [True, False, False]
    assert county.current_label == "2026Q2"
    # The cells follow their columns.
    shizhong = next(row for row in county.rows if row.region.code == "370103")
    assert [cell.period.label for cell in shizhong.cells] == ["2026Q2", "2026Q1", "2025Q4"]
    assert [cell.state for cell in shizhong.cells] == [ComplianceState.HELD, ComplianceState.HELD, ComplianceState.PAST_DUE]
    # The grid itself is unchanged (oldest first), for its other readers (the home page, the export).
    assert [cell.period.label for cell in rows[1].cells] == ["2025Q4", "2026Q1", "2026Q2"]


def test_regions_of_one_cadence_share_a_table_and_captions_name_the_cadence():
    periods = [period_containing(date(2026, month, 1), 3) for month in (1, 4, 7)]
    regions = list(Region.objects.filter(code__in=["370100", "370102", "370103"]).order_by("code"))
    (table,) = compliance_tables(compliance_grid(regions, periods, today=TODAY), today=TODAY)
    assert len(table.rows) == 3 and [column.period.label for column in table.columns] == ["2026Q3", "2026Q2", "2026Q1"]
    # A period still to come is shown, and the current one is marked wherever it stands.
    assert [column.is_current for column in table.columns] == [False, True, False]
    with translation.override("en"):
        assert table.caption == "A forum every quarter"
    assert compliance_tables([], today=TODAY) == []


def test_the_page_shows_period_headings_counts_and_the_current_period_first(client, cast, settings):
    settings.LANGUAGE_CODE = "en"
    today = timezone.localdate()
    quarter = period_containing(today, 3)
    held("370102", timezone.make_aware(datetime.combine(quarter.start, time(9))))
    client.force_login(cast["city_staff"])
    html = client.get(reverse("forums:compliance"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    counties = Region.objects.filter(parent_id="370100").count()
    headings = re.findall(r'<th scope="col"[^>]*data-period="([^"]+)"', html)
    half = period_containing(today, 6)
    assert headings[0] == half.label and quarter.label in headings
    assert headings[8] == quarter.label  # the counties' table starts after 济南市's eight half years
    assert f'data-held="1"\n                       data-regions="{counties}"' in html
    assert f"held: 1 of {counties}" in html
    assert html.count("data-current-period") == 2  # the current half year and the current quarter
