"""Importing enterprises and liaison assignments from .xlsx/.csv (upload, preview, confirm), the
templates, and the export of the filtered list.

Pages are requested in English, so that the messages checked here stay stable once the Chinese
translations are added; the row numbers and the (always Chinese) column headers are the same in
every language.
"""

import csv
import io
import os
import re
import zipfile
from datetime import timedelta
from urllib.parse import quote

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Region
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from enterprises import services
from enterprises.credit_codes import build_credit_code
from enterprises.io import imports, spreadsheets
from enterprises.io.columns import Col
from enterprises.io.resources import AssignmentResource, EnterpriseResource
from enterprises.models import Enterprise, ImportJob, ImportStatus, LiaisonAssignment, Ownership, Size, Status, Tag
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from exports.writing import XLSX_CONTENT_TYPE

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("enterprises:import")
EXPORT_URL = reverse("enterprises:export")
ENTERPRISE_HEADERS = EnterpriseResource.COLUMNS
ASSIGNMENT_HEADERS = AssignmentResource.COLUMNS


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def signed_in(user, language="en"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def staff(cast):
    """The united-front staff member of 历下区 (370102)."""
    return signed_in(cast["county_staff"])


def zh(choice):
    """A choice's label as the spreadsheet holds it: the Simplified Chinese one."""
    with translation.override("zh-hans"):
        return str(choice.label)


def code(serial, division="370102"):
    return build_credit_code(division=division, serial=serial)


def enterprise_row(serial, **overrides):
    row = {
        Col.NAME: f"历下导入测试{serial}有限公司",
        Col.CREDIT_CODE: code(serial),
        Col.REGION: "370102",
        Col.ADDRESS: "经十路 1 号",
        Col.INDUSTRY: "C",
        Col.OWNERSHIP: zh(Ownership.PRIVATE),
        Col.SIZE: zh(Size.SMALL),
        Col.STATUS: zh(Status.OPERATING),
        Col.EMPLOYEES: "120",
        Col.REVENUE: "3500.5",
        Col.LEGAL_REPRESENTATIVE: "张三",
        Col.CONTACT_NAME: "李四",
        Col.CONTACT_MOBILE: "13800138000",
        Col.TAGS: "专精特新、高新技术企业",
    }
    return {**row, **overrides}


def xlsx_bytes(rows, headers=ENTERPRISE_HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def csv_bytes(rows, headers=ENTERPRISE_HEADERS, encoding="utf-8"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows([[row.get(header, "") for header in headers] for row in rows])
    return text.getvalue().encode(encoding)


def xlsx_file(rows, headers=ENTERPRISE_HEADERS, name="企业.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(rows, headers))


def upload(client, file, kind="enterprises"):
    return client.post(IMPORT_URL, {"kind": kind, "file": file})


def preview(client, file, kind="enterprises"):
    """Upload `file` and open its preview: (preview URL, the report, the page)."""
    response = upload(client, file, kind)
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(response["Location"])
    assert page.status_code == 200
    return response["Location"], page.context["report"], page


def upload_refused(client, file, kind="enterprises"):
    """Upload a file that must be refused at once; return the message the form shows."""
    response = upload(client, file, kind)
    assert response.status_code == 200, "the file was accepted"
    [message] = response.context["form"].errors["file"]
    assert message in response.content.decode()
    return message


def errors_of(report):
    return [(row.number, error.column, error.message) for row in report.error_rows for error in row.errors]


def stored_uploads(media_root):
    folder = media_root / "imports"
    return sorted(path.name for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


# Templates


@pytest.mark.parametrize(("kind", "headers"), [("enterprises", ENTERPRISE_HEADERS), ("assignments", ASSIGNMENT_HEADERS)])
def test_template_is_an_xlsx_with_chinese_headers_and_an_example_row(staff, kind, headers):
    response = staff.get(reverse("enterprises:import_template", args=[kind]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "filename*=utf-8''" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == headers
    assert headers[0] in {"企业名称", "统一社会信用代码"}
    assert any(rows[1]), "the template has an example row"
    assert len(workbook.worksheets) == 2, "a second sheet explains the columns"


def test_enterprise_template_example_row_previews_without_errors(staff):
    response = staff.get(reverse("enterprises:import_template", args=["enterprises"]))
    template = SimpleUploadedFile("模板.xlsx", b"".join(response.streaming_content))

    _url, report, _page = preview(staff, template)

    assert report.counts == {"new": 1, "update": 0, "unchanged": 0, "error": 0}


def test_unknown_template_kind_is_404(staff):
    assert staff.get(reverse("enterprises:import_template", args=["visits"])).status_code == 404


@pytest.mark.parametrize("role", ["cadre", "handler", "reviewer"])
def test_roles_without_the_import_permission_get_403(cast, role):
    client = signed_in(cast[role])
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(reverse("enterprises:import_template", args=["enterprises"])).status_code == 403
    assert client.get(reverse("enterprises:import_preview", args=["0" * 32])).status_code == 403


# Importing enterprises: the happy paths


def test_valid_xlsx_previews_then_imports_on_confirm(staff, cast, media_root):
    existing = EnterpriseFactory(region_id="370102", credit_code=code(3), name="旧名称有限公司")
    file = xlsx_file([enterprise_row(1), enterprise_row(2, **{Col.TAGS: ""}), enterprise_row(3)])

    url, report, page = preview(staff, file)

    assert report.counts == {"new": 2, "update": 1, "unchanged": 0, "error": 0}
    assert [(row.number, row.action) for row in report.rows] == [(2, "new"), (3, "new"), (4, "update")]
    update = report.rows[2]
    assert Col.NAME in update.detail and Col.TAGS in update.detail
    badges = re.findall(
        r'data-row="(\d+)">\s*<td>\s*\d+\s*</td>\s*<td>\s*<span class="badge text-bg-(\w+)"', page.content.decode()
    )
    assert badges == [("2", "success"), ("3", "success"), ("4", "primary")], "new rows green, updates blue"
    assert Enterprise.objects.count() == 1, "the preview saves nothing"
    assert b'data-testid="import-confirm"' in page.content

    response = staff.post(url, {"action": "confirm"})

    # The import runs in a Celery worker (inline here); the page then shows the job's outcome.
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:import_job", args=[job.pk])
    assert job.status == ImportStatus.DONE and job.owner == cast["county_staff"]
    assert Enterprise.objects.count() == 3
    first = Enterprise.objects.get(credit_code=code(1))
    assert first.region_id == "370102" and first.industry_id == "C"
    assert (first.size, first.ownership, first.status) == (Size.SMALL, Ownership.PRIVATE, Status.OPERATING)
    assert first.employees == 120 and str(first.annual_revenue) == "3500.50"
    assert sorted(tag.name for tag in first.tags.all()) == ["专精特新", "高新技术企业"]
    assert Enterprise.objects.get(credit_code=code(2)).tags.count() == 0
    existing.refresh_from_db()
    assert existing.name == enterprise_row(3)[Col.NAME]
    assert existing.history.first().history_user == cast["county_staff"]
    assert stored_uploads(media_root) == [], "the upload is removed once imported"
    assert "2 new, 1 updated, 0 unchanged" in staff.get(response["Location"]).content.decode()


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_gbk_or_utf8_imports(staff, encoding):
    file = SimpleUploadedFile("企业.csv", csv_bytes([enterprise_row(1), enterprise_row(2)], encoding=encoding))

    url, report, _page = preview(staff, file)
    assert report.counts["new"] == 2 and not report.has_errors
    staff.post(url, {"action": "confirm"})

    assert set(Enterprise.objects.values_list("name", flat=True)) == {
        enterprise_row(1)[Col.NAME],
        enterprise_row(2)[Col.NAME],
    }


def test_reimporting_the_same_file_changes_nothing(staff):
    content = xlsx_bytes([enterprise_row(1), enterprise_row(2)])
    url, _report, _page = preview(staff, SimpleUploadedFile("企业.xlsx", content))
    staff.post(url, {"action": "confirm"})
    history_rows = Enterprise.history.count()
    updated = dict(Enterprise.objects.values_list("pk", "updated_at"))

    url, report, page = preview(staff, SimpleUploadedFile("企业.xlsx", content))

    assert report.counts == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    assert b'data-testid="import-confirm"' not in page.content, "nothing to confirm"
    staff.post(url, {"action": "confirm"})
    assert Enterprise.history.count() == history_rows
    assert dict(Enterprise.objects.values_list("pk", "updated_at")) == updated


def test_an_export_imports_back_unchanged(staff, cast):
    enterprise = EnterpriseFactory(region_id="370102", employees=80, contact_mobile="13900001111")
    enterprise.tags.set(Tag.objects.filter(name__in=["专精特新", "老字号"]))
    AssignmentFactory(enterprise=enterprise, official=cast["cadre"])
    EnterpriseFactory(region_id="370102", annual_revenue="12.30")

    exported = b"".join(staff.get(EXPORT_URL).streaming_content)
    _url, report, _page = preview(staff, SimpleUploadedFile("企业名单.xlsx", exported))

    assert report.counts == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    assert not report.warnings, "the liaison column of the export is known and ignored quietly"


def test_a_changed_cell_is_reported_as_an_update_of_that_column(staff):
    enterprise = EnterpriseFactory(region_id="370102")
    exported = b"".join(staff.get(EXPORT_URL).streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(exported))
    sheet = workbook.worksheets[0]
    sheet.cell(row=2, column=ENTERPRISE_HEADERS.index(Col.CONTACT_MOBILE) + 1, value=13700001234)
    stream = io.BytesIO()
    workbook.save(stream)

    url, report, _page = preview(staff, SimpleUploadedFile("企业名单.xlsx", stream.getvalue()))

    assert [(row.action, row.detail) for row in report.rows] == [("update", Col.CONTACT_MOBILE)]
    staff.post(url, {"action": "confirm"})
    enterprise.refresh_from_db()
    assert enterprise.contact_mobile == "13700001234", "Excel's number became the text it was typed as"


def test_region_may_be_given_by_its_full_name_and_labels_in_english(staff):
    row = enterprise_row(1, **{Col.REGION: "济南市 历下区", Col.SIZE: "Medium", Col.INDUSTRY: "制造业"})

    url, report, _page = preview(staff, xlsx_file([row]))

    assert not report.has_errors, errors_of(report)
    staff.post(url, {"action": "confirm"})
    enterprise = Enterprise.objects.get()
    assert (enterprise.region_id, enterprise.size, enterprise.industry_id) == ("370102", Size.MEDIUM, "C")


def test_blank_choice_cells_keep_the_current_value(staff):
    enterprise = EnterpriseFactory(region_id="370102", status=Status.SUSPENDED, size=Size.LARGE)
    row = enterprise_row(0, **{Col.CREDIT_CODE: enterprise.credit_code, Col.STATUS: "", Col.OWNERSHIP: ""})
    url, report, _page = preview(staff, xlsx_file([row]))
    staff.post(url, {"action": "confirm"})

    enterprise.refresh_from_db()
    assert enterprise.status == Status.SUSPENDED
    assert enterprise.size == Size.SMALL


# Importing enterprises: bad rows


@pytest.mark.parametrize(
    ("overrides", "column", "reason"),
    [
        ({Col.CREDIT_CODE: "91370102000000777X"}, Col.CREDIT_CODE, "check digit"),
        ({Col.CREDIT_CODE: "123"}, Col.CREDIT_CODE, "18 characters"),
        ({Col.REGION: "999999"}, Col.REGION, "There is no region with the code 999999"),
        ({Col.REGION: "370103"}, Col.REGION, "is not in your region"),
        ({Col.REGION: "370100"}, Col.REGION, "is not a county-level region"),
        ({Col.REGION: "不存在区"}, Col.REGION, "No county-level region of yours is named 不存在区"),
        ({Col.INDUSTRY: "Z"}, Col.INDUSTRY, "Unknown industry Z"),
        ({Col.SIZE: "巨型"}, Col.SIZE, "巨型 is not one of"),
        ({Col.TAGS: "专精特新、不存在的标签"}, Col.TAGS, "Unknown tags: 不存在的标签"),
        ({Col.CONTACT_MOBILE: "1234"}, Col.CONTACT_MOBILE, "11-digit mobile number"),
        ({Col.EMPLOYEES: "很多"}, Col.EMPLOYEES, "whole number"),
        ({Col.REVENUE: "-5"}, Col.REVENUE, "greater than or equal to 0"),
        ({Col.NAME: ""}, Col.NAME, "cannot be blank"),
    ],
)
def test_a_bad_cell_is_reported_with_its_row_and_column_and_nothing_is_saved(staff, overrides, column, reason):
    file = xlsx_file([enterprise_row(1), enterprise_row(2, **overrides)])

    url, report, page = preview(staff, file)

    [(row, reported_column, message)] = errors_of(report)
    assert (row, reported_column) == (3, column)
    assert reason in message
    assert message in page.content.decode()
    assert b'data-testid="import-confirm"' not in page.content
    response = staff.post(url, {"action": "confirm"}, follow=True)
    assert response.status_code == 200
    assert Enterprise.objects.count() == 0, "the valid row is not imported either"


def test_a_retired_tag_may_stay_but_not_be_given_anew(staff):
    retired = Tag.objects.create(name="旧标签", is_active=False)
    keeps = EnterpriseFactory(region_id="370102")
    keeps.tags.set([retired])
    rows = [
        enterprise_row(0, **{Col.CREDIT_CODE: keeps.credit_code, Col.NAME: keeps.name, Col.TAGS: "旧标签"}),
        enterprise_row(2, **{Col.TAGS: "旧标签"}),
    ]

    _url, report, _page = preview(staff, xlsx_file(rows))

    assert report.rows[0].action == "update" and Col.TAGS not in report.rows[0].detail
    assert errors_of(report) == [(3, Col.TAGS, "Tags no longer in use: 旧标签.")]


def test_errors_are_in_the_readers_language(cast):
    client = signed_in(cast["county_staff"], language="zh-hans")

    _url, report, _page = preview(client, xlsx_file([enterprise_row(1, **{Col.CONTACT_MOBILE: "1234"})]))

    assert errors_of(report) == [(2, Col.CONTACT_MOBILE, "请输入以 1 开头的 11 位手机号码。")]


def test_a_credit_code_twice_in_the_file_is_an_error_on_the_second_row(staff):
    file = xlsx_file([enterprise_row(1), enterprise_row(2), enterprise_row(1, **{Col.NAME: "重复企业"})])

    _url, report, _page = preview(staff, file)

    [(row, column, message)] = errors_of(report)
    assert (row, column) == (4, Col.CREDIT_CODE)
    assert "already on row 2" in message


def test_an_enterprise_of_another_region_is_never_updated(staff):
    outside = EnterpriseFactory(region_id="370103", name="市中区企业", credit_code=code(5, division="370103"))
    row = enterprise_row(5, **{Col.CREDIT_CODE: outside.credit_code, Col.NAME: "改名企业"})

    url, report, _page = preview(staff, xlsx_file([row]))

    [(row_number, column, message)] = errors_of(report)
    assert (row_number, column) == (2, Col.CREDIT_CODE)
    assert "not in your region" in message
    staff.post(url, {"action": "confirm"})
    outside.refresh_from_db()
    assert outside.name == "市中区企业" and outside.region_id == "370103"


def test_the_region_fence_is_the_importing_officials_own(cast):
    """The same file, previewed by 历下区's staff and by 济南市's: the 市中区 row is refused for the first with
    the message it always had, and accepted for the second. The resource builds its region column for the
    official who imports; were that official not handed to it, the 历下区 row would be refused as well."""
    outside = Region.objects.get(code="370103")
    file_rows = [enterprise_row(1), enterprise_row(2, **{Col.REGION: outside.code})]

    _url, report, page = preview(signed_in(cast["county_staff"]), xlsx_file(file_rows))

    assert errors_of(report) == [(3, Col.REGION, f"{outside.name} ({outside.code}) is not in your region.")]
    assert f"{outside.name} ({outside.code}) is not in your region." in page.content.decode()
    _url, report, _page = preview(signed_in(cast["city_staff"]), xlsx_file(file_rows))
    assert errors_of(report) == []
    assert report.counts[report.NEW] == 2
    resource = EnterpriseResource(actor=cast["county_staff"])
    assert resource.fields["region"].widget.actor == cast["county_staff"]


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(staff):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(ENTERPRISE_HEADERS)
    sheet.append([enterprise_row(1)[header] for header in ENTERPRISE_HEADERS])
    sheet.append([])
    sheet.append([enterprise_row(2, **{Col.INDUSTRY: "Z"})[header] for header in ENTERPRISE_HEADERS])
    stream = io.BytesIO()
    workbook.save(stream)

    _url, report, _page = preview(staff, SimpleUploadedFile("企业.xlsx", stream.getvalue()))

    assert [(row.number, row.action) for row in report.rows] == [(2, "new"), (4, "error")]


def test_unknown_columns_are_ignored_with_a_warning(staff):
    headers = [*ENTERPRISE_HEADERS, "备注"]
    _url, report, page = preview(staff, xlsx_file([{**enterprise_row(1), "备注": "x"}], headers=headers))

    assert report.counts["new"] == 1
    assert "备注" in report.warnings[0]


# Bad files: refused at upload, with a message, nothing stored


def test_empty_file_is_refused(staff, media_root):
    assert "empty" in upload_refused(staff, SimpleUploadedFile("企业.csv", b""))
    assert "empty" in upload_refused(staff, SimpleUploadedFile("企业.xlsx", xlsx_bytes([], headers=[])))
    assert stored_uploads(media_root) == []


@pytest.mark.parametrize("name", ["企业.xlsx", "企业.csv"])
def test_header_only_file_is_refused(staff, name):
    content = xlsx_bytes([]) if name.endswith("xlsx") else csv_bytes([])

    assert "only the header row" in upload_refused(staff, SimpleUploadedFile(name, content))


def test_missing_columns_are_named(staff):
    headers = [header for header in ENTERPRISE_HEADERS if header not in (Col.REGION, Col.SIZE)]

    message = upload_refused(staff, xlsx_file([enterprise_row(1)], headers=headers))

    assert "Columns missing" in message and Col.REGION in message and Col.SIZE in message


def test_50000_rows_csv_is_refused_naming_the_count_and_the_limit(staff, media_root):
    # The required columns only, so that the file stays under the size limit.
    headers = EnterpriseResource.REQUIRED_COLUMNS
    row = ",".join(enterprise_row(1)[header] for header in headers)
    content = (",".join(headers) + "\n" + (row + "\n") * 50_000).encode()
    assert len(content) < spreadsheets.MAX_UPLOAD_BYTES

    message = upload_refused(staff, SimpleUploadedFile("企业.csv", content))

    assert "50,000 rows" in message and "the limit is 5,000" in message and "split" in message
    assert stored_uploads(media_root) == []


def test_50000_rows_xlsx_is_refused_before_it_is_opened_naming_the_limit(staff, media_root, monkeypatch):
    """Far over the limit, a workbook is refused by core.xlsx_guard while it is scanned, not after openpyxl read it."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(ENTERPRISE_HEADERS)
    for number in range(50_000):
        sheet.append([f"企业{number}"])
    stream = io.BytesIO()
    workbook.save(stream)
    monkeypatch.setattr(spreadsheets.openpyxl, "load_workbook", None)

    message = upload_refused(staff, SimpleUploadedFile("企业.xlsx", stream.getvalue()))

    assert "goes on to row" in message and "at most 5,000 rows" in message and "split it" in message.lower()
    assert stored_uploads(media_root) == []


def test_a_file_at_the_row_limit_is_accepted(staff, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    rows = [enterprise_row(serial) for serial in range(1, 4)]

    _url, report, _page = preview(staff, xlsx_file(rows))

    assert report.counts["new"] == 3
    assert "limit is 3" in upload_refused(staff, xlsx_file([*rows, enterprise_row(4)]))


@pytest.mark.parametrize(
    "content",
    [
        "企业名称,统一社会信用代码\n某企业,123\n".encode(),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00",
        b"PK\x03\x04 not really a zip archive",
    ],
    ids=["text", "png", "broken-zip"],
)
def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(staff, content):
    assert "not a valid Excel file" in upload_refused(staff, SimpleUploadedFile("企业.xlsx", content))


def test_a_zip_that_is_not_a_workbook_is_refused(staff):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")

    assert "not a valid Excel file" in upload_refused(staff, SimpleUploadedFile("企业.xlsx", stream.getvalue()))


def test_a_binary_file_named_csv_is_refused(staff):
    message = upload_refused(staff, SimpleUploadedFile("企业.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"))

    assert "UTF-8 or GBK" in message


@pytest.mark.parametrize(("name", "reason"), [("企业.txt", "Upload an .xlsx or .csv"), ("企业.xls", "save it as .xlsx")])
def test_other_file_types_are_refused(staff, name, reason):
    assert reason in upload_refused(staff, SimpleUploadedFile(name, b"anything"))


def test_a_file_over_the_size_limit_is_refused(staff, media_root):
    content = csv_bytes([enterprise_row(1)]) + b"#" * spreadsheets.MAX_UPLOAD_BYTES

    message = upload_refused(staff, SimpleUploadedFile("企业.csv", content))

    assert "the limit is 5.0" in message and "MB" in message
    assert stored_uploads(media_root) == []


def test_upload_without_a_file_shows_the_form_again(staff):
    response = staff.post(IMPORT_URL, {"kind": "enterprises"})

    assert response.status_code == 200 and "file" in response.context["form"].errors


# All or nothing at confirm time


def test_a_row_that_fails_at_confirm_saves_nothing_and_shows_the_error(staff, media_root):
    url, report, _page = preview(staff, xlsx_file([enterprise_row(1), enterprise_row(2)]))
    assert not report.has_errors
    # Between the preview and the confirmation, another region registers the second enterprise.
    EnterpriseFactory(region_id="370103", credit_code=code(2))

    response = staff.post(url, {"action": "confirm"}, follow=True)

    assert response.status_code == 200
    assert ImportJob.objects.get().status == ImportStatus.FAILED
    assert errors_of(response.context["report"])[0][:2] == (3, Col.CREDIT_CODE)
    assert "Nothing was imported" in response.content.decode()
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()
    assert stored_uploads(media_root) != [], "the upload stays for another try"


def test_a_database_error_at_confirm_rolls_back_every_row(staff, monkeypatch):
    url, _report, _page = preview(staff, xlsx_file([enterprise_row(1), enterprise_row(2), enterprise_row(3)]))
    original_save = Enterprise.save

    def failing_save(enterprise, *args, **kwargs):
        if enterprise.credit_code == code(3):
            raise IntegrityError("simulated failure")
        return original_save(enterprise, *args, **kwargs)

    monkeypatch.setattr(Enterprise, "save", failing_save)
    response = staff.post(url, {"action": "confirm"}, follow=True)

    assert response.status_code == 200
    assert [row.number for row in response.context["report"].error_rows] == [4]
    assert Enterprise.objects.count() == 0
    assert Tag.enterprises.through.objects.count() == 0


# Uploads belong to their uploader


def test_another_users_token_is_404_and_leaves_the_upload_alone(staff, cast, media_root):
    url, _report, _page = preview(staff, xlsx_file([enterprise_row(1)]))
    other = signed_in(cast["county_admin"])

    assert other.get(url).status_code == 404
    assert other.post(url, {"action": "confirm"}).status_code == 404
    assert other.post(url, {"action": "discard"}).status_code == 404
    assert Enterprise.objects.count() == 0
    assert staff.get(url).status_code == 200


@pytest.mark.parametrize("token", ["0" * 32, "not-a-token", "../../etc/passwd"])
def test_unknown_or_malformed_token_is_404(staff, token):
    assert staff.get(f"{IMPORT_URL}{token}/").status_code == 404


def test_discarding_an_upload_removes_it(staff, media_root):
    url, _report, _page = preview(staff, xlsx_file([enterprise_row(1)]))

    response = staff.post(url, {"action": "discard"})

    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert stored_uploads(media_root) == []
    assert staff.get(url).status_code == 404
    assert Enterprise.objects.count() == 0


def test_uploads_left_for_a_day_are_removed_at_the_next_upload(staff, cast, media_root):
    url, _report, _page = preview(staff, xlsx_file([enterprise_row(1)]))
    [old_upload] = list((media_root / "imports").rglob("*.xlsx"))
    a_day_ago = (timezone.now() - imports.UPLOAD_LIFETIME - timedelta(minutes=1)).timestamp()
    os.utime(old_upload, (a_day_ago, a_day_ago))

    preview(signed_in(cast["county_admin"]), xlsx_file([enterprise_row(2)]))

    assert not old_upload.exists()
    assert staff.get(url).status_code == 404
    assert len(stored_uploads(media_root)) == 1
    assert ImportJob.objects.count() == 1, "the stale upload's preview went with it"


# Importing liaison assignments


def assignment_row(enterprise, official, **overrides):
    row = {Col.CREDIT_CODE: enterprise.credit_code, Col.OFFICIAL_USERNAME: official.username}
    return {**row, **overrides}


def assignment_file(rows, encoding=None):
    if encoding:
        return SimpleUploadedFile("联系干部.csv", csv_bytes(rows, ASSIGNMENT_HEADERS, encoding=encoding))
    return xlsx_file(rows, headers=ASSIGNMENT_HEADERS, name="联系干部.xlsx")


def test_assignments_import_through_the_service_and_reimport_changes_nothing(staff, cast):
    first, second = EnterpriseFactory(region_id="370102"), EnterpriseFactory(region_id="370102")
    other_cadre = UserFactory(region_id="370102", roles=[Role.CADRE], full_name="前任干部")
    AssignmentFactory(enterprise=second, official=other_cadre)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    rows = [
        assignment_row(first, cast["cadre"], **{Col.STARTED_ON: yesterday, Col.REASON: "年度安排"}),
        assignment_row(second, cast["cadre"]),
    ]
    content = csv_bytes(rows, ASSIGNMENT_HEADERS, encoding="gbk")

    url, report, _page = preview(staff, SimpleUploadedFile("联系干部.csv", content), kind="assignments")

    assert [(row.number, row.action) for row in report.rows] == [(2, "new"), (3, "update")]
    assert "前任干部" in report.rows[1].detail
    assert LiaisonAssignment.objects.count() == 1
    staff.post(url, {"action": "confirm"})

    current = LiaisonAssignment.objects.current()
    assert set(current.values_list("enterprise", "official")) == {(first.pk, cast["cadre"].pk), (second.pk, cast["cadre"].pk)}
    imported = current.get(enterprise=first)
    assert imported.started_on.isoformat() == yesterday and imported.reason == "年度安排"
    assert imported.assigned_by == cast["county_staff"] and imported.level == "county"
    replaced = LiaisonAssignment.objects.get(official=other_cadre)
    assert replaced.ended_on == timezone.localdate()

    assignments = LiaisonAssignment.objects.count()
    url, report, _page = preview(staff, SimpleUploadedFile("联系干部.csv", content), kind="assignments")
    assert report.counts == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    staff.post(url, {"action": "confirm"})
    assert LiaisonAssignment.objects.count() == assignments


@pytest.mark.parametrize(
    ("case", "column", "reason"),
    [
        ("cadre_of_another_county", Col.OFFICIAL_USERNAME, "No official in your region has the username t_sz_cadre"),
        ("not_a_cadre", Col.OFFICIAL_USERNAME, "is not a liaison cadre"),
        ("unknown_username", Col.OFFICIAL_USERNAME, "No official in your region"),
        ("enterprise_of_another_county", Col.CREDIT_CODE, "No enterprise in your region"),
        ("future_start", Col.STARTED_ON, "cannot start in the future"),
        ("bad_date", Col.STARTED_ON, "YYYY-MM-DD"),
    ],
)
def test_bad_assignment_rows_are_reported_and_nothing_is_assigned(staff, cast, case, column, reason):
    enterprise = EnterpriseFactory(region_id="370102")
    outside = EnterpriseFactory(region_id="370103")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    bad = {
        "cadre_of_another_county": assignment_row(enterprise, cast["other_county_cadre"]),
        "not_a_cadre": assignment_row(enterprise, cast["handler"]),
        "unknown_username": assignment_row(enterprise, cast["cadre"], **{Col.OFFICIAL_USERNAME: "nobody"}),
        "enterprise_of_another_county": assignment_row(outside, cast["cadre"]),
        "future_start": assignment_row(enterprise, cast["cadre"], **{Col.STARTED_ON: tomorrow}),
        "bad_date": assignment_row(enterprise, cast["cadre"], **{Col.STARTED_ON: "下周一"}),
    }[case]
    good = assignment_row(EnterpriseFactory(region_id="370102"), cast["cadre"])

    url, report, _page = preview(staff, assignment_file([good, bad]), kind="assignments")

    [(row, reported_column, message)] = errors_of(report)
    assert (row, reported_column) == (3, column)
    assert reason in message
    staff.post(url, {"action": "confirm"})
    assert LiaisonAssignment.objects.count() == 0


def test_city_staff_cannot_give_an_enterprise_a_cadre_of_another_county(cast):
    """The cadre is visible to the city's staff, but their county does not hold the enterprise."""
    client = signed_in(cast["city_staff"])
    enterprise = EnterpriseFactory(region_id="370103")

    _url, report, _page = preview(client, assignment_file([assignment_row(enterprise, cast["cadre"])]), kind="assignments")

    [(row, column, message)] = errors_of(report)
    assert (row, column) == (2, Col.OFFICIAL_USERNAME)
    assert "region does not include" in message


def test_two_cadres_at_one_level_for_one_enterprise_is_an_error_on_the_second(staff, cast):
    enterprise = EnterpriseFactory(region_id="370102")
    another = UserFactory(region_id="370102", roles=[Role.CADRE])

    _url, report, _page = preview(
        staff,
        assignment_file([assignment_row(enterprise, cast["cadre"]), assignment_row(enterprise, another)]),
        kind="assignments",
    )

    [(row, column, message)] = errors_of(report)
    assert (row, column) == (3, Col.OFFICIAL_USERNAME)
    assert "Row 2 of the file already" in message


def test_an_assignment_failing_at_confirm_rolls_back_the_others(staff, cast, monkeypatch):
    enterprises = [EnterpriseFactory(region_id="370102") for _ in range(3)]
    url, _report, _page = preview(
        staff, assignment_file([assignment_row(e, cast["cadre"]) for e in enterprises]), kind="assignments"
    )
    calls = []
    real_assign = services.assign_liaison

    def assign_then_fail(**kwargs):
        calls.append(kwargs["enterprise"])
        if len(calls) == 3:
            raise ValidationError("simulated refusal")
        return real_assign(**kwargs)

    monkeypatch.setattr(services, "assign_liaison", assign_then_fail)
    response = staff.post(url, {"action": "confirm"}, follow=True)

    assert response.status_code == 200
    assert errors_of(response.context["report"]) == [(4, "", "simulated refusal")]
    assert LiaisonAssignment.objects.count() == 0


# Export


def exported_rows(client, query=""):
    response = client.get(f"{EXPORT_URL}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]], list(rows[0])


def test_export_has_the_template_headers_a_dated_name_and_the_liaisons(staff, cast):
    enterprise = EnterpriseFactory(region_id="370102", name="导出企业")
    AssignmentFactory(enterprise=enterprise, official=cast["cadre"])

    response = staff.get(EXPORT_URL)
    rows, headers = exported_rows(staff)

    expected_name = f"企业名单-{timezone.localdate():%Y%m%d}.xlsx"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote(expected_name)
    assert headers == [*ENTERPRISE_HEADERS, Col.CURRENT_LIAISONS]
    [row] = rows
    assert row[Col.NAME] == "导出企业" and row[Col.REGION] == "370102"
    assert cast["cadre"].display_name in row[Col.CURRENT_LIAISONS]


def test_export_holds_what_the_filter_selects(staff):
    EnterpriseFactory(region_id="370102", name="甲科技", size=Size.LARGE)
    EnterpriseFactory(region_id="370102", name="乙科技", size=Size.SMALL)

    rows, _headers = exported_rows(staff, "size=large")
    assert [row[Col.NAME] for row in rows] == ["甲科技"]
    rows, _headers = exported_rows(staff, "q=乙")
    assert [row[Col.NAME] for row in rows] == ["乙科技"]


def test_county_export_never_holds_another_countys_enterprise(staff, cast):
    EnterpriseFactory(region_id="370102", name="历下企业")
    EnterpriseFactory(region_id="370103", name="市中企业")

    rows, _headers = exported_rows(staff)
    assert [row[Col.NAME] for row in rows] == ["历下企业"]
    rows, _headers = exported_rows(staff, "region=370103")
    assert rows == [], "a region outside the fence selects nothing"
    rows, _headers = exported_rows(signed_in(cast["city_staff"]))
    assert {row[Col.NAME] for row in rows} == {"历下企业", "市中企业"}


def test_export_queries_do_not_grow_with_the_enterprises(staff, cast, django_assert_max_num_queries):
    for _ in range(30):
        enterprise = EnterpriseFactory(region_id="370102")
        enterprise.tags.set(Tag.objects.filter(name="专精特新"))
        AssignmentFactory(enterprise=enterprise, official=cast["cadre"])

    with django_assert_max_num_queries(12):
        response = staff.get(EXPORT_URL)
        content = b"".join(response.streaming_content)

    assert len(list(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].iter_rows())) == 31


def test_every_role_may_export_but_not_post(cast):
    cadre = signed_in(cast["cadre"])

    assert cadre.get(EXPORT_URL).status_code == 200
    assert cadre.post(EXPORT_URL).status_code == 405


def test_text_that_looks_like_a_formula_is_exported_as_text(staff):
    EnterpriseFactory(region_id="370102", name='=HYPERLINK("http://example.com")')

    response = staff.get(EXPORT_URL)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = workbook.worksheets[0]["A2"]

    assert cell.data_type == "s"


# Confirmed imports run in a Celery worker


def test_confirming_twice_imports_once(staff, monkeypatch):
    from enterprises.io import tasks

    queued = []
    monkeypatch.setattr(tasks.apply_import, "delay", queued.append)  # the worker has not started yet
    url, _report, _page = preview(staff, xlsx_file([enterprise_row(1)]))
    first = staff.post(url, {"action": "confirm"})
    second = staff.post(url, {"action": "confirm"})  # a double click
    assert first["Location"] == second["Location"]
    assert ImportJob.objects.count() == 1 and len(queued) == 1
    imports.run_import_job(queued[0])
    assert Enterprise.objects.count() == 1
    again = staff.post(url, {"action": "confirm"})
    assert again["Location"] == first["Location"], "the preview of an imported file leads to its import"
    assert len(queued) == 1 and Enterprise.objects.count() == 1


def test_the_owner_is_notified_when_the_import_is_done(staff, cast):
    url, _report, _page = preview(staff, xlsx_file([enterprise_row(1), enterprise_row(2)]))
    staff.post(url, {"action": "confirm"})
    notification = cast["county_staff"].notifications.get()
    # Stored as a message: each reader reads it in their own language (notifications.texts).
    with translation.override("en"):
        assert "2 new" in notification.display_title
    with translation.override("zh-hans"):
        assert "新增 2 条" in notification.display_title
    assert notification.link == reverse("enterprises:import_job", args=[ImportJob.objects.get().pk])


def test_a_job_is_run_once_even_when_two_workers_get_it(staff):
    url, _report, _page = preview(staff, xlsx_file([enterprise_row(1)]))
    staff.post(url, {"action": "confirm"})
    job = ImportJob.objects.get()
    assert imports.run_import_job(job.pk) is None, "a finished job is not claimed again"


def test_someone_elses_import_job_is_404(staff, cast):
    url, _report, _page = preview(staff, xlsx_file([enterprise_row(1)]))
    job_url = staff.post(url, {"action": "confirm"})["Location"]
    other = signed_in(cast["province_staff"])
    assert other.get(job_url).status_code == 404


def test_a_waiting_job_page_refreshes_itself(staff, monkeypatch):
    from enterprises.io import tasks

    monkeypatch.setattr(tasks.apply_import, "delay", lambda job_id: None)  # a worker that has not started yet
    url, _report, _page = preview(staff, xlsx_file([enterprise_row(1)]))
    page = staff.get(staff.post(url, {"action": "confirm"})["Location"])
    assert b"data-watch-status" in page.content, "the page's script watches the job's status and reloads when it changes"
    assert Enterprise.objects.count() == 0


def test_when_the_queue_is_down_nothing_is_imported_and_the_upload_is_kept(staff, monkeypatch, media_root):
    from enterprises.io import tasks

    def broker_down(job_id):
        raise ConnectionError("broker unavailable")

    monkeypatch.setattr(tasks.apply_import, "delay", broker_down)
    url, _report, _page = preview(staff, xlsx_file([enterprise_row(1)]))
    response = staff.post(url, {"action": "confirm"}, follow=True)
    assert response.status_code == 200
    assert "task queue is not available" in response.content.decode()
    assert ImportJob.objects.get().status == ImportStatus.PREVIEWED, "still a preview, to be confirmed again"
    assert Enterprise.objects.count() == 0
    assert stored_uploads(media_root) != []

    monkeypatch.undo()  # the broker is back
    staff.post(url, {"action": "confirm"})
    assert ImportJob.objects.get().status == ImportStatus.DONE and Enterprise.objects.count() == 1


def test_the_import_task_keeps_its_name_and_is_registered():
    """Jobs queued before the task moved to enterprises/io/ name it by its old dotted path: a worker still finds it."""
    from enterprises.io import tasks
    from liaison.celery import app

    assert tasks.apply_import.name == "enterprises.tasks.apply_import"
    assert app.tasks["enterprises.tasks.apply_import"] is tasks.apply_import._get_current_object()
