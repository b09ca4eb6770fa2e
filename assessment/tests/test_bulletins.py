"""Progress bulletins: what a bulletin says, its files, the monthly task run twice, and the fenced pages."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from accounts.models import Region
from assessment import tasks
from assessment.bulletins import services
from assessment.bulletins.exports import bulletin_report, bulletin_workbook
from assessment.bulletins.selectors import bulletin_content
from assessment.figures import compute_scores
from assessment.models import AssessmentPeriod, Bulletin, IndicatorValue, RegionScore
from assessment.tests.factories import SchemeFactory, local, on
from notifications.models import Notification

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 1)  # the bulletin of October
JINAN, QINGDAO, ZIBO, ZAOZHUANG = "370100", "370200", "370300", "370400"
# liaison coverage (weight 60, target 100) and visit coverage (weight 40, target 80) of four cities:
# 济南 54 + 40 = 94, 青岛 60 + 20 = 80, 枣庄 42 + 30 = 72, 淄博 30 + 10 = 40.
VALUES = {JINAN: (90, 80), QINGDAO: (100, 40), ZIBO: (50, 20), ZAOZHUANG: (70, 60)}


@pytest.fixture
def period():
    period = AssessmentPeriod.objects.create(label="2026", start=date(2026, 1, 1), end=date(2026, 12, 31))
    SchemeFactory(period=period, items=[("liaison_coverage", 60, 100), ("visit_coverage", 40, 80)])
    values = []
    for code, (liaison, visits) in VALUES.items():
        for indicator, value in (("liaison_coverage", liaison), ("visit_coverage", visits)):
            values.append(
                IndicatorValue(
                    period=period, region_id=code, indicator=indicator, numerator=value, denominator=100, value=Decimal(value)
                )
            )
    values.append(
        IndicatorValue(
            period=period, region_id="370000", indicator="liaison_coverage", numerator=310, denominator=400, value=Decimal("77.5")
        )
    )
    IndicatorValue.objects.bulk_create(values)
    RegionScore.objects.bulk_create(compute_scores(period, values))
    # Computed this morning: the task reads the stored figures as they are.
    period.refreshed_at = local(2026, 11, 1, 2)
    period.save()
    return period


def test_a_bulletin_ranks_the_cities_names_those_behind_and_the_best(period):
    earlier = AssessmentPeriod.objects.create(label="2025", start=date(2025, 1, 1), end=date(2025, 12, 31), status="closed")
    RegionScore.objects.create(period=earlier, region_id=JINAN, scheme=SchemeFactory(period=earlier), score=Decimal("90"))
    content = bulletin_content(period, Region.objects.get(code="370000"), as_of=date(2026, 10, 31))
    ranked = [(row["name"], row["score"], row["rank"]) for row in content["ranking"] if row["rank"]]
    assert ranked == [("济南市", 94, 1), ("青岛市", 80, 2), ("枣庄市", 72, 3), ("淄博市", 40, 4)]
    assert content["ranking"][0]["previous_score"] == 90 and content["ranking"][0]["values"] == {
        "liaison_coverage": 90,
        "visit_coverage": 80,
    }
    # Cities without figures have no score and come last
    assert all(row["score"] is None for row in content["ranking"][4:])
    [behind] = content["behind"]  # four ranked: the last third is one
    assert behind["name"] == "淄博市" and [entry["indicator"] for entry in behind["weakest"]] == [
        "visit_coverage",
        "liaison_coverage",
    ]
    best = {row["indicator"]: (row["value"], [region["name"] for region in row["regions"]]) for row in content["best"]}
    assert best == {"liaison_coverage": (100, ["青岛市"]), "visit_coverage": (80, ["济南市"])}
    totals = {row["indicator"]: row for row in content["totals"]}
    assert totals["liaison_coverage"]["value"] == 77.5 and totals["liaison_coverage"]["denominator"] == 400
    assert totals["visit_coverage"]["value"] is None


def test_a_bulletins_table_and_report_are_in_chinese_with_numbers_as_numbers(period):
    content = {"issue": "2026-10", **bulletin_content(period, Region.objects.get(code="370000"), as_of=date(2026, 10, 31))}
    workbook = openpyxl.load_workbook(io.BytesIO(bulletin_workbook(content)))
    sheet = workbook["排名"]
    assert "工作通报 2026-10" in sheet["A1"].value and "山东省" in sheet["A1"].value
    assert [cell.value for cell in sheet[2]][:4] == ["排名", "地区代码", "地区", "得分"]
    assert sheet["A2"].font.b and sheet.freeze_panes == "A3"
    assert [sheet.cell(row=3, column=column).value for column in (1, 3, 4)] == [1, "济南市", 94]
    assert isinstance(sheet.cell(row=3, column=7).value, (int, float))
    assert workbook.sheetnames == ["排名", "总体情况", "进度靠后", "最好成绩"]

    document = Document(io.BytesIO(bulletin_report(content)))
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "SimSun"
    assert document.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "SimSun"
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "山东省" in text and "淄博市" in text and "济南市" in cells and "94" in cells


def test_the_monthly_task_run_twice_writes_one_bulletin_per_region_and_sends_each_notice_once(cast, period, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    regions = Region.objects.filter(level__in=["province", "city"]).count()
    written = services.write_bulletins(today=TODAY)
    assert len(written) == regions == Bulletin.objects.count()
    assert set(Bulletin.objects.values_list("issue", flat=True)) == {"2026-10"}
    province = Bulletin.objects.get(region_id="370000")
    assert province.as_of == date(2026, 10, 31) and province.workbook and province.report
    assert province.content["ranking"][0]["name"] == "济南市"
    notices = Notification.objects.filter(key__startswith="assessment-bulletin:")
    assert set(notices.values_list("recipient__username", "key")) == {
        (cast["province_staff"].username, "assessment-bulletin:370000:2026-10"),
        (cast["city_staff"].username, "assessment-bulletin:370100:2026-10"),
    }
    assert notices.get(recipient=cast["city_staff"]).link == reverse(
        "assessment:bulletin_detail", args=[Bulletin.objects.get(region_id=JINAN).pk]
    )

    assert services.write_bulletins(today=TODAY) == []
    assert Bulletin.objects.count() == regions and notices.count() == 2
    # The scores moved meanwhile: the bulletin written stays as it was
    RegionScore.objects.filter(period=period, region_id=JINAN).update(score=Decimal("10"))
    services.write_bulletins(today=TODAY)
    province.refresh_from_db()
    assert province.content["ranking"][0]["score"] == 94

    # The Celery task, on the beat's day, twice: the next month's bulletins, each notice once
    with on(local(2026, 12, 1, 6)):
        tasks.write_bulletins.delay()
        tasks.write_bulletins.delay()
    assert Bulletin.objects.filter(issue="2026-11").count() == regions
    assert notices.count() == 4


def test_no_bulletin_without_an_open_period_holding_the_month(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    AssessmentPeriod.objects.create(label="2025", start=date(2025, 1, 1), end=date(2025, 12, 31), status="closed")
    assert services.write_bulletins(today=date(2025, 11, 1)) == []
    assert not Bulletin.objects.exists()


@pytest.fixture
def bulletins(period, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.write_bulletins(today=TODAY)
    return {code: Bulletin.objects.get(region_id=code) for code in ("370000", JINAN, QINGDAO)}


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_bulletin_list_shows_the_readers_region_and_below(cast, bulletins):
    province = client_of(cast["province_staff"]).get(reverse("assessment:bulletin_list"))
    assert province.status_code == 200 and len(province.context["page"].object_list) == Bulletin.objects.count()
    city = client_of(cast["city_staff"]).get(reverse("assessment:bulletin_list"))
    assert [bulletin.region_id for bulletin in city.context["page"]] == [JINAN]
    filtered = client_of(cast["reviewer"]).get(reverse("assessment:bulletin_list"), {"region": QINGDAO})
    assert [bulletin.region_id for bulletin in filtered.context["page"]] == [QINGDAO]
    county = client_of(cast["county_staff"]).get(reverse("assessment:bulletin_list"))
    assert county.status_code == 200 and not county.context["page"].object_list


def test_a_bulletin_page_is_printable_links_each_region_to_its_report_and_stays_readable(cast, bulletins):
    page = client_of(cast["reviewer"]).get(reverse("assessment:bulletin_detail", args=[bulletins["370000"].pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "print-sheet" in html and "data-print" in html
    assert reverse("assessment:region_report", args=["2026", JINAN]) in html
    assert reverse("assessment:region_report", args=["2026", ZIBO]) in html  # behind
    # An earlier bulletin stays readable after the period is closed and refreshed no more
    AssessmentPeriod.objects.filter(pk=bulletins["370000"].period_id).update(status="closed", closed_at=timezone.now())
    assert (
        client_of(cast["province_staff"]).get(reverse("assessment:bulletin_detail", args=[bulletins["370000"].pk])).status_code
        == 200
    )
    # The city's staff see their own bulletin, not the province's
    city = client_of(cast["city_staff"])
    assert city.get(reverse("assessment:bulletin_detail", args=[bulletins[JINAN].pk])).status_code == 200
    assert city.get(reverse("assessment:bulletin_detail", args=[bulletins["370000"].pk])).status_code == 404
    assert city.get(reverse("assessment:bulletin_detail", args=[bulletins[QINGDAO].pk])).status_code == 404


def test_a_bulletins_files_are_downloaded_through_the_fence(cast, bulletins):
    city = client_of(cast["city_staff"])
    workbook = city.get(reverse("assessment:bulletin_workbook", args=[bulletins[JINAN].pk]))
    assert workbook.status_code == 200
    assert workbook["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert workbook["X-Content-Type-Options"] == "nosniff" and workbook["Content-Disposition"].startswith("attachment")
    openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content)))
    report = city.get(reverse("assessment:bulletin_report", args=[bulletins[JINAN].pk]))
    assert report.status_code == 200 and report["Content-Type"].endswith("wordprocessingml.document")
    Document(io.BytesIO(b"".join(report.streaming_content)))
    assert city.get(reverse("assessment:bulletin_report", args=[bulletins["370000"].pk])).status_code == 404
    assert client_of(cast["cadre"]).get(reverse("assessment:bulletin_workbook", args=[bulletins[JINAN].pk])).status_code == 403
    # A file gone from the disk is a 404, never a server error
    bulletins[JINAN].report.storage.delete(bulletins[JINAN].report.name)
    assert city.get(reverse("assessment:bulletin_report", args=[bulletins[JINAN].pk])).status_code == 404
    Bulletin.objects.filter(pk=bulletins[JINAN].pk).update(workbook="")
    assert city.get(reverse("assessment:bulletin_workbook", args=[bulletins[JINAN].pk])).status_code == 404


def test_a_bulletin_with_little_content_still_renders(cast, period, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bulletin = Bulletin.objects.create(
        period=period,
        region_id=JINAN,
        issue="2026-03",
        as_of=date(2026, 3, 31),
        content={},
        workbook=ContentFile(b"x", name="t.xlsx"),
    )
    assert client_of(cast["city_staff"]).get(reverse("assessment:bulletin_detail", args=[bulletin.pk])).status_code == 200
