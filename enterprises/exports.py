"""The enterprise app's exports (exports.kinds): the enterprise list and the liaison list (roster).

The enterprise list is written with the import's columns (`io/exports.py`), so an export can be edited
and imported again: its header stays the first row, its title is printed at the top of each page. The roster
(联系名单, the list most often sent up) is an official list in Chinese, whatever language the reader's pages
are in, titled with whose it is (a region's or a department's) and the day it holds.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exports.kinds import Export, filtered_region, region_subject

from . import selectors
from .filters import EnterpriseFilter
from .io.exports import enterprise_headers, enterprise_row
from .io.resources import EnterpriseResource


def _enterprise_filter(user, params):
    return EnterpriseFilter(params, queryset=selectors.enterprises_for_list(user), actor=user)


def export_enterprises(user, params):
    """The enterprises the list page shows `user` for the filters `params`; filters they may not use select nothing."""
    enterprise_filter = _enterprise_filter(user, params)
    return enterprise_filter.qs if enterprise_filter.is_valid() else enterprise_filter.queryset.none()


def enterprises_subject(user, params):
    return region_subject(user, filtered_region(_enterprise_filter(user, params)))


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
    "法定代表人",
    "企业联系人",
    "联系电话",
    "联系开始日期",
]


def roster_assignments(user, params):
    return selectors.roster(user, params)["assignments"]


def roster_subject(user, params):
    """Whose liaison list it is (the department's or the region's, else the reader's whole fence) and the day."""
    roster = selectors.roster(user, params)
    whose = roster["department"].name if roster["department"] else region_subject(user, roster["region"])
    return f"{whose} {_('as of %(on)s') % {'on': roster['on'].isoformat()}}"


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
        enterprise.legal_representative,
        enterprise.contact_name,
        enterprise.contact_mobile,
        assignment.started_on,
    ]


EXPORTS = [
    Export(
        kind="enterprises",
        title=gettext_lazy("Enterprises"),
        permission="enterprises.view_enterprise",
        records=export_enterprises,
        headers=enterprise_headers,
        row=enterprise_row,
        required_headers=frozenset(EnterpriseResource.REQUIRED_COLUMNS),
        file_stem="企业名单",
        sheet_title=gettext_lazy("Enterprises"),
        url_name="enterprises:export",
        list_url_name="enterprises:list",
        subject=enterprises_subject,
        # Imported again as it is: the header must stay the first row (enterprises/io/spreadsheets.py).
        heading_row=False,
    ),
    Export(
        kind="liaison_roster",
        title=gettext_lazy("Liaison list"),
        permission="enterprises.view_liaisonassignment",
        records=roster_assignments,
        headers=ROSTER_HEADERS,
        row=roster_row,
        file_stem="联系名单",
        sheet_title="联系名单",
        url_name="enterprises:roster_export",
        list_url_name="enterprises:roster",
        language=settings.LANGUAGE_CODE,
        subject=roster_subject,
    ),
]
