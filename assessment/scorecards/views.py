"""The liaison cadres' scorecards: the cadres of a region, one cadre's scorecard with the records behind
each number, and both as .xlsx. The numbers come from assessment.scorecards.cards; who sees what from
assessment.scorecards.access (the fence: a region or a cadre outside the reader's is a 404)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.access import get_visible_or_404
from accounts.models import Region
from core.listing import paginate
from core.workbooks import xlsx_response

from ..models import AssessmentPeriod
from . import access, cards, exports

# A county may have hundreds of cadres: the ranking is computed for all of them, a page shows fifty.
CARDS_PER_PAGE = 50


def _period(label):
    return get_object_or_404(AssessmentPeriod, label=label)


def _region(request, code):
    if not access.may_follow(request.user):
        raise PermissionDenied
    return get_visible_or_404(Region.objects.select_related("parent"), request.user, code=code)


def _region_cards(request, period_label, region_code):
    region = _region(request, region_code)
    period = _period(period_label)
    sort = request.GET.get("sort") if request.GET.get("sort") in cards.SORTS else cards.DEFAULT_SORT
    found = cards.region_scorecards(period, region, today=timezone.localdate())
    return period, region, sort, cards.sorted_cards(found.values(), sort)


@require_safe
def cadre_list(request, period, region):
    period, region, sort, rows = _region_cards(request, period, region)
    context = {
        "period": period,
        "region": region,
        "page": paginate(request, rows, page_size=CARDS_PER_PAGE),
        "sort": sort,
        "sorts": [{"key": key, "label": label, "current": key == sort} for key, (label, _order) in cards.SORTS.items()],
        "periods": AssessmentPeriod.objects.all(),
        "regions_below": region.children.all(),
        "as_of": period.as_of(timezone.localdate()),
    }
    return render(request, "assessment/scorecards/cadre_list.html", context)


@require_safe
def cadre_list_export(request, period, region):
    period, region, _sort, rows = _region_cards(request, period, region)
    content, filename = exports.cadre_list_workbook(period, region, rows)
    return xlsx_response(content, filename)


def _official(request, pk):
    return get_object_or_404(access.scorecard_officials(request.user).select_related("region__parent", "department"), pk=pk)


@require_safe
def cadre_scorecard(request, period, pk):
    official = _official(request, pk)
    period = _period(period)
    today = timezone.localdate()
    card = cards.scorecard_of(period, official, today=today)
    records = cards.records_of(period, official, today=today)
    records.forums = access.with_links(records.forums, request.user)
    context = {
        "period": period,
        "official": official,
        "region": cards.home_region(official),
        "card": card,
        "records": records,
        "periods": AssessmentPeriod.objects.all(),
        "may_follow": access.may_follow(request.user),
        "as_of": period.as_of(today),
    }
    return render(request, "assessment/scorecards/cadre_scorecard.html", context)


@require_safe
def cadre_scorecard_export(request, period, pk):
    official = _official(request, pk)
    period = _period(period)
    today = timezone.localdate()
    card = cards.scorecard_of(period, official, today=today)
    content, filename = exports.scorecard_workbook(period, card, cards.records_of(period, official, today=today))
    return xlsx_response(content, filename)
