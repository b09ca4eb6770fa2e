"""The visit list and the due list as .xlsx ledgers (exports.kinds): the pages' filters and fence, written
row by row by the shared writer (core.workbooks), which keeps text that would run as a formula as text."""

from django.utils.translation import gettext_lazy as _

from exports.kinds import Export, filtered_region, region_subject

from .filters import VisitFilter
from .models import Visit
from .plan.exports import DUE_EXPORT

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


def _visit_filter(user, params):
    return VisitFilter(params, queryset=Visit.objects.visible_to(user), actor=user)


def export_visits(user, params):
    """The visits the list page shows `user` for the filters `params`; filters they may not use select nothing."""
    visit_filter = _visit_filter(user, params)
    visits = visit_filter.qs if visit_filter.is_valid() else visit_filter.queryset.none()
    return visits.select_related("enterprise", "cadre", "region__parent").order_by("-visited_on", "-id")


def visits_subject(user, params):
    return region_subject(user, filtered_region(_visit_filter(user, params)))


def visit_row(visit, number):
    return [
        visit.visited_on,
        visit.enterprise.name,
        visit.enterprise.credit_code,
        visit.region.full_name,
        visit.cadre.display_name,
        str(visit.get_level_display()),
        str(visit.get_mode_display()),
        visit.purpose,
        visit.situation,
        visit.needs,
        visit.problems_raised,
        visit.follow_up_on,
        str(visit.get_status_display()),
    ]


EXPORTS = [
    Export(
        kind="visits",
        title=_("Visits"),
        permission="visits.view_visit",
        records=export_visits,
        headers=HEADERS,
        row=visit_row,
        file_stem="走访记录",
        sheet_title=_("Visits"),
        url_name="visits:export",
        list_url_name="visits:list",
        subject=visits_subject,
    ),
    DUE_EXPORT,
]
