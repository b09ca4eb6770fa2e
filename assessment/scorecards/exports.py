"""The cadre list and one cadre's scorecard as .xlsx, through the shared workbook writer (`core.workbooks`):
a title row naming whose they are, Chinese headers, bold and frozen, widths that fit, numbers as numbers."""

from django.conf import settings
from django.utils import translation

from core.workbooks import Sheet, ledger_heading, workbook_bytes

CARD_HEADERS = [
    "干部姓名",
    "职务",
    "所在地区",
    "所在单位",
    "联系企业数",
    "已走访次数",
    "应走访次数",
    "走访完成率（%）",
    "反映问题数",
    "已解决或解释问题数",
    "参加座谈会次数",
]
ONE_DECIMAL = "0.0"


def _card_row(card):
    official = card.official
    return [
        official.display_name,
        official.title,
        official.region.full_name if official.region_id else "",
        official.department.name if official.department_id else "",
        card.enterprises,
        card.visits_made,
        card.visits_due,
        card.visit_progress,
        card.problems_raised,
        card.problems_resolved,
        card.forums_attended,
    ]


def _card_sheet(title, cards, heading):
    return Sheet(
        title=title,
        headers=CARD_HEADERS,
        rows=[_card_row(card) for card in cards],
        heading=heading,
        number_formats={6: ONE_DECIMAL, 7: ONE_DECIMAL},
    )


def cadre_list_workbook(period, region, cards):
    """The cadres of `region` in `period`, one row each, in the order shown. Returns (bytes, file name)."""
    with translation.override(settings.LANGUAGE_CODE):
        heading = ledger_heading(f"联系干部考核 {period.label}", region.full_name)
        content = workbook_bytes([_card_sheet("联系干部考核", cards, heading)])
    return content, f"联系干部考核-{region.name}-{period.label}.xlsx"


def scorecard_workbook(period, card, records):
    """One cadre's scorecard and the records behind each number, a sheet each. Returns (bytes, file name)."""
    with translation.override(settings.LANGUAGE_CODE):
        official = card.official
        whose = f"{official.display_name} {official.region.full_name}" if official.region_id else official.display_name
        heading = ledger_heading(f"联系干部考核卡 {period.label}", whose)
        sheets = [
            _card_sheet("考核卡", [card], heading),
            Sheet(
                title="联系企业",
                headers=["企业名称", "统一社会信用代码", "所在地区", "企业状态", "联系起始日期", "联系结束日期", "应走访次数"],
                rows=[
                    [
                        assignment.enterprise.name,
                        assignment.enterprise.credit_code,
                        assignment.enterprise.region.full_name,
                        str(assignment.enterprise.get_status_display()),
                        assignment.started_on,
                        assignment.ended_on,
                        assignment.visits_due,
                    ]
                    for assignment in records.assignments
                ],
                heading=heading,
                number_formats={6: ONE_DECIMAL},
            ),
            Sheet(
                title="走访记录",
                headers=["走访日期", "企业名称", "方式", "走访目的"],
                rows=[
                    [visit.visited_on, visit.enterprise.name, str(visit.get_mode_display()), visit.purpose]
                    for visit in records.visits
                ],
                heading=heading,
            ),
            Sheet(
                title="反映问题",
                headers=["提出日期", "企业名称", "问题描述", "状态", "已解决或解释"],
                rows=[
                    [
                        problem.raised_on,
                        problem.enterprise.name,
                        problem.description,
                        str(problem.get_status_display()),
                        "是" if problem.is_resolved else "否",
                    ]
                    for problem in records.problems
                ],
                heading=heading,
            ),
            Sheet(
                title="参加座谈会",
                headers=["日期", "主办地区", "主题"],
                rows=[[forum.starts_date, forum.region.full_name, forum.theme] for forum in records.forums],
                heading=heading,
            ),
        ]
        content = workbook_bytes(sheets)
    return content, f"联系干部考核卡-{card.official.display_name}-{period.label}.xlsx"
