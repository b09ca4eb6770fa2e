"""An uploaded .xlsx whose archive or cells exceed what a 5,000-row import can need is refused before openpyxl
opens it (core.xlsx_guard, through enterprises.io.spreadsheets, which every reading of an import goes
through: the upload, the preview worker and the import itself)."""

import io
import zipfile
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.xlsx_guard import check_workbook
from enterprises.io import exports, imports, spreadsheets
from enterprises.io.resources import AssignmentResource, EnterpriseResource
from enterprises.models import ImportJob

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("enterprises:import")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def load_workbook():
    """openpyxl's reader, watched: a refused workbook must never reach it."""
    with mock.patch.object(spreadsheets.openpyxl, "load_workbook", wraps=openpyxl.load_workbook) as watched:
        yield watched


def zip_bomb(megabytes=40):
    """A workbook whose sheet is `megabytes` MB of empty cells, packed into a few tens of kilobytes."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b"<worksheet><sheetData><row>")
            chunk = b"<c/>" * (256 * 1024)
            for _ in range(megabytes):
                sheet.write(chunk)
            sheet.write(b"</row></sheetData></worksheet>")
    return stream.getvalue()


def test_a_zip_bomb_is_refused_in_the_readers_language_without_opening_it_and_nothing_is_kept(cast, media_root, load_workbook):
    bomb = zip_bomb()
    assert len(bomb) < spreadsheets.MAX_UPLOAD_BYTES / 50
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(cast["county_staff"])

    response = client.post(IMPORT_URL, {"kind": "enterprises", "file": SimpleUploadedFile("企业.xlsx", bomb)})

    with translation.override("zh-hans"):
        expected = translation.gettext(
            "The workbook is far larger once unpacked than an import of at most %(rows)s rows can need. Delete "
            "the empty rows and columns around the data and any pictures, or save the sheet as CSV, and upload "
            "it again."
        ) % {"rows": "5,000"}
    assert response.status_code == 200 and '<html lang="zh-hans">' in response.content.decode()
    assert response.context["form"].errors["file"] == [expected]
    load_workbook.assert_not_called()
    assert not ImportJob.objects.exists() and not any(path.is_file() for path in media_root.rglob("*"))


def test_every_reading_of_an_import_refuses_the_bomb_before_openpyxl(load_workbook):
    """read_table serves the upload, the preview and the import alike."""
    with translation.override("en"), pytest.raises(spreadsheets.ImportFileError, match="far larger once unpacked"):
        spreadsheets.read_table(zip_bomb(), ".xlsx", EnterpriseResource)
    load_workbook.assert_not_called()


def test_the_limits_are_those_of_the_largest_and_widest_import():
    limits = spreadsheets.workbook_limits()
    widest = max(len(resource.COLUMNS + resource.EXPORT_ONLY_COLUMNS) for resource in (EnterpriseResource, AssignmentResource))
    assert (limits.rows, limits.columns) == (spreadsheets.MAX_ROWS, widest)


def test_the_template_and_a_full_register_pass(cast):
    """The largest legitimate file: 5,000 enterprises, every column filled, long Chinese names and addresses."""
    template = exports.template_workbook(imports.KINDS["enterprises"], user=cast["county_staff"]).getvalue()
    assert check_workbook(template, spreadsheets.workbook_limits()) is None

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(EnterpriseResource.COLUMNS + EnterpriseResource.EXPORT_ONLY_COLUMNS)
    for number in range(spreadsheets.MAX_ROWS):
        address = f"山东省济南市历下区经十路{number}号某某大厦{number % 40}层"
        name = f"山东省济南市某某新材料科技股份有限公司第{number}分公司"
        people = ["张三", "李四", "13800138000", "专精特新、高新技术企业", "王五、赵六"]
        sheet.append([name, f"91370102MA3C{number:06d}", "370102", address, "C", "私营", "中型", "在业", 120, 3500.5, *people])
    stream = io.BytesIO()
    workbook.save(stream)

    assert check_workbook(stream.getvalue(), spreadsheets.workbook_limits()) is None
