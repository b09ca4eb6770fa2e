"""The visit list as an .xlsx workbook, written row by row."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

HEADERS = [
    "走访日期",
    "企业名称",
    "统一社会信用代码",
    "所在地区",
    "带队干部",
    "层级",
    "方式",
    "走访目的",
    "经营情况",
    "诉求与困难",
    "反映问题",
    "回访日期",
    "状态",
]


def visits_workbook(visits):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Visits"))
    sheet.append(HEADERS)
    rows = visits.select_related("enterprise", "cadre", "region__parent").order_by("-visited_on", "-id")
    for visit in rows.iterator(chunk_size=2000):
        sheet.append(
            [
                visit.visited_on,
                _as_text(visit.enterprise.name),
                visit.enterprise.credit_code,
                visit.region.full_name,
                _as_text(visit.cadre.display_name),
                str(visit.get_level_display()),
                str(visit.get_mode_display()),
                _as_text(visit.purpose),
                _as_text(visit.situation),
                _as_text(visit.needs),
                _as_text(visit.problems_raised),
                visit.follow_up_on,
                str(visit.get_status_display()),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer, f"走访记录-{timezone.localdate():%Y%m%d}.xlsx"


def _as_text(value):
    # A cell starting with = + - @ would be run as a formula by Excel: keep it text.
    return "'" + value if value and value[0] in "=+-@" else value
