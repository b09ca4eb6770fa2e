"""The plan's ledgers: the due list (an export of exports.kinds, declared in visits/exports.py: the page's
filters and fence, written row by row) and a cadre's plan for the year (one cadre's few hundred rows,
written at once). Both are official lists in Chinese, whatever language the reader's pages are in, and
both go through the shared workbook writer (core.workbooks).
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.traffic import Light
from core.workbooks import Sheet, ledger_heading, workbook_bytes
from exports.kinds import Export, filtered_region, region_subject

from .cadence import interval_months_by_level
from .selectors import due_list

DUE_HEADERS = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "企业所在地区",
    "联系干部",
    "干部所在地区",
    "联系层级",
    "走访周期（月）",
    "上次走访日期",
    "应走访日期",
    "状态",
    "逾期天数",
]
LIGHT_BY_URGENCY = {light.urgency: light for light in Light}


def due_assignments(user, params):
    """The assignments the due page shows `user` for `params`, most urgent first, each with its state's
    urgency and its level's interval computed by the database."""
    listed = due_list(user, params, today=timezone.localdate())
    return (
        listed.plan.listed(listed.state)
        .select_related("enterprise__region__parent", "official__region__parent")
        .annotate(plan_urgency=listed.plan.urgency(), cadence_months=interval_months_by_level(listed.plan.rules))
    )


def due_row(assignment, number):
    enterprise, official = assignment.enterprise, assignment.official
    light = LIGHT_BY_URGENCY[assignment.plan_urgency]
    days_overdue = (timezone.localdate() - assignment.next_due_on).days if light == Light.OVERDUE else None
    return [
        number,
        enterprise.name,
        enterprise.credit_code,
        enterprise.region.full_name,
        official.display_name,
        official.region.full_name if official.region_id else "",
        str(assignment.get_level_display()),
        assignment.cadence_months,
        assignment.last_visit_on,
        assignment.next_due_on,
        str(light.label),
        days_overdue,
    ]


def whose_due_list(user, listed):
    """Whose the due list `listed` (a selectors.DueList) is: one's own (the cadre's name), a chosen cadre's,
    or a region's (the one chosen, else the reader's)."""
    if listed.mine:
        return user.display_name
    cadre = listed.filter.form.cleaned_data.get("cadre") if listed.filter.is_valid() else None
    if cadre is not None:
        return cadre.display_name
    return region_subject(user, filtered_region(listed.filter))


def due_subject(user, params):
    return whose_due_list(user, due_list(user, params, today=timezone.localdate()))


DUE_EXPORT = Export(
    kind="due_visits",
    title=gettext_lazy("Due and overdue visits"),
    permission="visits.view_visit",
    records=due_assignments,
    headers=DUE_HEADERS,
    row=due_row,
    file_stem="应走访企业清单",
    sheet_title="应走访企业清单",
    url_name="visits:due_export",
    list_url_name="visits:due",
    language=settings.LANGUAGE_CODE,
    subject=due_subject,
)


# A cadre's plan for the year

YEAR_PLAN_HEADERS = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "企业所在地区",
    "联系层级",
    "走访周期（月）",
    "上次走访日期",
    "下次应走访日期",
    "状态",
    *[f"{month}月" for month in range(1, 13)],
    "本年已走访次数",
    "尚需走访次数（至年底）",
]


def _marks(marks):
    """One month's cell: each visit made or expected, with its day (已走访 03-12、逾期 05-01)."""
    return "、".join(f"{mark.look.title} {mark.month_day}" for mark in marks)


def year_plan_row(row, number):
    item, enterprise = row.item, row.enterprise
    return [
        number,
        enterprise.name,
        enterprise.credit_code,
        enterprise.region.full_name,
        str(item.assignment.get_level_display()),
        item.interval_months,
        item.last_visit_on,
        item.due_on,
        str(Light(item.state).label),
        *[_marks(marks) for marks in row.by_month],
        sum(1 for mark in row.done if mark.day.year == item.today.year),
        len(row.expected),
    ]


def year_plan_workbook(official, rows, *, today):
    """The plan for `today`'s year of `official` (rows from cadence.year_plan). Returns (bytes, file name)."""
    with translation.override(settings.LANGUAGE_CODE):
        name = f"{today.year}年度走访计划"
        whose = official.display_name
        if official.region_id:
            whose = _("%(name)s, %(region)s") % {"name": whose, "region": official.region.full_name}
        sheet = Sheet(
            title=name,
            headers=YEAR_PLAN_HEADERS,
            rows=[year_plan_row(row, number) for number, row in enumerate(rows, start=1)],
            heading=ledger_heading(name, whose, today=today),
        )
        content = workbook_bytes([sheet])
    return content, f"年度走访计划-{today.year}-{official.display_name}.xlsx"
