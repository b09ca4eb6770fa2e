from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.access import get_visible_or_404
from core.attachments import attachment_response
from core.forms import add_service_errors, refusal_text, valid_choice
from core.listing import filtered_page, paginate
from exports.views import export_response

from . import access, services
from .filters import VisitFilter
from .forms import DeliveryFormSet, VisitForm, VoidForm
from .lifecycle import LIFECYCLE, Action
from .models import Policy, Visit, VisitAttachment


def visits_for_list(user):
    return Visit.objects.visible_to(user).select_related("enterprise", "cadre", "region__parent")


@require_safe
@permission_required("visits.view_visit", raise_exception=True)
def visit_list(request):
    visit_filter = VisitFilter(request.GET, queryset=visits_for_list(request.user), actor=request.user)
    return render(request, "visits/visit_list.html", {"filter": visit_filter, "page": filtered_page(request, visit_filter)})


@require_safe
@permission_required("visits.view_visit", raise_exception=True)
def visit_export(request):
    """The filtered list as .xlsx: at once when small, else written in the background (visits/exports.py)."""
    return export_response(request, "visits")


@require_safe
@permission_required("visits.add_visit", raise_exception=True)
def my_visits(request):
    visits = Visit.objects.by_cadre(request.user).select_related("enterprise", "cadre").order_by("-visited_on", "-id")
    return render(request, "visits/my_visits.html", {"page": paginate(request, visits)})


def _visit_for_detail(request, pk):
    return get_visible_or_404(
        Visit.objects.select_related("enterprise", "cadre__region", "region__parent", "voided_by").prefetch_related(
            "companions", "policies_explained", "deliveries__policy", "attachments"
        ),
        request.user,
        pk=pk,
    )


def _detail_page(request, visit, *, void_form=None):
    actions = LIFECYCLE.offers(request.user, visit)
    context = {
        "visit": visit,
        "actions": actions,
        # Its problems on the problem list (those of its lines, and those raised from its page since).
        "registered": services.registered_from(visit),
        "void_form": void_form or (VoidForm() if actions.get(Action.VOID) else None),
    }
    return render(request, "visits/visit_detail.html", context)


@require_safe
@permission_required("visits.view_visit", raise_exception=True)
def visit_detail(request, pk):
    return _detail_page(request, _visit_for_detail(request, pk))


@require_POST
@permission_required("visits.void_visits", raise_exception=True)
def visit_void(request, pk):
    """Void a submitted visit, with a reason: outside the region a 404; a visit that cannot be voided (a draft,
    one voided already) says why on its page; a missing or short reason is shown beside the field."""
    visit = _visit_for_detail(request, pk)
    try:
        LIFECYCLE.check(visit, Action.VOID, request.user)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("visits:detail", pk=visit.pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            services.void_visit(actor=request.user, visit=visit, reason=form.cleaned_data["reason"])
        except ValidationError as error:  # voided by a colleague since the check above
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("Visit voided. It stays on the record, marked as voided, and counts no more."))
        return redirect("visits:detail", pk=visit.pk)
    return _detail_page(request, visit, void_form=form)


def _own_visit_to_edit(request, pk):
    """The lead cadre's own visit: outside the region a 404, someone else's a 403."""
    visit = get_visible_or_404(Visit.objects.select_related("enterprise"), request.user, pk=pk)
    if not access.is_lead_cadre(request.user, visit):
        raise PermissionDenied
    return visit


@permission_required("visits.add_visit", raise_exception=True)
def visit_create(request):
    return _edit_visit(request, Visit(cadre=request.user))


@permission_required("visits.change_visit", raise_exception=True)
def visit_update(request, pk):
    visit = _own_visit_to_edit(request, pk)
    try:
        LIFECYCLE.check(visit, Action.EDIT, request.user)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("visits:detail", pk=visit.pk)
    return _edit_visit(request, visit)


def _edit_visit(request, visit):
    # What the form offers (submit, save as a draft), asked before the form and the service touch the visit.
    actions = LIFECYCLE.offers(request.user, visit)
    initial = {}
    if not visit.pk and request.GET.get("enterprise", "").isdigit():
        initial["enterprise"] = request.GET["enterprise"]
    form = VisitForm(request.POST or None, request.FILES or None, instance=visit, cadre=request.user, initial=initial)
    deliveries = DeliveryFormSet(request.POST or None, instance=visit, form_kwargs={"cadre": request.user}, prefix="deliveries")
    if request.method == "POST" and form.is_valid() and deliveries.is_valid():
        submit = request.POST.get("action") == Action.SUBMIT
        was_new = visit.pk is None
        kept = [
            delivery_form.instance
            for delivery_form in deliveries.forms
            if delivery_form.cleaned_data and not delivery_form.cleaned_data.get("DELETE")
        ]
        try:
            visit = services.save_visit(
                actor=request.user,
                visit=form.save(commit=False),
                companions=form.cleaned_data["companions"],
                policies_explained=form.cleaned_data["policies_explained"],
                deliveries=kept,
                attachments=form.cleaned_data["attachments"],
                submit=submit,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if was_new:  # the visit's row was rolled back: the form is still a new visit's
                visit.pk = None
                visit._state.adding = True
        else:
            messages.success(request, _saved_message(visit, submit=submit))
            return redirect("visits:detail", pk=visit.pk)
    suggested = _suggested_policy_ids(form)
    return render(
        request,
        "visits/visit_form.html",
        {"form": form, "deliveries": deliveries, "visit": visit, "suggested": suggested, "actions": actions},
    )


def _saved_message(visit, *, submit):
    """The confirmation: a submitted visit says how many problems its lines became, with their links; a
    draft says that its lines wait for the submission."""
    if not submit:
        waiting = len(services.problem_lines(visit.problems_raised))
        if not waiting:
            return _("Draft saved; you can complete it later.")
        return ngettext(
            "Draft saved; its %(count)d problem goes to the problem list when you submit the visit.",
            "Draft saved; its %(count)d problems go to the problem list when you submit the visit.",
            waiting,
        ) % {"count": waiting}
    if not visit.registered:
        return _("Visit submitted.")
    count = len(visit.registered)
    text = ngettext(
        "Visit submitted; %(count)d problem registered on the problem list:",
        "Visit submitted; %(count)d problems registered on the problem list:",
        count,
    ) % {"count": count}
    link = '<a href="{}" class="alert-link" data-testid="registered-problem">{}</a>'
    links = format_html_join("、", link, ((record.url, record.label) for record in visit.registered))
    return format_html("{} {}", text, links)


def _suggested_policy_ids(form):
    """Policies that fit the chosen enterprise: the form lists them first, marked as suggestions."""
    enterprise = valid_choice(form.fields["enterprise"], form["enterprise"].value())
    if enterprise is None:
        return set()
    return set(Policy.objects.matching(enterprise).values_list("pk", flat=True))


@require_POST
@permission_required("visits.change_visit", raise_exception=True)
def visit_delete(request, pk):
    visit = _own_visit_to_edit(request, pk)
    try:
        services.delete_draft(actor=request.user, visit=visit)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("visits:detail", pk=visit.pk)
    messages.success(request, _("Draft deleted."))
    return redirect("visits:mine")


@require_safe
@permission_required("visits.view_visit", raise_exception=True)
def attachment_download(request, pk):
    """Attachments are served through the portal only, to users who may see the visit."""
    try:
        attachment = VisitAttachment.objects.select_related("visit").get(pk=pk)
    except VisitAttachment.DoesNotExist:
        raise Http404 from None
    get_visible_or_404(Visit, request.user, pk=attachment.visit_id)
    return attachment_response(attachment)
