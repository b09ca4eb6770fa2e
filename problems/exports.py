"""The official problem ledger (问题台账) as an .xlsx workbook, written row by row."""

import io

from django.conf import settings
from django.utils import timezone, translation
from openpyxl import Workbook

from visits.exports import _as_text

# The ledger's columns, as the campaign's template names them.
HEADERS = ["序号", "企业名称", "问题描述", "问题类别", "责任单位", "办理时限", "办理状态", "办理结果", "企业评价"]


def responsible_unit(problem):
    """The department holding the problem, the one whose work reached an outcome, or else the liaison
    office of the region holding it."""
    department = problem.handling_department or problem.outcome_department
    if department is not None:
        return department.name
    return f"{problem.handling_region.full_name}统战部"


def ledger_workbook(problems):
    workbook = Workbook(write_only=True)
    # The ledger is an official document in Chinese, whatever language the reader's pages are in.
    with translation.override(settings.LANGUAGE_CODE):
        sheet = workbook.create_sheet("问题台账")
        sheet.append(HEADERS)
        rows = problems.select_related(
            "enterprise", "category", "handling_department", "handling_region__parent", "outcome_department"
        ).order_by("raised_on", "id")
        for number, problem in enumerate(rows.iterator(chunk_size=2000), start=1):
            sheet.append(
                [
                    number,
                    _as_text(problem.enterprise.name),
                    _as_text(problem.description),
                    str(problem.category),
                    _as_text(responsible_unit(problem)),
                    problem.deadline,
                    str(problem.get_status_display()),
                    _as_text(problem.result or problem.explanation),
                    str(problem.get_final_verdict_display()) if problem.final_verdict else "",
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer, f"问题台账-{timezone.localdate():%Y%m%d}.xlsx"
