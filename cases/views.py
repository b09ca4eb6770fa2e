"""The officials' model-case pages: the list, nominating, a case's page with its actions, and photos.

Views stay thin: forms parse, the lifecycle (cases.lifecycle) says which actions the page offers, and
cases.services decides. A refused move is a message and a redirect.
The public showcase is in cases.showcase (its own package).
"""

from collections import namedtuple
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import get_visible_or_404
from core.forms import add_service_errors, form_error_text, refusal_text
from core.listing import filtered_page
from enterprises.models import Enterprise
from problems.models import Problem

from . import access, lifecycle, services
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
from .lifecycle import LIFECYCLE, Action
from .models import Case, CasePhoto, CaseStatus
from .photos import photo_response

# The actions taken from a form on the case's page: action -> (form, service function, the permission
# the role needs, or the page is a 403). Which of them the page offers is the lifecycle's business.
ACTIONS = {
    Action.APPROVE: (CommentForm, services.approve, access.REVIEW_PERMISSION),
    Action.RETURN: (ReturnForm, services.return_for_changes, access.REVIEW_PERMISSION),
    Action.REJECT: (ReasonForm, services.reject, access.REVIEW_PERMISSION),
    Action.RESUBMIT: (NoteForm, services.resubmit, access.NOMINATE_PERMISSION),
    Action.CONSENT: (ConsentForm, services.record_consent, access.NOMINATE_PERMISSION),
    Action.PHOTOS: (PhotoForm, services.add_photos, access.NOMINATE_PERMISSION),
    Action.PUBLISH: (EmptyForm, services.publish, access.PUBLISH_PERMISSION),
    Action.PUBLICITY: (PublicityForm, services.record_publicity, access.PUBLISH_PERMISSION),
    Action.WITHDRAW: (ReasonForm, services.withdraw, access.PUBLISH_PERMISSION),
}
# Actions whose button is drawn as a warning: they end the case's way to the showcase.
DESTRUCTIVE = {Action.REJECT, Action.WITHDRAW}

# One form of the case's page: its action, its button's label, the form, whether the button warns, and a
# sentence shown above the form (empty when there is none).
ActionForm = namedtuple("ActionForm", ["action", "label", "form", "destructive", "notice"])


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
        "to_review": access.reviewable_by(request.user).count(),
        "to_review_query": urlencode({"status": CaseStatus.NOMINATED}),
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


def _notice(case, action):
    if action == Action.PUBLISH and lifecycle.lacks_consent(case):
        return _("The enterprise's consent is not recorded yet: the case cannot be published before it is.")
    return ""


def _render_detail(request, case, bound=None, bound_action=None, status=200):
    offered = lifecycle.available_actions(request.user, case)
    action_forms = [
        ActionForm(
            action,
            action.label,
            bound if action == bound_action else ACTIONS[action][0](prefix=action),
            action in DESTRUCTIVE,
            _notice(case, action),
        )
        for action in offered
        if action in ACTIONS
    ]
    context = {
        "case": case,
        "photos": case.photos.all(),
        "events": case.events.select_related("actor"),
        "publicity": case.publicity.all(),
        "visits": case.evidence_visits.select_related("cadre").order_by("-visited_on"),
        "forums": case.evidence_forums.order_by("-starts_at"),
        "problems": case.evidence_problems.order_by("-raised_on"),
        "qualities": case.qualities,
        "actions": LIFECYCLE.offers(request.user, case),
        "action_forms": action_forms,
    }
    return render(request, "cases/case_detail.html", context, status=status)


@permission_required("cases.add_case", raise_exception=True)
def case_update(request, pk):
    case = _case_for_detail(request, pk)
    try:
        lifecycle.check(case, Action.EDIT, request.user)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
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
    action = Action(action)
    form_class, function, permission = ACTIONS[action]
    if not request.user.has_perm(permission):
        raise PermissionDenied
    case = _case_for_detail(request, pk)
    form = form_class(request.POST, request.FILES, prefix=action)
    if not form.is_valid():
        if LIFECYCLE.allows(request.user, case, action):
            return _render_detail(request, case, bound=form, bound_action=action)
        messages.error(request, form_error_text(form))
        return redirect("cases:detail", pk=case.pk)
    try:
        function(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
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
        messages.error(request, refusal_text(error))
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
