"""Forums and the opinions raised at them as .xlsx ledgers (exports.kinds), with the list's filters and fence,
and the compliance grid of a region (`compliance_workbook`), all through the shared writer (core.workbooks).

Like the problem ledger, they are official documents in Chinese whatever language the reader's pages are in.
"""

from django.conf import settings
from django.db.models import Count, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.workbooks import Sheet, ledger_heading, workbook_bytes
from exports.kinds import Export, region_subject

from .compliance import ComplianceState, compliance_tables
from .models import ForumAttendance, Opinion
from .selectors import filtered_forums

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


def export_forums(user, params):
    forums, _criteria = filtered_forums(user, params)
    attendances = ForumAttendance.objects.filter(attended=True).select_related("enterprise").order_by("id")
    return (
        forums.select_related("region__parent")
        .prefetch_related("organisers", Prefetch("attendances", queryset=attendances))
        .annotate(opinion_count=Count("opinions", distinct=True))
        .order_by("-starts_at", "-id")
    )


def forum_row(forum, number):
    present = forum.attendances.all()
    return [
        number,
        forum.starts_at,
        forum.region.full_name,
        str(forum.get_level_display()),
        forum.theme,
        forum.venue,
        "、".join(department.name for department in forum.organisers.all()),
        str(forum.get_status_display()),
        len({attendance.enterprise_id for attendance in present}),
        "、".join(f"{a.enterprise.name} {a.entrepreneur_name}" for a in present),
        forum.opinion_count,
        forum.minutes,
        forum.cancel_reason,
    ]


def forums_subject(user, params):
    _forums, criteria = filtered_forums(user, params)
    return region_subject(user, criteria["region"])


def export_opinions(user, params):
    """The opinions `user` may see, raised at the forums the filters select."""
    forums, _criteria = filtered_forums(user, params)
    return (
        Opinion.objects.visible_to(user)
        .filter(forum__in=forums)
        .select_related("forum", "enterprise", "problem", "region__parent")
        .order_by("-forum__starts_at", "id")
    )


def opinion_row(opinion, number):
    problem = opinion.problem
    return [
        number,
        timezone.localtime(opinion.forum.starts_at).date(),
        opinion.forum.theme,
        opinion.region.full_name,
        opinion.enterprise.name,
        opinion.enterprise.credit_code,
        opinion.text,
        problem.pk if problem else None,
        str(problem.get_status_display()) if problem else "",
    ]


EXPORTS = [
    Export(
        kind="forums",
        title=_("Forums"),
        permission="forums.view_forum",
        records=export_forums,
        headers=FORUM_HEADERS,
        row=forum_row,
        file_stem="座谈会",
        sheet_title="座谈会",
        url_name="forums:export",
        list_url_name="forums:list",
        language=settings.LANGUAGE_CODE,
        subject=forums_subject,
    ),
    Export(
        kind="forum_opinions",
        title=_("Opinions and suggestions"),
        permission="forums.view_forum",
        records=export_opinions,
        headers=OPINION_HEADERS,
        row=opinion_row,
        file_stem="座谈会意见建议",
        sheet_title="意见建议",
        url_name="forums:opinion_export",
        list_url_name="forums:list",
        language=settings.LANGUAGE_CODE,
        subject=forums_subject,
    ),
]


# The compliance grid

COMPLIANCE_NAME = "座谈会开展情况"


def compliance_workbook(region, rows, *, today):
    """The compliance grid of `region` and the regions below (rows from compliance.compliance_grid) as .xlsx:
    a sheet per cadence (a city and its counties count in half years and quarters), a row per region, a
    column per period, oldest first, and each region's count of periods held and of periods past due.
    Returns (bytes, file name)."""
    with translation.override(settings.LANGUAGE_CODE):
        heading = ledger_heading(COMPLIANCE_NAME, region.full_name, today=today)
        sheets = []
        for table in compliance_tables(rows, today=today):
            columns = table.columns[::-1]
            sheets.append(
                Sheet(
                    title=table.caption,
                    headers=["地区", *[column.period.label for column in columns], "已召开期数", "逾期未召开期数"],
                    rows=[_compliance_row(row.region, row.cells[::-1]) for row in table.rows],
                    heading=heading,
                )
            )
        content = workbook_bytes(sheets or [Sheet(COMPLIANCE_NAME, ["地区"], [], heading=heading)])
    return content, f"{COMPLIANCE_NAME}-{region.name}-{today:%Y%m%d}.xlsx"


def _compliance_row(region, cells):
    return [
        region.full_name,
        *[str(cell.label) for cell in cells],
        sum(1 for cell in cells if cell.is_held),
        sum(1 for cell in cells if cell.state == ComplianceState.PAST_DUE),
    ]
