"""The dashboards: a region's figures of a period (the province's cities side by side, a city's counties, a
county's cadres), the records behind every figure, and "refresh now" with its progress.

Views stay thin: the fence fetches the region (`get_visible_or_404`: outside the user's region is a 404),
assessment.dashboards.selectors reads the stored tables, assessment.tasks refreshes them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import PROVINCE_CODE, get_visible_or_404
from accounts.models import Region
from assessment import progress, tasks
from assessment.indicators import BY_CODE, Unit
from assessment.models import AssessmentPeriod
from core.listing import paginate

from ..access import APPROVE_PERMISSION, FOLLOW_PERMISSION, may_refresh
from . import selectors


def _region_for(request, code=None):
    if code is None:
        code = request.user.region_id or (PROVINCE_CODE if request.user.is_superuser else None)
        if code is None:
            raise Http404
    return get_visible_or_404(Region.objects.select_related("parent"), request.user, code=code)


def _period_for(label, periods):
    found = next((period for period in periods if period.label == label), None)
    if found is None:
        raise Http404
    return found


@require_safe
@permission_required(FOLLOW_PERMISSION, raise_exception=True)
def dashboard(request, period=None, region=None):
    """A region's dashboard of a period: by default the user's own region and the latest open period."""
    periods = selectors.periods_newest_first()
    chosen = _period_for(period, periods) if period else selectors.default_period(periods)
    place = _region_for(request, region)
    if chosen is None:
        return render(request, "assessment/dashboards/dashboard.html", {"region": place, "board": None})
    board = selectors.dashboard(chosen, place, periods=periods)
    context = {
        "region": place,
        "board": board,
        "ancestors": place.ancestors().visible_to(request.user),
        "can_refresh": may_refresh(request.user) and not chosen.is_closed,
        "refresh": progress.state(chosen.pk),
        "scores_chart": board.scores_chart(),
        "trend_chart": board.trend_chart(),
    }
    return render(request, "assessment/dashboards/dashboard.html", context)


@require_safe
@permission_required(FOLLOW_PERMISSION, raise_exception=True)
def figure_records(request, period, region, indicator, part):
    """The records behind one figure of a region inside the user's fence, as an ordinary paginated list."""
    chosen = get_object_or_404(AssessmentPeriod, label=period)
    place = _region_for(request, region)
    found = BY_CODE.get(indicator)
    if found is None or part not in selectors.PARTS:
        raise Http404
    records = selectors.figure_records(chosen, place, found, part, today=timezone.localdate())
    if records is None:
        raise Http404
    page = paginate(request, records)
    stored = selectors.stored_figure(chosen, place, found)
    figure = None
    if stored is not None:
        figure = stored.numerator if part == "numerator" else stored.denominator
    shown_as_count = part == "denominator" or found.unit not in (Unit.AMOUNT, Unit.DAYS)
    context = {
        "period": chosen,
        "region": place,
        "indicator": found,
        "part": part,
        "is_numerator": part == "numerator",
        "page": page,
        "rows": selectors.record_rows(page),
        "stored": stored,
        "cell": selectors.cell_of(found, stored, period=chosen, region=place, linked=True),
        "figure_text": selectors.format_count(figure) if shown_as_count else selectors.format_number(figure, found.unit),
        # The frozen figure of a closed period (or one not refreshed since) may differ from today's records.
        "count_differs": shown_as_count
        and figure is not None
        and not page.paginator.is_truncated
        and page.paginator.count != int(figure),
        "unit_label": Unit.LABELS[found.unit],
        "dashboard_url": selectors.region_url(chosen, place),
    }
    return render(request, "assessment/dashboards/figure_records.html", context)


@require_POST
@permission_required(APPROVE_PERMISSION, raise_exception=True)
def refresh(request, period):
    """Recompute an open period's figures now, in the background; the page then shows its progress."""
    if not may_refresh(request.user):
        raise PermissionDenied
    chosen = get_object_or_404(AssessmentPeriod, label=period)
    back = _back_to(request, chosen)
    if chosen.is_closed:
        messages.error(request, _("This period is closed: its figures are frozen and cannot be refreshed."))
        return back
    if not progress.start(chosen.pk):
        messages.info(request, _("The figures of this period are already being refreshed."))
        return back
    tasks.refresh_period_now.delay(chosen.pk)
    messages.success(request, _("Refreshing the figures: this page shows the progress and reloads when it is done."))
    return back


def _back_to(request, period):
    code = request.POST.get("region", "")
    if len(code) == 6 and code.isdigit():
        return redirect("assessment:dashboard_region", period=period.label, region=code)
    return redirect("assessment:dashboard_period", period=period.label)


@require_safe
@permission_required(FOLLOW_PERMISSION, raise_exception=True)
def refresh_progress(request, period):
    """How far a refresh of the period has got: {"running": bool, "percent": 0–100}, polled by the page."""
    chosen = get_object_or_404(AssessmentPeriod, label=period)
    return JsonResponse(progress.state(chosen.pk))
