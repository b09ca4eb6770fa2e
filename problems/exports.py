"""The official problem ledger (问题台账) as an .xlsx workbook (exports.kinds): the list's filters and fence."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from exports.kinds import Export, filtered_region, region_subject

from .filters import ProblemFilter
from .models import Problem

# The ledger's columns, as the campaign's template names them.
HEADERS = ["序号", "企业名称", "问题描述", "问题类别", "责任单位", "办理时限", "办理状态", "办理结果", "企业评价"]


def responsible_unit(problem):
    """The department holding the problem, the one whose work reached an outcome, or else the united-front
    department of the region holding it, by its official name."""
    department = problem.handling_department or problem.outcome_department
    if department is not None:
        return department.name
    return problem.handling_region.united_front_office


def _problem_filter(user, params):
    return ProblemFilter(params, queryset=Problem.objects.visible_to(user), actor=user)


def ledger_problems(user, params):
    """The problems the list page shows `user` for the filters `params`, oldest first."""
    problem_filter = _problem_filter(user, params)
    problems = problem_filter.qs if problem_filter.is_valid() else problem_filter.queryset.none()
    return problems.select_related(
        "enterprise", "category", "handling_department", "handling_region__parent", "outcome_department"
    ).order_by("raised_on", "id")


def ledger_subject(user, params):
    return region_subject(user, filtered_region(_problem_filter(user, params)))


def ledger_row(problem, number):
    return [
        number,
        problem.enterprise.name,
        problem.description,
        str(problem.category),
        responsible_unit(problem),
        problem.deadline,
        str(problem.get_status_display()),
        problem.result or problem.explanation,
        str(problem.get_final_verdict_display()) if problem.final_verdict else "",
    ]


EXPORTS = [
    Export(
        kind="problem_ledger",
        title=_("Problem ledger"),
        permission="problems.view_problem",
        records=ledger_problems,
        headers=HEADERS,
        row=ledger_row,
        file_stem="问题台账",
        sheet_title="问题台账",
        url_name="problems:ledger",
        list_url_name="problems:list",
        # The ledger is an official document in Chinese, whatever language the reader's pages are in.
        language=settings.LANGUAGE_CODE,
        subject=ledger_subject,
    )
]
