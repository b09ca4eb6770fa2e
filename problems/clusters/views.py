"""Common problems (共性问题): alike open problems raised by several enterprises of one region."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.listing import paginate

from ..models import Problem
from ..notices import problem_url
from .filters import CommonProblemFilter
from .grouping import common_problems, show

GROUPS_PER_PAGE = 20


@require_safe
@permission_required("problems.view_problem", raise_exception=True)
def common(request):
    """Every official who reads problems, fenced by `visible_to`: a group only holds problems the
    reader may see. Filter by the enterprises' county (`region`) and the `category` (its key)."""
    common_filter = CommonProblemFilter(request.GET, queryset=Problem.objects.visible_to(request.user), actor=request.user)
    # A filter the reader may not use (an edited address) shows its message on the form and matches nothing.
    problems = common_filter.qs if common_filter.is_valid() else common_filter.queryset.none()
    page = paginate(request, common_problems(problems), page_size=GROUPS_PER_PAGE)
    for group in show(page.object_list):
        for problem in group.shown:
            problem.detail_url = problem_url(problem)
    return render(request, "problems/clusters/common.html", {"page": page, "filter": common_filter})
