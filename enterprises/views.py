from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.access import get_visible_or_404
from core.forms import add_service_errors, refusal_text, search_text
from core.listing import filtered_page, paginate
from exports.views import export_response

from . import selectors, services
from .filters import EnterpriseFilter
from .forms import AssignmentForm, BulkAssignmentForm, EndAssignmentForm, EnterpriseForm, ReplaceAssignmentForm
from .history import change_log
from .models import Enterprise, LiaisonAssignment
from .selectors import enterprises_for_list
from .timeline import timeline

AUTOCOMPLETE_LIMIT = 20


@require_safe
@permission_required("enterprises.view_enterprise", raise_exception=True)
def enterprise_list(request):
    enterprise_filter = EnterpriseFilter(request.GET, queryset=enterprises_for_list(request.user), actor=request.user)
    page = filtered_page(request, enterprise_filter)
    bulk_form = BulkAssignmentForm(actor=request.user) if request.user.has_perm("enterprises.assign_liaisons") else None
    return render(
        request, "enterprises/enterprise_list.html", {"filter": enterprise_filter, "page": page, "bulk_form": bulk_form}
    )


@require_safe
@permission_required("enterprises.view_enterprise", raise_exception=True)
def enterprise_detail(request, pk):
    enterprise = get_visible_or_404(
        Enterprise.objects.select_related("region__parent", "industry").prefetch_related("tags"), request.user, pk=pk
    )
    assignments = enterprise.assignments.select_related("official__region", "department", "assigned_by", "ended_by")
    today = timezone.localdate()
    context = {
        "enterprise": enterprise,
        "current_liaisons": [a for a in assignments if a.ended_on is None or a.ended_on > today],
        "past_liaisons": [a for a in assignments if a.ended_on is not None and a.ended_on <= today],
        "timeline": timeline(enterprise),
        "changes": change_log(enterprise),
    }
    return render(request, "enterprises/enterprise_detail.html", context)


@permission_required("enterprises.add_enterprise", raise_exception=True)
def enterprise_create(request):
    form = EnterpriseForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        enterprise = services.save_enterprise(enterprise=form.save(commit=False), tags=form.cleaned_data["tags"])
        messages.success(request, _("Enterprise %(name)s added.") % {"name": enterprise.name})
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form})


@permission_required("enterprises.change_enterprise", raise_exception=True)
def enterprise_update(request, pk):
    enterprise = get_visible_or_404(Enterprise, request.user, pk=pk)
    form = EnterpriseForm(request.POST or None, instance=enterprise, actor=request.user)
    if request.method == "POST" and form.is_valid():
        services.save_enterprise(enterprise=form.save(commit=False), tags=form.cleaned_data["tags"])
        messages.success(request, _("Enterprise %(name)s saved.") % {"name": enterprise.name})
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "enterprise": enterprise})


@require_POST
@permission_required("enterprises.delete_enterprise", raise_exception=True)
def enterprise_delete(request, pk):
    enterprise = get_visible_or_404(Enterprise, request.user, pk=pk)
    try:
        services.delete_enterprise(enterprise=enterprise)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("enterprises:detail", pk=enterprise.pk)
    messages.success(request, _("Enterprise %(name)s deleted.") % {"name": enterprise.name})
    return redirect("enterprises:list")


@permission_required("enterprises.assign_liaisons", raise_exception=True)
def assignment_create(request, pk):
    enterprise = get_visible_or_404(Enterprise, request.user, pk=pk)
    form = AssignmentForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_liaison(
                enterprise=enterprise,
                official=form.cleaned_data["official"],
                actor=request.user,
                started_on=form.cleaned_data["started_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Liaison assigned."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/assignment_form.html", {"form": form, "enterprise": enterprise})


@permission_required("enterprises.assign_liaisons", raise_exception=True)
def assignment_end(request, pk):
    assignment = get_visible_or_404(LiaisonAssignment.objects.select_related("enterprise", "official"), request.user, pk=pk)
    form = EndAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_liaison(
                assignment=assignment,
                actor=request.user,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Liaison ended; it stays in the list's history."))
            return redirect("enterprises:detail", pk=assignment.enterprise_id)
    return render(request, "enterprises/assignment_end.html", {"form": form, "assignment": assignment})


@permission_required("enterprises.assign_liaisons", raise_exception=True)
def assignment_replace(request, pk):
    """Replace a liaison in one step: the current cadre's liaison ends and the new one's starts, one reason."""
    assignment = get_visible_or_404(
        LiaisonAssignment.objects.select_related("enterprise", "official", "department"), request.user, pk=pk
    )
    form = ReplaceAssignmentForm(request.POST or None, actor=request.user, assignment=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            replacement = services.replace_liaison(
                actor=request.user,
                assignment=assignment,
                official=form.cleaned_data["official"],
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(new)s now liaises with %(enterprise)s in place of %(old)s.")
                % {
                    "new": replacement.official.display_name,
                    "enterprise": assignment.enterprise.name,
                    "old": assignment.official.display_name,
                },
            )
            return redirect("enterprises:detail", pk=assignment.enterprise_id)
    return render(request, "enterprises/assignment_replace.html", {"form": form, "assignment": assignment})


@require_POST
@permission_required("enterprises.assign_liaisons", raise_exception=True)
def bulk_assign(request):
    form = BulkAssignmentForm(request.POST, actor=request.user)
    back = request.POST.get("next") or ""
    target = back if back.startswith("/enterprises/") else "enterprises:list"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(target)
    try:
        assigned, unchanged = services.bulk_assign(
            enterprises=form.cleaned_data["enterprises"],
            official=form.cleaned_data["official"],
            actor=request.user,
            started_on=form.cleaned_data["started_on"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, _("Nothing was assigned: %(reason)s") % {"reason": refusal_text(error)})
        return redirect(target)
    official = form.cleaned_data["official"]
    message = ngettext(
        "%(name)s now liaises with %(count)d more enterprise.",
        "%(name)s now liaises with %(count)d more enterprises.",
        len(assigned),
    ) % {"name": official.display_name, "count": len(assigned)}
    if unchanged:
        message += " " + ngettext(
            "%(count)d enterprise already had this cadre.", "%(count)d enterprises already had this cadre.", len(unchanged)
        ) % {"count": len(unchanged)}
    messages.success(request, message)
    return redirect(target)


@require_safe
@permission_required("enterprises.view_enterprise", raise_exception=True)
def my_enterprises(request):
    """A cadre's current enterprises: the list they visit and look after."""
    assignments = (
        LiaisonAssignment.objects.current()
        .of_official(request.user)
        .select_related("enterprise__region__parent", "enterprise__industry")
        .order_by("enterprise__name")
    )
    return render(request, "enterprises/my_enterprises.html", {"page": paginate(request, assignments, page_size=50)})


@require_safe
@permission_required("enterprises.view_liaisonassignment", raise_exception=True)
def roster(request):
    """The liaison list a region or a department fixes, as of a date: printable, and as .xlsx (roster_export)."""
    context = selectors.roster(request.user, request.GET)
    context["page"] = paginate(request, context.pop("assignments"), page_size=200)
    return render(request, "enterprises/roster.html", context)


@require_safe
@permission_required("enterprises.view_liaisonassignment", raise_exception=True)
def roster_export(request):
    """The liaison list of the same choices as .xlsx: at once when small, else written in the background."""
    return export_response(request, "liaison_roster")


@require_safe
@permission_required("enterprises.view_enterprise", raise_exception=True)
def enterprise_autocomplete(request):
    query = search_text(request.GET)
    enterprises = Enterprise.objects.visible_to(request.user)
    enterprises = enterprises.search(query) if query is not None else enterprises.none()
    results = [
        {"value": pk, "text": f"{name}（{code}）"}
        for pk, name, code in enterprises.order_by("name").values_list("pk", "name", "credit_code")[:AUTOCOMPLETE_LIMIT]
    ]
    return JsonResponse({"results": results})
