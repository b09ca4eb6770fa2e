"""The visit list as an .xlsx workbook (exports.kinds): the list page's filters and fence, written row by row."""

from django.utils.translation import gettext_lazy as _

from exports.kinds import Export

from .filters import VisitFilter
from .models import Visit

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


def export_visits(user, params):
    """The visits the list page shows `user` for the filters `params`; filters they may not use select nothing."""
    visit_filter = VisitFilter(params, queryset=Visit.objects.visible_to(user), actor=user)
    visits = visit_filter.qs if visit_filter.is_valid() else visit_filter.queryset.none()
    return visits.select_related("enterprise", "cadre", "region__parent").order_by("-visited_on", "-id")


def visit_row(visit, number):
    return [
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


def _as_text(value):
    # A cell starting with = + - @ would be run as a formula by Excel: keep it text.
    return "'" + value if value and value[0] in "=+-@" else value


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
    )
]
