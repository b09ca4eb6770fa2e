"""The approval pages: the periods and where the user's region stands in each, and a region's approval
page for one period (its figures, the regions below, the moves the lifecycle offers, the history, and for
a closed period the figures that changed after close).

Views stay thin: the fenced fetch (a region outside the user's fence is a 404), a form that parses,
assessment.services that decides; a refusal is a message and a redirect to the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import get_visible_or_404
from accounts.models import Region, RegionLevel
from core.forms import form_error_text, refusal_text

from .. import access, services
from ..figures import changed_after_close
from ..lifecycle import approval_offers
from ..models import AssessmentPeriod, RegionApproval
from . import selectors
from .forms import FORMS, ClosePeriodForm, ConfirmForm, ReasonForm

SUCCESS = {
    "confirm": lambda: _("Figures confirmed: the region above has been told."),
    "accept": lambda: _("Figures accepted."),
    "reopen": lambda: _("Figures reopened."),
}
MOVES = {"confirm": services.confirm_figures, "accept": services.accept_figures, "reopen": services.reopen_figures}


@require_safe
@permission_required(access.FOLLOW_PERMISSION, raise_exception=True)
def approval_index(request):
    periods = list(AssessmentPeriod.objects.order_by("-start", "label"))
    region = Region.objects.filter(code=request.user.region_id).first() if request.user.region_id else None
    approvals = {}
    if region is not None:
        found = RegionApproval.objects.filter(region=region, period__in=periods)
        approvals = {approval.period_id: approval for approval in found}
    rows = [(period, approvals.get(period.pk) or RegionApproval(period=period, region=region)) for period in periods]
    context = {"rows": rows, "region": region, "shows_approval": region is not None and region.level != RegionLevel.PROVINCE}
    return render(request, "assessment/approval/approval_index.html", context)


def _period(label):
    return get_object_or_404(AssessmentPeriod, label=label)


def _region(request, code):
    return get_visible_or_404(Region.objects.select_related("parent"), request.user, code=code)


@require_safe
@permission_required(access.FOLLOW_PERMISSION, raise_exception=True)
def approval_detail(request, period, region):
    period, region = _period(period), _region(request, region)
    approval = services.approval_of(period, region)
    approval.period, approval.region = period, region
    actions = approval_offers(request.user, approval, period)
    is_province = region.level == RegionLevel.PROVINCE
    context = {
        "period": period,
        "region": region,
        "approval": approval,
        "is_province": is_province,
        "actions": actions,
        "confirm_form": ConfirmForm(prefix="confirm") if actions.get("confirm") else None,
        "reopen_form": ReasonForm(prefix="reopen") if actions.get("reopen") else None,
        "close_form": ClosePeriodForm(prefix="close") if actions.get("close") else None,
        "reopen_period_form": ReasonForm(prefix="reopen_period") if actions.get("reopen_period") else None,
        "figures": selectors.figure_rows(period, region),
        "score": selectors.score_of(period, region),
        "below": selectors.regions_below(period, region),
        "events": selectors.history(period, region),
        "pending": services.pending_regions(period) if is_province and not period.is_closed else [],
        "changed": changed_after_close(period, region) if period.is_closed else [],
    }
    return render(request, "assessment/approval/approval_detail.html", context)


def _back(period, region_code):
    return redirect("assessment:approval_detail", period=period.label, region=region_code)


@require_POST
@permission_required(access.APPROVE_PERMISSION, raise_exception=True)
def approval_act(request, period, region, action):
    if action not in MOVES:
        raise Http404
    period, region = _period(period), _region(request, region)
    form = FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return _back(period, region.code)
    try:
        MOVES[action](actor=request.user, period=period, region=region, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, SUCCESS[action]())
    return _back(period, region.code)


def _own_page(request, period):
    if request.user.region_id:
        return _back(period, request.user.region_id)
    return redirect("assessment:approval_index")


@require_POST
@permission_required(access.CLOSE_PERMISSION, raise_exception=True)
def approval_close(request, period):
    period = _period(period)
    form = ClosePeriodForm(request.POST, prefix="close")
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return _own_page(request, period)
    try:
        services.close_period(actor=request.user, period=period, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Period %(period)s closed: its figures and scores are frozen.") % {"period": period.label})
    return _own_page(request, period)


@require_POST
@permission_required(access.CLOSE_PERMISSION, raise_exception=True)
def approval_reopen_period(request, period):
    period = _period(period)
    form = ReasonForm(request.POST, prefix="reopen_period")
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return _own_page(request, period)
    try:
        services.reopen_period(actor=request.user, period=period, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Period %(period)s reopened: its figures are computed again.") % {"period": period.label})
    return _own_page(request, period)
