"""The enterprise app's exports (exports.kinds): the enterprise list and the liaison list (roster).

The enterprise list is written with the import's columns (`io/exports.py`), so an export can be edited
and imported again; the roster is an official list in Chinese, whatever language the reader's pages are in.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from exports.kinds import Export

from . import selectors
from .filters import EnterpriseFilter
from .io.exports import enterprise_headers, enterprise_row
from .io.resources import EnterpriseResource


def export_enterprises(user, params):
    """The enterprises the list page shows `user` for the filters `params`; filters they may not use select nothing."""
    enterprise_filter = EnterpriseFilter(params, queryset=selectors.enterprises_for_list(user), actor=user)
    return enterprise_filter.qs if enterprise_filter.is_valid() else enterprise_filter.queryset.none()


ROSTER_HEADERS = [
    "序号",
    "联系干部",
    "职务",
    "联系层级",
    "联系单位",
    "企业名称",
    "统一社会信用代码",
    "企业所在地区",
    "行业门类",
    "联系开始日期",
]


def roster_assignments(user, params):
    return selectors.roster(user, params)["assignments"]


def roster_row(assignment, number):
    enterprise = assignment.enterprise
    return [
        number,
        assignment.official.display_name,
        assignment.official.title,
        str(assignment.get_level_display()),
        assignment.department.name if assignment.department else "",
        enterprise.name,
        enterprise.credit_code,
        enterprise.region.full_name,
        enterprise.industry.name_zh if enterprise.industry else "",
        assignment.started_on,
    ]


EXPORTS = [
    Export(
        kind="enterprises",
        title=_("Enterprises"),
        permission="enterprises.view_enterprise",
        records=export_enterprises,
        headers=enterprise_headers,
        row=enterprise_row,
        required_headers=frozenset(EnterpriseResource.REQUIRED_COLUMNS),
        file_stem="企业名单",
        sheet_title=_("Enterprises"),
        url_name="enterprises:export",
        list_url_name="enterprises:list",
    ),
    Export(
        kind="liaison_roster",
        title=_("Liaison list"),
        permission="enterprises.view_liaisonassignment",
        records=roster_assignments,
        headers=ROSTER_HEADERS,
        row=roster_row,
        file_stem="联系名单",
        sheet_title="联系名单",
        url_name="enterprises:roster_export",
        list_url_name="enterprises:roster",
        language=settings.LANGUAGE_CODE,
    ),
]
