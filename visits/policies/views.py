"""The policy library: everyone reads the policies in force in their region; staff add those of their level.

Reading and editing are fenced differently. A reader sees the policies of their region, of the
regions above it and of the regions below it (`Policy.objects.applicable_to`); an editor changes only
those issued inside their own region (`visible_to`), so a county official reads a provincial policy
but cannot edit it. Outside either fence a policy is a 404, as if it did not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import get_visible_or_404
from core.listing import filtered_page, paginate
from enterprises.models import Enterprise

from .. import access
from ..models import Policy, PolicyDelivery, Visit, VisitStatus
from . import services
from .forms import PolicyFilter, PolicyForm
from .validity import validity_on

SUGGESTION_LIMIT = 50
DELIVERIES_PAGE_SIZE = 50


def get_readable_or_404(user, pk, queryset=None):
    """A policy the user may read (see the module's docstring); one they may not is missing."""
    queryset = Policy.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.applicable_to(user), pk=pk)


@require_safe
@permission_required("visits.view_policy", raise_exception=True)
def policy_list(request):
    today = timezone.localdate()
    policies = Policy.objects.applicable_to(request.user).select_related("region__parent").prefetch_related("industries", "tags")
    policy_filter = PolicyFilter(request.GET, queryset=policies, today=today)
    page = filtered_page(request, policy_filter)
    for policy in page:
        policy.validity = validity_on(policy, today)
    return render(request, "visits/policy_list.html", {"filter": policy_filter, "page": page})


@require_safe
@permission_required("visits.view_policy", raise_exception=True)
def policy_detail(request, pk):
    policy = get_readable_or_404(
        request.user, pk, Policy.objects.select_related("region__parent", "created_by").prefetch_related("industries", "tags")
    )
    today = timezone.localdate()
    policy.validity = validity_on(policy, today)
    # Only what the reader's region obtained, and only from submitted visits: a draft may still change.
    deliveries = (
        PolicyDelivery.objects.visible_to(request.user)
        .filter(policy=policy, visit__status=VisitStatus.SUBMITTED)
        .select_related("enterprise", "visit")
        .order_by("-visit__visited_on", "-id")
    )
    totals = deliveries.aggregate(amount=Sum("amount"), enterprises=Count("enterprise", distinct=True))
    explained = Visit.objects.visible_to(request.user).submitted().filter(policies_explained=policy).count()
    context = {
        "policy": policy,
        "can_edit": access.may_edit_policy(request.user, policy),
        "deliveries": paginate(request, deliveries, page_size=DELIVERIES_PAGE_SIZE),
        "total_amount": totals["amount"],
        "enterprise_count": totals["enterprises"],
        "explained_count": explained,
    }
    return render(request, "visits/policy_detail.html", context)


@permission_required("visits.add_policy", raise_exception=True)
def policy_create(request):
    form = PolicyForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        policy = services.save_policy(
            policy=form.save(commit=False),
            industries=form.cleaned_data["industries"],
            tags=form.cleaned_data["tags"],
            actor=request.user,
        )
        messages.success(request, _("Policy %(title)s added to the library.") % {"title": policy.title})
        return redirect("visits:policy_detail", pk=policy.pk)
    return render(request, "visits/policy_form.html", {"form": form})


@permission_required("visits.change_policy", raise_exception=True)
def policy_update(request, pk):
    # Editable only inside the editor's own region: a provincial policy is read-only in a county.
    policy = get_visible_or_404(Policy, request.user, pk=pk)
    form = PolicyForm(request.POST or None, request.FILES or None, instance=policy, actor=request.user)
    if request.method == "POST" and form.is_valid():
        services.save_policy(
            policy=form.save(commit=False),
            industries=form.cleaned_data["industries"],
            tags=form.cleaned_data["tags"],
            actor=request.user,
        )
        messages.success(request, _("Policy %(title)s saved.") % {"title": policy.title})
        return redirect("visits:policy_detail", pk=policy.pk)
    return render(request, "visits/policy_form.html", {"form": form, "policy": policy})


@require_safe
@permission_required("visits.view_policy", raise_exception=True)
def policy_document(request, pk):
    """The policy's PDF, served through the portal only (never from MEDIA_URL) to those who may read it."""
    policy = get_readable_or_404(request.user, pk)
    if not policy.document:
        raise Http404
    try:
        handle = policy.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = (policy.document_number or policy.title).replace("/", "-").replace("\\", "-")
    response = FileResponse(handle, content_type="application/pdf", filename=f"{name}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True)
    return response


@require_safe
@permission_required("visits.view_policy", raise_exception=True)
def policy_suggestions(request):
    """Policies in force today that fit the enterprise, for the visit form to tick in advance."""
    enterprise = get_visible_or_404(Enterprise, request.user, pk=request.GET.get("enterprise"))
    policies = Policy.objects.matching(enterprise).valid_on(timezone.localdate())
    results = [
        {"value": pk, "text": f"{title}（{number}）" if number else title, "summary": summary}
        for pk, title, number, summary in policies.values_list("pk", "title", "document_number", "summary")[:SUGGESTION_LIMIT]
    ]
    return JsonResponse({"results": results})
