"""Forums and the opinions raised at them as .xlsx workbooks (exports.kinds), with the list's filters and fence.

Like the problem ledger, they are official documents in Chinese whatever language the reader's pages are in.
"""

from django.conf import settings
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exports.kinds import Export
from visits.exports import _as_text

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
        timezone.localtime(opinion.forum.starts_at).strftime("%Y-%m-%d"),
        _as_text(opinion.forum.theme),
        opinion.region.full_name,
        _as_text(opinion.enterprise.name),
        opinion.enterprise.credit_code,
        _as_text(opinion.text),
        problem.pk if problem else "",
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
    ),
]
