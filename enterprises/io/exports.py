"""Writing spreadsheets: the import templates and the cells of the enterprise list's export.

Both use the import's column headers, so that an export can be edited and imported again. The export
itself is declared in `enterprises/exports.py` and written by the shared workbook writer (core.workbooks);
the templates, which keep a sheet of notes and columns formatted as text, have its header style and widths.
"""

import io
from functools import cache

import openpyxl
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Region, User
from accounts.roles import Role
from core.workbooks import column_widths, style_header

from ..credit_codes import build_credit_code
from ..models import Industry, Ownership, Size, Status, Tag
from .columns import ChoiceWidget, Col
from .resources import EnterpriseResource
from .spreadsheets import MAX_ROWS, MAX_UPLOAD_BYTES


@cache
def _export_resource():
    # One resource for every row: writing cells needs no actor (see FencedResource), and it keeps no state.
    return EnterpriseResource()


def enterprise_headers():
    """The export's header row: the import template's columns, then the export-only ones."""
    return _export_resource().get_export_headers()


def enterprise_row(enterprise, number):
    """One enterprise's cells, in the order of `enterprise_headers()`, as an import reads them back."""
    return _export_resource().export_resource(enterprise)


def _example_row(kind, user):
    region = Region.objects.visible_to(user).counties().order_by("code").first()
    code = build_credit_code(division=region.code if region else "370102", serial=12_345_678)
    if kind.key == "assignments":
        cadre = User.objects.visible_to(user).active().with_role(Role.CADRE).order_by("username").first()
        return {
            Col.CREDIT_CODE: code,
            Col.OFFICIAL_USERNAME: cadre.username if cadre else "zhangsan",
            Col.STARTED_ON: timezone.localdate().isoformat(),
            Col.REASON: "年度联系安排",
        }
    industry = Industry.objects.filter(code="C").first() or Industry.objects.first()
    tag = Tag.objects.filter(is_active=True).first()
    return {
        Col.NAME: "（示例）山东示例科技有限公司",
        Col.CREDIT_CODE: code,
        Col.REGION: region.code if region else "370102",
        Col.ADDRESS: "经十路 100 号",
        Col.INDUSTRY: industry.name_zh if industry else "C",
        Col.OWNERSHIP: ChoiceWidget(Ownership).render(Ownership.PRIVATE),
        Col.SIZE: ChoiceWidget(Size).render(Size.SMALL),
        Col.STATUS: ChoiceWidget(Status).render(Status.OPERATING),
        Col.EMPLOYEES: 120,
        Col.REVENUE: 3500.5,
        Col.LEGAL_REPRESENTATIVE: "张三",
        Col.CONTACT_NAME: "李四",
        Col.CONTACT_MOBILE: "13800138000",
        Col.TAGS: tag.name if tag else "",
    }


def _column_notes(kind):
    choices = {
        Col.OWNERSHIP: ChoiceWidget(Ownership).chinese_labels(),
        Col.SIZE: ChoiceWidget(Size).chinese_labels(),
        Col.STATUS: ChoiceWidget(Status).chinese_labels(),
    }
    notes = {
        Col.NAME: _("The enterprise's registered name."),
        Col.CREDIT_CODE: _("18 characters. Identifies the enterprise: a code already registered updates it."),
        Col.REGION: _("Six-digit code of the county-level region, such as 370102 (济南市 历下区)."),
        Col.ADDRESS: _("Optional."),
        Col.INDUSTRY: _("Section of GB/T 4754-2017: a letter from A to T or its Chinese name, such as 制造业."),
        Col.EMPLOYEES: _("Optional. A whole number."),
        Col.REVENUE: _("Optional. In units of 10,000 yuan."),
        Col.LEGAL_REPRESENTATIVE: _("Optional."),
        Col.CONTACT_NAME: _("Optional."),
        Col.CONTACT_MOBILE: _("Optional. An 11-digit mobile number."),
        Col.TAGS: _("Optional. Tag names separated by 、 or commas; each must be a tag in use."),
        Col.OFFICIAL_USERNAME: _("The username the liaison cadre logs in with. The liaison's level is the cadre's."),
        Col.STARTED_ON: _("Optional. YYYY-MM-DD; today when empty."),
        Col.REASON: _("Optional."),
    }
    for column, labels in choices.items():
        notes[column] = _("One of: %(choices)s. Empty keeps the current value.") % {"choices": "、".join(labels)}
    if kind.key == "assignments":
        notes[Col.CREDIT_CODE] = _("The credit code of an enterprise in your region.")
    return [(column, notes.get(column, "")) for column in kind.resource_class.COLUMNS]


def template_workbook(kind, *, user):
    """The .xlsx to fill in: the headers and one example row, and a sheet explaining each column."""
    resource_class = kind.resource_class
    headers = resource_class.COLUMNS
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(kind.label)[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        style_header(cell, required=cell.value in resource_class.REQUIRED_COLUMNS)
    example = _example_row(kind, user)
    example_row = [example.get(header, "") for header in headers]
    sheet.append(example_row)
    sheet.freeze_panes = "A2"
    widths = column_widths(headers, [example_row])
    for index, header in enumerate(headers, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, widths[index - 1])
        if header in (Col.CREDIT_CODE, Col.REGION, Col.CONTACT_MOBILE, Col.OFFICIAL_USERNAME, Col.STARTED_ON):
            # Text cells, so that Excel keeps long codes, leading zeros and dates as typed.
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    notes = workbook.create_sheet(_("Instructions"))
    notes.append([_("Column"), _("What to enter")])
    for cell in notes[1]:
        style_header(cell)
    notes.append([_("All columns"), _("Fill in the first sheet from row 2, one row per record; delete the example row first.")])
    for column, note in _column_notes(kind):
        notes.append([column, note])
    notes.append(
        [
            _("Limits"),
            _("At most %(rows)s rows and %(size)s per file; .xlsx or .csv (UTF-8 or GBK).")
            % {"rows": f"{MAX_ROWS:,}", "size": filesizeformat(MAX_UPLOAD_BYTES)},
        ]
    )
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 90
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream
