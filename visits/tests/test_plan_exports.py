"""The plan's ledgers: the due list (an export of exports.kinds, at once or in the background) and a cadre's
plan for the year, both fenced as their pages are, and the pages' export buttons and printed title."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from exports import services
from exports.models import ExportJob, ExportStatus

from .test_cadence import make_visit
from .test_plan_views import on_track_assignment, overdue_assignment

pytestmark = pytest.mark.django_db

DUE_EXPORT = reverse("visits:due_export")
PLAN_EXPORT = reverse("visits:plan_export")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def liaisons(cast):
    """Liaisons of 历下区 (the cast's cadre and a colleague) and of 市中区 (370103), as test_plan_views has them."""
    colleague = UserFactory(username="t_lx_colleague", region_id="370102", roles=[Role.CADRE], full_name="同区干部")
    return {
        "mine_overdue": overdue_assignment(cast["cadre"], "我的逾期企业"),
        "mine_on_track": on_track_assignment(cast["cadre"], "我的正常企业"),
        "colleague": overdue_assignment(colleague, "同事的企业"),
        "other_county": overdue_assignment(cast["other_county_cadre"], "市中区企业", region_id="370103"),
    }


def sheet_of(response):
    assert response.status_code == 200, response
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]


def records_of(sheet):
    """The rows below the title and the header, by their header."""
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def signed_in(client, user):
    client.force_login(user)
    return client


# The due list


def test_a_cadres_due_list_holds_their_own_liaisons_most_urgent_first(client, cast, liaisons):
    sheet = sheet_of(signed_in(client, cast["cadre"]).get(DUE_EXPORT))

    assert sheet["A1"].value.startswith("应走访企业清单") and cast["cadre"].display_name in sheet["A1"].value
    rows = records_of(sheet)
    assert [row["企业名称"] for row in rows] == ["我的逾期企业", "我的正常企业"]
    overdue, on_track = rows
    assert (overdue["状态"], on_track["状态"]) == ("逾期", "正常")
    assignment = liaisons["mine_overdue"]
    assignment.refresh_from_db()
    assert overdue["应走访日期"].date() == assignment.next_due_on, "a date cell"
    assert overdue["逾期天数"] == (timezone.localdate() - assignment.next_due_on).days and on_track["逾期天数"] is None
    assert overdue["走访周期（月）"] == 3 and overdue["联系层级"] == "县级"


def test_the_due_list_of_county_staff_is_their_regions_and_never_another_countys(client, cast, liaisons):
    sheet = sheet_of(signed_in(client, cast["county_staff"]).get(DUE_EXPORT))

    assert "济南市 历下区" in sheet["A1"].value
    assert {row["企业名称"] for row in records_of(sheet)} == {"我的逾期企业", "我的正常企业", "同事的企业"}
    assert {row["企业名称"] for row in records_of(sheet_of(client.get(DUE_EXPORT, {"state": "overdue"})))} == {
        "我的逾期企业",
        "同事的企业",
    }

    other = sheet_of(signed_in(client, cast["other_county_staff"]).get(DUE_EXPORT))
    assert [row["企业名称"] for row in records_of(other)] == ["市中区企业"]
    # A region outside theirs matches nothing, as on the page.
    assert records_of(sheet_of(client.get(DUE_EXPORT, {"region": "370102"}))) == []


def test_the_due_list_of_one_cadre_is_titled_with_their_name(client, cast, liaisons):
    colleague = liaisons["colleague"].official
    sheet = sheet_of(signed_in(client, cast["county_staff"]).get(DUE_EXPORT, {"cadre": colleague.pk}))

    assert colleague.display_name in sheet["A1"].value
    assert [row["企业名称"] for row in records_of(sheet)] == ["同事的企业"]


def test_a_large_due_list_is_written_in_the_background_with_the_same_rows(client, cast, liaisons, settings):
    client = signed_in(client, cast["city_staff"])
    at_once = [row["企业名称"] for row in records_of(sheet_of(client.get(DUE_EXPORT)))]
    settings.EXPORT_INLINE_ROWS = 1

    response = client.get(DUE_EXPORT)

    assert response.status_code == 302
    job = ExportJob.objects.get(kind="due_visits")
    services.run_export_job(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    written = sheet_of(client.get(reverse("exports:download", args=[job.pk])))
    assert [row["企业名称"] for row in records_of(written)] == at_once and "市中区企业" in at_once


def test_the_due_page_offers_its_export_with_the_same_filters_and_a_printed_title(client, cast, liaisons):
    page = signed_in(client, cast["county_staff"]).get(reverse("visits:due"), {"state": "overdue", "page": "1"})

    body = page.content.decode()
    assert f'href="{DUE_EXPORT}?state=overdue"' in body
    assert 'data-testid="print-heading"' in body and "print-subject" in body and "济南市 历下区" in body


# A cadre's plan for the year


def test_a_cadres_plan_for_the_year_has_a_column_per_month(client, cast, liaisons):
    visited = liaisons["mine_on_track"]
    make_visit(visited.enterprise, cast["cadre"], visited_on=timezone.localdate())

    response = signed_in(client, cast["cadre"]).get(PLAN_EXPORT)

    assert response["Content-Disposition"].startswith("attachment")
    sheet = sheet_of(response)
    assert sheet["A1"].value.startswith(f"{timezone.localdate().year}年度走访计划")
    assert cast["cadre"].display_name in sheet["A1"].value
    rows = {row["企业名称"]: row for row in records_of(sheet)}
    assert set(rows) == {"我的逾期企业", "我的正常企业"}
    month = f"{timezone.localdate().month}月"
    assert "已走访" in rows["我的正常企业"][month] and rows["我的正常企业"]["本年已走访次数"] == 1
    assert rows["我的逾期企业"]["状态"] == "逾期" and rows["我的逾期企业"]["本年已走访次数"] == 0


def test_staff_export_the_plan_of_a_cadre_of_their_region_only(client, cast, liaisons):
    colleague = liaisons["colleague"].official
    client = signed_in(client, cast["county_staff"])
    rows = records_of(sheet_of(client.get(PLAN_EXPORT, {"cadre": colleague.pk})))
    assert [row["企业名称"] for row in rows] == ["同事的企业"]

    signed_in(client, cast["other_county_staff"])
    assert client.get(PLAN_EXPORT, {"cadre": colleague.pk}).status_code == 404
    assert client.get(PLAN_EXPORT, {"cadre": "not-a-number"}).status_code == 404


def test_a_cadre_cannot_export_a_colleagues_plan(client, cast, liaisons):
    colleague = liaisons["colleague"].official
    rows = records_of(sheet_of(signed_in(client, cast["cadre"]).get(PLAN_EXPORT, {"cadre": colleague.pk})))
    assert {row["企业名称"] for row in rows} == {"我的逾期企业", "我的正常企业"}, "a cadre reads their own plan only"


def test_the_plan_page_offers_its_export_and_a_printed_title(client, cast, liaisons):
    colleague = liaisons["colleague"].official
    body = signed_in(client, cast["county_staff"]).get(reverse("visits:plan"), {"cadre": colleague.pk}).content.decode()

    assert f'href="{PLAN_EXPORT}?cadre={colleague.pk}"' in body
    assert 'data-testid="print-heading"' in body and colleague.display_name in body


def test_no_plan_no_export_button(client, cast):
    body = signed_in(client, cast["cadre"]).get(reverse("visits:plan")).content.decode()
    assert PLAN_EXPORT not in body
    assert client.get(PLAN_EXPORT).status_code == 200, "an empty plan is still a ledger with its header"


def test_a_plan_of_an_overdue_liaison_from_last_year_counts_it_as_still_to_do(client, cast):
    assignment = overdue_assignment(cast["cadre"], "去年逾期企业")
    on_track_assignment(cast["cadre"], "新企业")
    rows = {row["企业名称"]: row for row in records_of(sheet_of(signed_in(client, cast["cadre"]).get(PLAN_EXPORT)))}
    assignment.refresh_from_db()
    assert assignment.next_due_on < timezone.localdate() - timedelta(days=1)
    assert rows["去年逾期企业"]["尚需走访次数（至年底）"] >= 1
