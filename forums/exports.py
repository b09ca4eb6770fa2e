"""Forums and the opinions raised at them as .xlsx workbooks, written row by row.

Like the problem ledger, they are official documents in Chinese whatever language the reader's pages are in.
"""

import io

from django.conf import settings
from django.db.models import Count, Prefetch
from django.utils import timezone, translation
from openpyxl import Workbook

from visits.exports import _as_text

from .models import ForumAttendance

FORUM_HEADERS = [
    "序号",
    "座谈时间",
    "主办地区",
    "层级",
    "主题",
    "地点",
    "承办部门",
    "状态",
    "参会企业数",
    "参会企业家",
    "意见建议数",
    "会议纪要",
    "取消原因",
]
OPINION_HEADERS = [
    "序号",
    "座谈时间",
    "座谈会主题",
    "主办地区",
    "企业名称",
    "统一社会信用代码",
    "意见建议",
    "问题清单编号",
    "问题状态",
]


def _save(workbook, stem):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer, f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"


def forums_workbook(forums):
    workbook = Workbook(write_only=True)
    attendances = ForumAttendance.objects.filter(attended=True).select_related("enterprise").order_by("id")
    rows = (
        forums.select_related("region__parent")
        .prefetch_related("organisers", Prefetch("attendances", queryset=attendances))
        .annotate(opinion_count=Count("opinions", distinct=True))
        .order_by("-starts_at", "-id")
    )
    with translation.override(settings.LANGUAGE_CODE):
        sheet = workbook.create_sheet("座谈会")
        sheet.append(FORUM_HEADERS)
        for number, forum in enumerate(rows.iterator(chunk_size=500), start=1):
            present = forum.attendances.all()
            sheet.append(
                [
                    number,
                    timezone.localtime(forum.starts_at).strftime("%Y-%m-%d %H:%M"),
                    forum.region.full_name,
                    str(forum.get_level_display()),
                    _as_text(forum.theme),
                    _as_text(forum.venue),
                    "、".join(department.name for department in forum.organisers.all()),
                    str(forum.get_status_display()),
                    len({attendance.enterprise_id for attendance in present}),
                    _as_text("、".join(f"{a.enterprise.name} {a.entrepreneur_name}" for a in present)),
                    forum.opinion_count,
                    _as_text(forum.minutes),
                    _as_text(forum.cancel_reason),
                ]
            )
    return _save(workbook, "座谈会")


def opinions_workbook(opinions):
    workbook = Workbook(write_only=True)
    rows = opinions.select_related("forum", "enterprise", "problem", "region__parent").order_by("-forum__starts_at", "id")
    with translation.override(settings.LANGUAGE_CODE):
        sheet = workbook.create_sheet("意见建议")
        sheet.append(OPINION_HEADERS)
        for number, opinion in enumerate(rows.iterator(chunk_size=2000), start=1):
            problem = opinion.problem
            sheet.append(
                [
                    number,
                    timezone.localtime(opinion.forum.starts_at).strftime("%Y-%m-%d"),
                    _as_text(opinion.forum.theme),
                    opinion.region.full_name,
                    _as_text(opinion.enterprise.name),
                    opinion.enterprise.credit_code,
                    _as_text(opinion.text),
                    problem.pk if problem else "",
                    str(problem.get_status_display()) if problem else "",
                ]
            )
    return _save(workbook, "座谈会意见建议")
