from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import get_visible_or_404
from core.attachments import attachment_response
from core.forms import add_service_errors, refusal_text
from core.listing import filtered_page, paginate
from exports.views import export_response
from notifications.channels import serving
from visits.models import Visit

from . import access, services
from .deadlines import deadline_state
from .feedback.handover import handover_for
from .filters import ProblemFilter
from .forms import ACTIONS, ProblemForm
from .models import Problem, ProblemEventAttachment, Source
from .workdays import WorkingCalendar


def problems_for_list(user):
    """Problems the user may see, with what a list row shows loaded in a fixed number of queries."""
    return Problem.objects.visible_to(user).select_related(
        "enterprise", "category", "region__parent", "handling_region__parent", "handling_department"
    )


def _with_deadline_states(page):
    """Mark each problem of the page with its deadline's colour, from one calendar for the whole page."""
    today, calendar = timezone.localdate(), WorkingCalendar.load()
    for problem in page:
        problem.deadline_state = deadline_state(problem, today=today, calendar=calendar)
    return page


@require_safe
@permission_required("problems.view_problem", raise_exception=True)
def problem_list(request):
    problem_filter = ProblemFilter(request.GET, queryset=problems_for_list(request.user), actor=request.user)
    page = _with_deadline_states(filtered_page(request, problem_filter))
    return render(request, "problems/problem_list.html", {"filter": problem_filter, "page": page})


@require_safe
@permission_required("problems.view_problem", raise_exception=True)
def escalated_list(request):
    """The province's list: problems awaiting its decision, or (?show=decided) those it has decided.
    Below the province, the fence leaves a region's own escalated problems."""
    decided = request.GET.get("show") == "decided"
    problems = problems_for_list(request.user).ever_escalated()
    if decided:
        problems = problems.exclude(escalation_decided_at=None).order_by("-escalation_decided_at", "-id")
    else:
        problems = problems.escalated().order_by("escalated_at", "id")
    page = _with_deadline_states(paginate(request, problems))
    return render(request, "problems/escalated_list.html", {"page": page, "decided": decided})


@require_safe
@permission_required("problems.view_problem", raise_exception=True)
def ledger(request):
    """The filtered list as the official ledger (.xlsx): at once when small, else written in the background."""
    return export_response(request, "problem_ledger")


@permission_required("problems.add_problem", raise_exception=True)
def problem_create(request):
    initial = {"source": Source.OTHER}
    visit = None
    visit_id = request.POST.get("visit") or request.GET.get("visit") or ""
    if visit_id:
        visit = get_visible_or_404(Visit.objects.select_related("enterprise"), request.user, pk=visit_id)
        initial.update(visit=visit.pk, enterprise=visit.enterprise_id, source=Source.VISIT)
    elif request.GET.get("enterprise", "").isdigit():
        initial["enterprise"] = request.GET["enterprise"]
    form = ProblemForm(request.POST or None, request.FILES or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.raise_problem(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Problem raised; it waits for the liaison office to triage it."))
            return redirect("problems:detail", pk=problem.pk)
    return render(request, "problems/problem_form.html", {"form": form, "visit": visit})


def _problem_for_detail(request, pk):
    return get_visible_or_404(
        Problem.objects.select_related(
            "enterprise__region__parent",
            "category",
            "region__parent",
            "office_region__parent",
            "handling_region__parent",
            "handling_department",
            "visit",
            "raised_by",
            "outcome_department",
            "escalation_decided_by",
        ),
        request.user,
        pk=pk,
    )


@require_safe
@permission_required("problems.view_problem", raise_exception=True)
def problem_detail(request, pk):
    problem = _problem_for_detail(request, pk)
    return _render_detail(request, problem)


def _render_detail(request, problem, bound=None, status=200):
    """The problem's page, with one form per action the user may take; `bound` is a form that failed."""
    forms = []
    for action in services.available_actions(request.user, problem):
        form_class, _function = ACTIONS[action]
        if any(isinstance(form, form_class) for _action, form in forms):
            continue  # accept and reject: one verdict form
        if bound is not None and isinstance(bound, form_class):
            forms.append((bound.prefix, bound))
        else:
            forms.append((action.value, form_class(problem=problem, actor=request.user, prefix=action.value)))
    context = {
        "problem": problem,
        "deadline_state": deadline_state(problem, today=timezone.localdate()),
        "events": problem.events.for_timeline(),
        "verdicts": problem.verdicts.select_related("recorded_by", "called_by"),
        "action_forms": forms,
        "may_nominate_case": access.may_nominate_as_case(request.user, problem),
        # The enterprise's verdict link, with its QR code, for whoever hands it over.
        "handover": handover_for(request.user, problem, request),
        # The forum opinion the problem came from, to link back to the forum.
        "opinion": problem.forum_opinions.select_related("forum").first() if problem.source == Source.FORUM else None,
    }
    return render(request, "problems/problem_detail.html", context, status=status)


@require_POST
@permission_required("problems.change_problem", raise_exception=True)
def problem_act(request, pk, action):
    """Every move of the state machine: the action's form, then its function in problems.services,
    which refuses a move the problem's state or the user's place does not allow."""
    if action not in services.Action.values or action not in ACTIONS:
        raise Http404
    problem = _problem_for_detail(request, pk)
    action = services.Action(action)
    if action not in services.available_actions(request.user, problem):
        messages.error(request, _refusal(problem, action))
        return redirect("problems:detail", pk=problem.pk)
    form_class, function = ACTIONS[action]
    form = form_class(request.POST, request.FILES, problem=problem, actor=request.user, prefix=action.value)
    if not form.is_valid():
        return _render_detail(request, problem, bound=form)
    try:
        with serving(request):  # the notice sent once the move commits links to this address without SITE_URL
            problem = function(actor=request.user, problem=problem, **form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
            add_service_errors(form, error)
            return _render_detail(request, problem, bound=form)
        messages.error(request, refusal_text(error))
        return redirect("problems:detail", pk=problem.pk)
    messages.success(request, _("Saved. The problem is now “%(status)s”.") % {"status": problem.get_status_display()})
    return redirect("problems:detail", pk=problem.pk)


def _refusal(problem, action):
    return _("You cannot %(action)s this problem now: it is “%(status)s”, held by %(holder)s.") % {
        "action": action.label,
        "status": problem.get_status_display(),
        "holder": problem.holder_label,
    }


@require_safe
@permission_required("problems.view_problem", raise_exception=True)
def attachment_download(request, pk):
    """Documents of a problem's timeline are served through the portal only, to users who may see it."""
    try:
        attachment = ProblemEventAttachment.objects.select_related("event").get(pk=pk)
    except ProblemEventAttachment.DoesNotExist:
        raise Http404 from None
    get_visible_or_404(Problem, request.user, pk=attachment.event.problem_id)
    return attachment_response(attachment)
