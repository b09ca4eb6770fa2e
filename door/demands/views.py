"""The enterprise's demands behind its door: raise one, follow it, answer a request for information and
give the verdict. Every demand is fetched from `door.demands.selectors.demands_for(request.door_enterprise)`: another
enterprise's demand is a 404. The moves are problems.services's (raise_from_enterprise,
answer_from_enterprise, record_door_verdict); the timeline is problems.enterprise_view's.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import add_service_errors, refusal_text
from problems import services
from problems.enterprise_view import enterprise_state, timeline_for_enterprise
from problems.models import ProblemStatus

from ..sessions import door_required
from .forms import AnswerForm, DemandForm, VerdictForm
from .selectors import DEMANDS_SHOWN, demands_for


@require_safe
@door_required
def demand_list(request):
    demands = list(demands_for(request.door_enterprise)[:DEMANDS_SHOWN])
    rows = [{"demand": demand, "state": enterprise_state(demand)} for demand in demands]
    return render(request, "door/demands/list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@door_required
def demand_new(request):
    form = DemandForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                problem = services.raise_from_enterprise(
                    enterprise=request.door_enterprise,
                    category=form.cleaned_data["category"],
                    description=form.cleaned_data["description"],
                    files=form.cleaned_data["files"],
                    contact=request.door_access.contact_name,
                )
        except services.RepeatedDemand as repeated:
            link = reverse("door:demand", args=[repeated.problem.pk])
            form.add_error(
                None,
                format_html(
                    '{} <a href="{}" data-testid="repeated-demand">{}</a>',
                    repeated.messages[0],
                    link,
                    _("Follow it here."),
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your demand has been received. You can follow it here."))
            return redirect("door:demand", pk=problem.pk)
    return render(request, "door/demands/new.html", {"form": form})


def _still_waiting(problem):
    problem.refresh_from_db()
    return problem.status == ProblemStatus.WAITING


def _demand_page(request, problem, *, answer_form=None, verdict_form=None):
    waiting = problem.status == ProblemStatus.WAITING
    judging = problem.awaits_feedback and not problem.verdicts.filter(round=problem.feedback_round).exists()
    context = {
        "demand": problem,
        "state": enterprise_state(problem),
        "steps": timeline_for_enterprise(problem),
        "answer_form": (answer_form or AnswerForm()) if waiting else None,
        "verdict_form": (verdict_form or VerdictForm()) if judging else None,
    }
    return render(request, "door/demands/detail.html", context)


def _own(request, pk):
    return get_object_or_404(demands_for(request.door_enterprise), pk=pk)


@require_safe
@door_required
def demand_detail(request, pk):
    return _demand_page(request, _own(request, pk))


@require_POST
@door_required
def demand_answer(request, pk):
    problem = _own(request, pk)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.answer_from_enterprise(problem=problem, answer=form.cleaned_data["answer"], files=form.cleaned_data["files"])
        except ValidationError as error:
            if not _still_waiting(problem):  # answered meanwhile, or the holder resumed: nothing to answer now
                messages.error(request, refusal_text(error))
                return redirect("door:demand", pk=problem.pk)
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your answer has been sent and the work goes on."))
            return redirect("door:demand", pk=problem.pk)
    return _demand_page(request, problem, answer_form=form)


@require_POST
@door_required
def demand_verdict(request, pk):
    problem = _own(request, pk)
    form = VerdictForm(request.POST)
    if form.is_valid():
        try:
            services.record_door_verdict(
                problem=problem, verdict=form.cleaned_data["verdict"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            messages.error(request, refusal_text(error))
            return redirect("door:demand", pk=problem.pk)
        messages.success(request, _("Thank you: your verdict has been recorded."))
        return redirect("door:demand", pk=problem.pk)
    return _demand_page(request, problem, verdict_form=form)
