"""Common problems (共性问题): alike open problems raised by several enterprises of one region."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.access import scope_prefix
from accounts.models import Region, RegionLevel
from core.listing import paginate

from ..models import Category, Problem
from ..notices import problem_url
from .grouping import common_problems, show

GROUPS_PER_PAGE = 20


@require_safe
@permission_required("problems.view_problem", raise_exception=True)
def common(request):
    """Every official who reads problems, fenced by `visible_to`: a group only holds problems the
    reader may see. Filter by the enterprises' county (`region`) and the `category` (its key)."""
    prefix = scope_prefix(request.user) or ""
    regions = Region.objects.filter(code__startswith=prefix, level=RegionLevel.COUNTY).select_related("parent")
    categories = Category.objects.filter(is_active=True)
    problems = Problem.objects.visible_to(request.user)
    region_code = request.GET.get("region", "")
    category_key = request.GET.get("category", "")
    if region_code:
        problems = problems.filter(region_id=region_code)
    if category_key:
        problems = problems.filter(category__key=category_key)
    page = paginate(request, common_problems(problems), page_size=GROUPS_PER_PAGE)
    for group in show(page.object_list):
        for problem in group.shown:
            problem.detail_url = problem_url(problem)
    return render(
        request,
        "problems/clusters/common.html",
        {
            "page": page,
            "regions": regions,
            "categories": categories,
            "region_code": region_code,
            "category_key": category_key,
        },
    )
