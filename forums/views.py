"""The forum pages: the list, planning, a forum's page with its actions, and the compliance grid.

Views stay thin: forms parse, forums.services decides, and forums.lifecycle says which actions a forum's
page offers (context `actions`). A refused move is a message and a redirect.
"""

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
from core.attachments import attachment_response
from core.forms import add_service_errors, form_error_text, refusal_text
from core.listing import paginate
from core.workbooks import xlsx_response
from exports.views import export_response

from . import access, exports, services
from .compliance import ComplianceState, compliance_grid, compliance_tables
from .forms import ACTIONS, ForumPlanForm, OpinionToProblemForm
from .lifecycle import LIFECYCLE, Action, available_actions
from .models import Forum, ForumAttachment, ForumStatus, Opinion
from .selectors import filtered_forums, visible_region

COMPLIANCE_PERIODS = 8


@require_safe
@permission_required("forums.view_forum", raise_exception=True)
def forum_list(request):
    forums, criteria = filtered_forums(request.user, request.GET)
    page = paginate(request, forums.select_related("region__parent").order_by("-starts_at", "-id"))
    context = {
        "page": page,
        "statuses": ForumStatus.choices,
        "query": request.GET.urlencode(),
        "can_plan": access.plans_forums(request.user),
        **criteria,
    }
    return render(request, "forums/forum_list.html", context)


@require_safe
@permission_required("forums.view_forum", raise_exception=True)
def forum_export(request):
    """The filtered list as .xlsx: at once when small, else written in the background (forums/exports.py)."""
    return export_response(request, "forums")


@require_safe
@permission_required("forums.view_forum", raise_exception=True)
def opinion_export(request):
    """The opinions raised at the filtered forums, as .xlsx."""
    return export_response(request, "forum_opinions")


@permission_required("forums.add_forum", raise_exception=True)
def forum_create(request):
    form = ForumPlanForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.plan_forum(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Forum planned."))
            return redirect("forums:detail", pk=forum.pk)
    return render(request, "forums/forum_form.html", {"form": form})


@permission_required("forums.change_forum", raise_exception=True)
def forum_update(request, pk):
    forum = _forum_for_detail(request, pk)
    try:
        LIFECYCLE.check(forum, Action.CHANGE, request.user)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("forums:detail", pk=forum.pk)
    initial = {
        "region": forum.region_id,
        "starts_at": timezone.localtime(forum.starts_at),
        "venue": forum.venue,
        "theme": forum.theme,
        "organisers": list(forum.organisers.values_list("pk", flat=True)),
        "invited_enterprises": list(forum.invited_enterprises.values_list("pk", flat=True)),
        "invited_officials": list(forum.invited_officials.values_list("pk", flat=True)),
    }
    form = ForumPlanForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_plan(actor=request.user, forum=forum, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan is changed."))
            return redirect("forums:detail", pk=forum.pk)
    return render(request, "forums/forum_form.html", {"form": form, "forum": forum})


def _forum_for_detail(request, pk):
    return get_visible_or_404(Forum.objects.select_related("region__parent", "created_by"), request.user, pk=pk)


def _officials(queryset):
    return queryset.select_related("region__parent", "department").order_by("region_id", "full_name")


@require_safe
@permission_required("forums.view_forum", raise_exception=True)
def forum_detail(request, pk):
    forum = _forum_for_detail(request, pk)
    offered = available_actions(request.user, forum)
    action_forms = [(action, form_class(forum=forum)) for action, (form_class, _function) in ACTIONS.items() if action in offered]
    context = {
        "forum": forum,
        "organisers": forum.organisers.select_related("region"),
        "invited_enterprises": forum.invited_enterprises.order_by("name"),
        "invited_officials": _officials(forum.invited_officials),
        "attending_officials": _officials(forum.attending_officials),
        "attendances": forum.attendances.select_related("enterprise"),
        "replies": forum.replies.select_related("enterprise").order_by("-replied_at", "-id"),
        "attachments": forum.attachments.all(),
        "opinions": forum.opinions.select_related("enterprise", "problem"),
        "actions": LIFECYCLE.offers(request.user, forum),
        "action_forms": action_forms,
        "problem_form": OpinionToProblemForm() if Action.PROBLEM in offered else None,
    }
    return render(request, "forums/forum_detail.html", context)


@require_POST
@permission_required("forums.change_forum", raise_exception=True)
def forum_act(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    forum = _forum_for_detail(request, pk)
    form_class, function = ACTIONS[action]
    form = form_class(request.POST, request.FILES, forum=forum)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("forums:detail", pk=forum.pk)
    try:
        function(actor=request.user, forum=forum, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("forums:detail", pk=forum.pk)


PRINTABLES = {
    "invitations": "forums/print_invitations.html",
    "sign-in": "forums/print_sign_in.html",
}


@require_safe
@permission_required("forums.view_forum", raise_exception=True)
def forum_print(request, pk, sheet):
    """A page to print for a forum: the invitation list, or the sign-in sheet to pass round at the door."""
    if sheet not in PRINTABLES:
        raise Http404
    forum = _forum_for_detail(request, pk)
    try:
        LIFECYCLE.check(forum, Action.PRINT, request.user)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("forums:detail", pk=forum.pk)
    enterprises = forum.invited_enterprises.select_related("region__parent").order_by("name")
    context = {
        "forum": forum,
        "organisers": forum.organisers.all(),
        "enterprises": enterprises,
        "officials": _officials(forum.invited_officials),
        "blank_rows": range(max(0, SIGN_IN_MIN_ROWS - len(enterprises))),
    }
    return render(request, PRINTABLES[sheet], context)


SIGN_IN_MIN_ROWS = 12


@require_safe
@permission_required("forums.view_forum", raise_exception=True)
def attachment_download(request, pk):
    """A forum's attachments are served through the portal only, to users who may see the forum."""
    try:
        attachment = ForumAttachment.objects.get(pk=pk)
    except ForumAttachment.DoesNotExist:
        raise Http404 from None
    get_visible_or_404(Forum, request.user, pk=attachment.forum_id)
    return attachment_response(attachment)


@require_POST
@permission_required("problems.add_problem", raise_exception=True)
def opinion_to_problem(request, pk):
    opinion = get_visible_or_404(Opinion.objects.select_related("forum"), request.user, pk=pk)
    form = OpinionToProblemForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("forums:detail", pk=opinion.forum_id)
    try:
        opinion = services.opinion_to_problem(actor=request.user, opinion=opinion, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("forums:detail", pk=opinion.forum_id)
    messages.success(request, _("The opinion is on the problem list."))
    return redirect("problems:detail", pk=opinion.problem_id)


def _compliance_rows(request):
    """The region the grid is of (`?region=`, the reader's own by default; outside the reader's: 404), its rows
    (the region and those directly below) and today."""
    code = request.GET.get("region") or request.user.region_id or PROVINCE_CODE
    region = visible_region(request.user, code)
    regions = [region, *Region.objects.filter(parent=region).select_related("parent").order_by("code")]
    today = timezone.localdate()
    return region, compliance_grid(regions, COMPLIANCE_PERIODS, today=today), today


@require_safe
@permission_required("forums.view_forum", raise_exception=True)
def compliance(request):
    region, rows, today = _compliance_rows(request)
    # The region above, when the user may see it: the grid's way up.
    above = region.parent if region.parent_id and access.reaches(request.user, region.parent_id) else None
    context = {
        "region": region,
        "above": above,
        "rows": rows,
        "tables": compliance_tables(rows, today=today),
        "states": list(ComplianceState),
    }
    return render(request, "forums/compliance.html", context)


@require_safe
@permission_required("forums.view_forum", raise_exception=True)
def compliance_export(request):
    """The compliance grid of the same region as .xlsx (forums/exports.py): a region outside the reader's is a 404."""
    region, rows, today = _compliance_rows(request)
    content, filename = exports.compliance_workbook(region, rows, today=today)
    return xlsx_response(content, filename)
