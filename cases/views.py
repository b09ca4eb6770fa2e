"""The officials' model-case pages: the list, nominating, a case's page with its actions, and photos.

Views stay thin: forms parse, cases.services decides. A refused move is a message and a redirect.
The public showcase is in cases.showcase.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.access import get_visible_or_404
from core.forms import add_service_errors
from core.listing import filtered_page
from enterprises.models import Enterprise
from problems.models import Problem

from . import services
from .filters import CaseFilter
from .forms import (
    CaseForm,
    CommentForm,
    ConsentForm,
    EmptyForm,
    NominationForm,
    NoteForm,
    PhotoForm,
    PublicityForm,
    ReasonForm,
    ReturnForm,
)
from .models import CONSENT_STATES, EDITABLE_STATES, Case, CasePhoto, CaseStatus
from .photos import photo_response

# action: (form, service function, permission the role needs, label, states in which it is offered)
ACTIONS = {
    "approve": (CommentForm, services.approve, "cases.review_cases", gettext_lazy("Approve"), {CaseStatus.NOMINATED}),
    "return": (
        ReturnForm,
        services.return_for_changes,
        "cases.review_cases",
        gettext_lazy("Return for changes"),
        {CaseStatus.NOMINATED},
    ),
    "reject": (ReasonForm, services.reject, "cases.review_cases", gettext_lazy("Reject"), {CaseStatus.NOMINATED}),
    "resubmit": (NoteForm, services.resubmit, "cases.add_case", gettext_lazy("Resubmit for review"), {CaseStatus.RETURNED}),
    "consent": (
        ConsentForm,
        services.record_consent,
        "cases.add_case",
        gettext_lazy("Record the enterprise's consent"),
        CONSENT_STATES,
    ),
    "photos": (
        PhotoForm,
        services.add_photos,
        "cases.add_case",
        gettext_lazy("Add photos"),
        EDITABLE_STATES,
    ),
    "publish": (
        EmptyForm,
        services.publish,
        "cases.publish_cases",
        gettext_lazy("Publish on the showcase"),
        {CaseStatus.APPROVED},
    ),
    "publicity": (
        PublicityForm,
        services.record_publicity,
        "cases.publish_cases",
        gettext_lazy("Record publicity"),
        {CaseStatus.PUBLISHED},
    ),
    "withdraw": (
        ReasonForm,
        services.withdraw,
        "cases.publish_cases",
        gettext_lazy("Withdraw from the showcase"),
        {CaseStatus.PUBLISHED},
    ),
}


def _may_take(user, case, action):
    """Whether the case's page offers `action` to `user` (the services check again when it is taken)."""
    _form, _function, permission, _label, states = ACTIONS[action]
    if case.status not in states or not user.has_perm(permission):
        return False
    if permission == "cases.review_cases":
        return services.may_review(user, case)
    if action == "consent":
        return services.may_record_consent(user, case)
    if action in ("resubmit", "photos"):
        return services.may_edit(user, case)
    return True


def cases_for_list(user):
    return (
        Case.objects.visible_to(user)
        .select_related("enterprise", "region__parent", "nominated_by")
        .prefetch_related("quality_rows")
        .order_by("-nominated_at", "-id")
    )


@require_safe
@permission_required("cases.view_case", raise_exception=True)
def case_list(request):
    case_filter = CaseFilter(request.GET, queryset=cases_for_list(request.user), actor=request.user)
    context = {
        "filter": case_filter,
        "page": filtered_page(request, case_filter),
        "to_review": services.reviewable_by(request.user).count(),
    }
    return render(request, "cases/case_list.html", context)


@permission_required("cases.add_case", raise_exception=True)
def case_nominate(request, enterprise):
    """Nominate an enterprise of the user's region; `?problem=` names the solved problem it comes from."""
    enterprise = get_visible_or_404(Enterprise.objects.select_related("region__parent", "industry"), request.user, pk=enterprise)
    source_problem = None
    problem_id = request.POST.get("problem") or request.GET.get("problem") or ""
    if problem_id:
        source_problem = get_visible_or_404(Problem, request.user, pk=problem_id, enterprise=enterprise)
        if not services.solved_problems(enterprise).filter(pk=source_problem.pk).exists():
            messages.error(request, _("A case can be nominated only from a solved problem."))
            return redirect("problems:detail", pk=source_problem.pk)
    initial = {"evidence_problems": [source_problem.pk]} if source_problem else {}
    form = NominationForm(request.POST or None, request.FILES or None, enterprise=enterprise, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.nominate(
                actor=request.user,
                enterprise=enterprise,
                source_problem=source_problem,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case nominated; it waits for the united-front staff to review it."))
            return redirect("cases:detail", pk=case.pk)
    context = {"form": form, "enterprise": enterprise, "source_problem": source_problem}
    return render(request, "cases/case_form.html", context)


def _case_for_detail(request, pk):
    return get_visible_or_404(
        Case.objects.select_related(
            "enterprise__region__parent",
            "enterprise__industry",
            "region__parent",
            "nominated_by",
            "nominating_region__parent",
            "reviewed_by",
            "published_by",
            "source_problem",
        ),
        request.user,
        pk=pk,
    )


@require_safe
@permission_required("cases.view_case", raise_exception=True)
def case_detail(request, pk):
    case = _case_for_detail(request, pk)
    return _render_detail(request, case)


def _render_detail(request, case, bound=None, bound_action=None, status=200):
    action_forms = []
    for action, (form_class, _function, _permission, label, _states) in ACTIONS.items():
        if not _may_take(request.user, case, action):
            continue
        form = bound if action == bound_action else form_class(prefix=action)
        action_forms.append((action, label, form))
    context = {
        "case": case,
        "photos": case.photos.all(),
        "events": case.events.select_related("actor"),
        "publicity": case.publicity.all(),
        "visits": case.evidence_visits.select_related("cadre").order_by("-visited_on"),
        "forums": case.evidence_forums.order_by("-starts_at"),
        "problems": case.evidence_problems.order_by("-raised_on"),
        "qualities": case.qualities,
        "action_forms": action_forms,
        "can_edit": services.may_edit(request.user, case),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@permission_required("cases.add_case", raise_exception=True)
def case_update(request, pk):
    case = _case_for_detail(request, pk)
    if not services.may_edit(request.user, case):
        if case.status in EDITABLE_STATES:
            messages.error(request, _("Only the nominator or the united-front staff can change this case."))
        else:
            messages.error(
                request, _("This case cannot be changed now: it is “%(status)s”.") % {"status": case.get_status_display()}
            )
        return redirect("cases:detail", pk=case.pk)
    form = CaseForm(request.POST or None, request.FILES or None, enterprise=case.enterprise, initial=CaseForm.initial_for(case))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.update_case(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case saved."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "enterprise": case.enterprise, "case": case})


@require_POST
def case_act(request, pk, action):
    """Every move of a case: the role must allow the action (403), the case must be in the user's
    region (404); then cases.services refuses what the case's state or the user's place does not allow."""
    if action not in ACTIONS:
        raise Http404
    form_class, function, permission, _label, _states = ACTIONS[action]
    if not request.user.has_perm(permission):
        raise PermissionDenied
    case = _case_for_detail(request, pk)
    form = form_class(request.POST, request.FILES, prefix=action)
    if not form.is_valid():
        if _may_take(request.user, case, action):
            return _render_detail(request, case, bound=form, bound_action=action)
        messages.error(request, _form_errors(form))
        return redirect("cases:detail", pk=case.pk)
    try:
        function(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        case.refresh_from_db(fields=["status"])
        messages.success(request, _("Saved. The case is now “%(status)s”.") % {"status": case.get_status_display()})
    return redirect("cases:detail", pk=case.pk)


@require_POST
@permission_required("cases.add_case", raise_exception=True)
def photo_delete(request, pk):
    photo = _visible_photo(request, pk)
    try:
        services.remove_photo(actor=request.user, photo=photo)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Photo removed."))
    return redirect("cases:detail", pk=photo.case_id)


@require_safe
@permission_required("cases.view_case", raise_exception=True)
def photo_download(request, pk):
    """A case's photo, for officials who may see the case, whatever its state."""
    return photo_response(_visible_photo(request, pk))


def _visible_photo(request, pk):
    try:
        photo = CasePhoto.objects.select_related("case").get(pk=pk)
    except CasePhoto.DoesNotExist:
        raise Http404 from None
    get_visible_or_404(Case, request.user, pk=photo.case_id)
    return photo


def _form_errors(form):
    return " ".join(message for field_messages in form.errors.values() for message in field_messages)
