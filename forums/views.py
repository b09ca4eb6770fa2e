"""The forum pages: the list, planning, a forum's page with its actions, and the compliance grid.

Views stay thin: forms parse, forums.services decides. A refused move is a message and a redirect.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import PROVINCE_CODE, get_visible_or_404
from accounts.models import Region
from liaison.listing import paginate

from . import services
from .compliance import ComplianceState, compliance_grid, day_range
from .forms import ACTIONS, ForumPlanForm, OpinionToProblemForm
from .models import Forum, Opinion

COMPLIANCE_PERIODS = 8


def _parse_date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _visible_region(user, code):
    """The region of `code` if the user may see it; 404 otherwise."""
    return get_visible_or_404(Region.objects.select_related("parent"), user, code=code)


def _error_text(error):
    return " ".join(error.messages)


@require_safe
@permission_required("forums.view_forum", raise_exception=True)
def forum_list(request):
    forums = Forum.objects.visible_to(request.user).select_related("region__parent").order_by("-starts_at", "-id")
    region = None
    if request.GET.get("region"):
        region = _visible_region(request.user, request.GET["region"])
        forums = forums.in_region(region)
    start, end = _parse_date(request.GET.get("start")), _parse_date(request.GET.get("end"))
    if start:
        forums = forums.filter(starts_at__gte=day_range(start, start)[0])
    if end:
        forums = forums.filter(starts_at__lt=day_range(end, end)[1])
    page = paginate(request, forums)
    return render(request, "forums/forum_list.html", {"page": page, "region": region, "start": start, "end": end})


@permission_required("forums.add_forum", raise_exception=True)
def forum_create(request):
    form = ForumPlanForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.plan_forum(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Forum planned."))
            return redirect("forums:detail", pk=forum.pk)
    return render(request, "forums/forum_form.html", {"form": form})


def _forum_for_detail(request, pk):
    return get_visible_or_404(Forum.objects.select_related("region__parent", "created_by"), request.user, pk=pk)


@require_safe
@permission_required("forums.view_forum", raise_exception=True)
def forum_detail(request, pk):
    forum = _forum_for_detail(request, pk)
    action_forms = []
    if request.user.has_perm("forums.change_forum"):
        action_forms = [(action, form_class(forum=forum)) for action, (form_class, _function) in ACTIONS.items()]
    can_raise = request.user.has_perm("problems.add_problem") and request.user.has_perm("forums.change_forum")
    context = {
        "forum": forum,
        "attendances": forum.attendances.select_related("enterprise"),
        "opinions": forum.opinions.select_related("enterprise", "problem"),
        "action_forms": action_forms,
        "problem_form": OpinionToProblemForm() if can_raise else None,
    }
    return render(request, "forums/forum_detail.html", context)


@require_POST
@permission_required("forums.change_forum", raise_exception=True)
def forum_act(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    forum = _forum_for_detail(request, pk)
    form_class, function = ACTIONS[action]
    form = form_class(request.POST, forum=forum)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("forums:detail", pk=forum.pk)
    try:
        function(actor=request.user, forum=forum, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("forums:detail", pk=forum.pk)


@require_POST
@permission_required("problems.add_problem", raise_exception=True)
def opinion_to_problem(request, pk):
    opinion = get_visible_or_404(Opinion.objects.select_related("forum"), request.user, pk=pk)
    form = OpinionToProblemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("forums:detail", pk=opinion.forum_id)
    try:
        opinion = services.opinion_to_problem(actor=request.user, opinion=opinion, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("forums:detail", pk=opinion.forum_id)
    messages.success(request, _("The opinion is on the problem list."))
    return redirect("problems:detail", pk=opinion.problem_id)


STATE_COLOURS = {
    ComplianceState.HELD: "success",
    ComplianceState.PLANNED: "info",
    ComplianceState.MISSING: "warning",
    ComplianceState.PAST_DUE: "danger",
}


@require_safe
@permission_required("forums.view_forum", raise_exception=True)
def compliance(request):
    code = request.GET.get("region") or request.user.region_id or PROVINCE_CODE
    region = _visible_region(request.user, code)
    regions = [region, *Region.objects.filter(parent=region).select_related("parent").order_by("code")]
    rows = [
        (row.region, [(cell, STATE_COLOURS[cell.state], ComplianceState(cell.state).label) for cell in row.cells])
        for row in compliance_grid(regions, COMPLIANCE_PERIODS, today=timezone.localdate())
    ]
    context = {"region": region, "rows": rows, "states": [(state.label, STATE_COLOURS[state]) for state in ComplianceState]}
    return render(request, "forums/compliance.html", context)


def _form_errors(form):
    return " ".join(message for messages_ in form.errors.values() for message in messages_)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error)
