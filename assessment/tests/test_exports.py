"""The assessment's workbooks and the printable report of a region. The writer itself is tested in
core/tests/test_workbooks.py."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from assessment.figures import compute_scores
from assessment.models import AssessmentPeriod, IndicatorValue, RegionScore
from assessment.tests.factories import SchemeFactory


@pytest.fixture
def period(db):
    period = AssessmentPeriod.objects.create(label="2026", start=date(2026, 1, 1), end=date(2026, 12, 31))
    SchemeFactory(
        period=period, owner_id="370100", assessed_level="county", items=[("liaison_coverage", 50, 80), ("open_overdue", 50, 2)]
    )
    values = [
        IndicatorValue(
            period=period, region_id="370102", indicator="liaison_coverage", numerator=6, denominator=10, value=Decimal(60)
        ),
        IndicatorValue(period=period, region_id="370102", indicator="open_overdue", numerator=4, value=Decimal(4)),
        IndicatorValue(
            period=period, region_id="370103", indicator="liaison_coverage", numerator=9, denominator=10, value=Decimal(90)
        ),
        IndicatorValue(period=period, region_id="370103", indicator="open_overdue", numerator=1, value=Decimal(1)),
        IndicatorValue(
            period=period, region_id="370100", indicator="liaison_coverage", numerator=15, denominator=20, value=Decimal(75)
        ),
        IndicatorValue(
            period=period, region_id="370202", indicator="liaison_coverage", numerator=1, denominator=2, value=Decimal(50)
        ),
    ]
    IndicatorValue.objects.bulk_create(values)
    RegionScore.objects.bulk_create(compute_scores(period, values))
    return period


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def table_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]


def test_the_assessment_table_holds_the_readers_regions_with_scores_ranks_and_every_indicator(cast, period):
    sheet, rows = table_of(client_of(cast["city_staff"]).get(reverse("assessment:table_export", args=["2026"])))
    header = rows[0]
    assert header[:7] == ["地区代码", "地区", "层级", "得分", "同级排名", "同级参评数", "全省排名"]
    assert sheet.freeze_panes == "A3" and sheet["A2"].font.b
    assert sheet["A1"].value.startswith("考核表 2026") and "济南市" in sheet["A1"].value, "the title names the region"
    codes = [row[0] for row in rows[1:]]
    assert codes[:3] == ["370100", "370102", "370103"] and all(code.startswith("3701") for code in codes)  # not 青岛's 370202
    by_code = {row[0]: row for row in rows[1:]}
    # 市中区: 50 × 90/80 capped = 50, 50 × (lower is better, 1 ≤ 2) = 50 → 100; 历下区: 50 × 60/80 + 50 × 2/4 = 62.5
    assert by_code["370103"][3:5] == [100, 1] and by_code["370102"][3:5] == [62.5, 2]
    coverage = next(index for index, name in enumerate(header) if str(name).startswith("Liaison coverage") or "覆盖" in str(name))
    assert by_code["370102"][coverage] == 60 and isinstance(by_code["370102"][coverage], (int, float))
    assert by_code["370100"][3] is None  # the city: no city scheme here, values only

    _sheet, county_rows = table_of(client_of(cast["county_staff"]).get(reverse("assessment:table_export", args=["2026"])))
    assert [row[0] for row in county_rows[1:]] == ["370102"]
    assert client_of(cast["province_staff"]).get(reverse("assessment:table_export", args=["1999"])).status_code == 404
    assert client_of(cast["cadre"]).get(reverse("assessment:table_export", args=["2026"])).status_code == 403


def test_a_regions_report_shows_its_score_and_each_indicators_value_target_and_contribution(cast, period):
    response = client_of(cast["county_staff"]).get(reverse("assessment:region_report", args=["2026", "370102"]))
    assert response.status_code == 200
    scored = {line.indicator.code: line for line in response.context["scored"]}
    assert list(scored) == ["liaison_coverage", "open_overdue"]
    assert scored["liaison_coverage"].points == Decimal("37.50") and scored["open_overdue"].points == Decimal("25.00")
    assert scored["liaison_coverage"].shown == "60.0%" and scored["liaison_coverage"].shown_target == "80.0%"
    assert response.context["score"].score == Decimal("62.50")
    html = response.content.decode()
    assert "62.50" in html and "37.50" in html and "print-sheet" in html
    # The indicators outside the scheme are listed too, an empty one with its reason
    unscored = {line.indicator.code: line for line in response.context["unscored"]}
    assert unscored["visit_coverage"].shown == "—" and str(unscored["visit_coverage"].empty_reason) in html
    # The city's report ranks its counties with links to theirs
    city = client_of(cast["city_staff"]).get(reverse("assessment:region_report", args=["2026", "370100"]))
    assert [row["region"].code for row in city.context["below"]][:2] == ["370103", "370102"]
    assert reverse("assessment:region_report", args=["2026", "370103"]) in city.content.decode()
    # Outside the fence: 404
    assert client_of(cast["county_staff"]).get(reverse("assessment:region_report", args=["2026", "370103"])).status_code == 404
    assert client_of(cast["county_staff"]).get(reverse("assessment:region_report", args=["2026", "370100"])).status_code == 404
