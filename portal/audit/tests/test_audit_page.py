"""The audit trail page and its export: administrators read the changes of their region and below, filtered
by person, kind of record and days, in a bounded number of queries; never a password."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import services as account_services
from accounts.models import Region
from accounts.roles import Role
from accounts.tests.factories import DepartmentFactory, UserFactory
from exports.models import ExportJob
from forums.tests.factories import ForumFactory
from problems.models import CalendarDay
from visits.models import CadenceRule
from visits.tests.factories import PolicyFactory

from .helpers import request_by

pytestmark = pytest.mark.django_db

TRAIL = reverse("audit:trail")
EXPORT = reverse("audit:export")


@pytest.fixture
def changes(cast):
    """A forum of 历下区 and one of 市中区 changed by their staff, and the province's visit cadence changed by
    the province's administrator."""
    lixia_forum = ForumFactory(theme="历下区座谈会")
    shizhong_forum = ForumFactory(theme="市中区座谈会", region=Region.objects.get(code="370103"), level="county")
    with request_by(cast["county_staff"], "198.51.100.1"):
        lixia_forum.venue = "历下区政务中心"
        lixia_forum.save()
    with request_by(cast["other_county_staff"], "198.51.100.2"):
        shizhong_forum.venue = "市中区政务中心"
        shizhong_forum.save()
    with request_by(cast["admin"], "198.51.100.3"):
        rule = CadenceRule.objects.get(level="county")
        rule.due_soon_days = 12
        rule.save()
    return {"lixia": lixia_forum, "shizhong": shizhong_forum}


def _text(response):
    return response.content.decode()


def test_a_county_administrator_reads_the_county_and_nothing_else(client, cast, changes):
    client.force_login(cast["county_admin"])
    page = _text(client.get(TRAIL))
    assert "历下区政务中心" in page and "198.51.100.1" in page
    assert cast["county_staff"].display_name in page
    assert reverse("forums:detail", args=[changes["lixia"].pk]) in page
    # Another county's changes and the province-wide settings are not theirs to read.
    assert "市中区政务中心" not in page and "198.51.100.2" not in page
    assert "198.51.100.3" not in page


def test_the_province_administrator_reads_every_region_and_the_province_wide_settings(client, cast, changes):
    client.force_login(cast["admin"])
    page = _text(client.get(TRAIL))
    for seen in ("历下区政务中心", "市中区政务中心", "198.51.100.3", str(CadenceRule._meta.verbose_name)):
        assert seen in page


def test_a_region_outside_ones_own_is_a_404_for_the_page_and_the_export(client, cast, changes):
    client.force_login(cast["county_admin"])
    assert client.get(TRAIL, {"region": "370103"}).status_code == 404
    assert client.get(EXPORT, {"region": "370103"}).status_code == 404
    assert client.get(EXPORT, {"region": "990000"}).status_code == 404
    assert not ExportJob.objects.exists()


def test_roles_without_the_audit_permission_are_refused(client, cast):
    for role in ("county_staff", "reviewer", "cadre"):
        client.force_login(cast[role])
        assert client.get(TRAIL).status_code == 403
        assert client.get(EXPORT).status_code == 403


def test_filters_by_person_kind_region_and_days(client, cast, changes):
    client.force_login(cast["admin"])
    by_person = _text(client.get(TRAIL, {"person": cast["other_county_staff"].pk}))
    assert "市中区政务中心" in by_person and "历下区政务中心" not in by_person

    by_kind = _text(client.get(TRAIL, {"kind": "visits.cadencerule"}))
    assert "198.51.100.3" in by_kind and "198.51.100.1" not in by_kind

    by_region = _text(client.get(TRAIL, {"region": "370102"}))
    assert "历下区政务中心" in by_region and "市中区政务中心" not in by_region and "198.51.100.3" not in by_region

    today = timezone.localdate()
    assert "历下区政务中心" in _text(client.get(TRAIL, {"since": today.isoformat(), "until": today.isoformat()}))
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert "历下区政务中心" not in _text(client.get(TRAIL, {"since": tomorrow}))


def test_a_filter_that_is_not_valid_says_so_and_shows_nothing(client, cast, changes):
    client.force_login(cast["admin"])
    response = client.get(TRAIL, {"since": "2026-05-02", "until": "2026-05-01", "kind": "nothing.here"})
    assert response.status_code == 200
    page = _text(response)
    assert "is-invalid" in page and "历下区政务中心" not in page


def test_the_password_never_appears(client, cast):
    official = UserFactory(username="lx_new", region_id="370102")
    with request_by(cast["county_admin"]):
        account_services.reset_password(official=official, password="Unique-Secret-Value-93")
    official.refresh_from_db()
    client.force_login(cast["county_admin"])
    page = _text(client.get(TRAIL, {"kind": "accounts.user"}))
    assert official.display_name in page
    assert "Unique-Secret-Value-93" not in page and official.password not in page
    export = client.get(EXPORT, {"kind": "accounts.user"})
    cells = [str(cell) for row in load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values for cell in row]
    assert not any("Unique-Secret-Value-93" in cell or official.password in cell for cell in cells)


def test_a_role_change_shows_on_the_page(client, cast):
    official = UserFactory(username="lx_new", region_id="370102", roles=[Role.CADRE])
    with request_by(cast["county_admin"]):
        account_services.update_official(official=official, roles=[Role.CADRE, Role.HANDLER])
    client.force_login(cast["county_admin"])
    page = _text(client.get(TRAIL, {"kind": "accounts.user", "person": cast["county_admin"].pk}))
    assert str(Role.HANDLER.label) in page


def test_the_page_reads_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries):
    def change_many(count, start):
        for number in range(start, start + count):
            forum = ForumFactory(theme=f"座谈会{number}")
            department = DepartmentFactory(name=f"部门{number}")
            official = UserFactory(username=f"bulk{number}", region_id="370102", roles=[Role.CADRE])
            CalendarDay.objects.create(date=date(2030, 1, 1) + timedelta(days=number), is_working_day=False)
            with request_by(cast["admin"]):
                forum.venue = f"会议室{number}"
                forum.save()
                department.name = f"部门{number}号"
                department.save()
                account_services.update_official(official=official, roles=[Role.STAFF], title="干事")
                PolicyFactory(title=f"政策{number}")

    client.force_login(cast["admin"])
    change_many(3, 0)
    with django_assert_max_num_queries(40) as few:
        assert client.get(TRAIL).status_code == 200
    change_many(12, 3)
    with django_assert_max_num_queries(len(few)) as many:
        page = _text(client.get(TRAIL))
    assert page.count('data-testid="audit-entry"') == 25
    assert len(many) <= len(few), (len(few), len(many))


def test_the_export_holds_the_pages_rows(client, cast, changes):
    client.force_login(cast["county_admin"])
    response = client.get(EXPORT)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell for cell in row] for row in sheet.values]
    header = next(index for index, row in enumerate(rows) if row[0] == "序号")
    assert rows[header] == ["序号", "时间", "操作人", "来源地址", "记录类型", "记录", "操作", "变更内容"]
    body = rows[header + 1 :]
    assert any(
        row[2] == cast["county_staff"].display_name and row[3] == "198.51.100.1" and "历下区政务中心" in row[7] for row in body
    )
    assert not any("市中区政务中心" in str(row[7]) for row in body)
    assert not any(row[3] == "198.51.100.3" for row in body)


def test_the_navigation_offers_the_trail_to_administrators_only(client, cast):
    client.force_login(cast["county_admin"])
    assert TRAIL in _text(client.get(reverse("home")))
    client.force_login(cast["county_staff"])
    assert TRAIL not in _text(client.get(reverse("home")))


def test_a_large_export_is_written_in_the_background_with_the_same_rows(client, cast, changes, settings, tmp_path):
    from exports import services as export_services
    from exports.models import ExportStatus

    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast["county_admin"])
    at_once = [row for row in load_workbook(io.BytesIO(b"".join(client.get(EXPORT).streaming_content))).active.values]
    settings.EXPORT_INLINE_ROWS = 0
    assert client.get(EXPORT).status_code == 302
    job = ExportJob.objects.get(kind="audit_trail")
    export_services.run_export_job(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    download = client.get(reverse("exports:download", args=[job.pk]))
    in_background = [row for row in load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values]
    assert in_background == at_once
    assert any(row[3] == "198.51.100.1" for row in in_background)
