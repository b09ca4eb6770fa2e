"""The survey's pages: the enterprise answers behind its door; staff read the results, remind, manage the
questions and turn comments into problems. No page names the enterprise behind an answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.access import get_visible_or_404, region_code_prefix, scope_prefix
from accounts.models import Region, RegionLevel
from core.forms import add_service_errors, form_error_text, refusal_text
from door.sessions import door_required
from enterprises.models import Enterprise
from enterprises.models import Status as EnterpriseStatus

from . import selectors, services
from .access import may_read_results, may_run_survey
from .forms import AnswerForm, CommentProblemForm, QuestionForm, QuestionnaireForm
from .models import Answer, Question, Questionnaire

PROVINCE = "370000"


@door_required
def answer(request):
    enterprise = request.door_enterprise
    questionnaire = Questionnaire.objects.active().first()
    today = timezone.localdate()
    context = {"questionnaire": questionnaire}
    if questionnaire is None:
        return render(request, "surveys/answer.html", context)
    period = questionnaire.period_on(today)
    context["period"] = period
    if services.has_answered(questionnaire, enterprise, period):
        return render(request, "surveys/answer.html", {**context, "answered": True})
    form = AnswerForm(request.POST or None, questions=services.questions_for(questionnaire, enterprise))
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_survey(
                enterprise=enterprise, questionnaire=questionnaire, scores=form.scores(), comments=form.comments(), today=today
            )
        except ValidationError as error:
            messages.error(request, refusal_text(error))
            return redirect("surveys:answer")
        messages.success(request, _("Thank you: your answers are recorded, without your enterprise's name."))
        return redirect("surveys:answer")
    return render(request, "surveys/answer.html", {**context, "form": form})


def _own_region_code(user):
    return user.region_id or PROVINCE


def _results_url(region_code, period_label=None):
    query = {"region": region_code, **({"period": period_label} if period_label else {})}
    return f"{reverse('surveys:results')}?{urlencode(query)}"


@require_safe
def results(request):
    if not may_read_results(request.user):
        raise PermissionDenied
    questionnaire = Questionnaire.objects.active().first() or Questionnaire.objects.first()
    if questionnaire is None:
        return render(request, "surveys/results.html", {"questionnaire": None})
    region = get_visible_or_404(
        Region.objects.select_related("parent"), request.user, code=request.GET.get("region") or _own_region_code(request.user)
    )
    today = timezone.localdate()
    periods, period = selectors.periods_offered(questionnaire, today)
    period = next((each for each in periods if each.label == request.GET.get("period")), period)
    by = request.GET.get("by") if request.GET.get("by") in selectors.GROUPINGS else selectors.BY_REGION
    found = selectors.results(questionnaire=questionnaire, period=period, region=region, by=by)
    may_run = may_run_survey(request.user)
    context = {
        "questionnaire": questionnaire,
        "results": found,
        "periods": periods,
        "by": by,
        "groupings": [
            (selectors.BY_REGION, _("Region")),
            (selectors.BY_INDUSTRY, _("Industry")),
            (selectors.BY_SIZE, _("Size")),
        ],
        "trend_chart": selectors.trend_chart(found, _("Confidence index")),
        "up_code": found.up_code if found.up_code and found.up_code.startswith(scope_prefix(request.user) or "-") else None,
        "may_run": may_run,
        "may_remind": may_run and period == questionnaire.period_on(today),
        "comments": selectors.readable_comments(questionnaire=questionnaire, period=period, region=region) if may_run else None,
        "may_raise": may_run and request.user.has_perm("problems.add_problem"),
    }
    return render(request, "surveys/results.html", context)


@require_POST
def remind(request):
    if not may_run_survey(request.user):
        raise PermissionDenied
    questionnaire = Questionnaire.objects.active().first()
    if questionnaire is None:
        messages.error(request, _("No survey is open."))
        return redirect("surveys:results")
    region = get_visible_or_404(Region, request.user, code=request.POST.get("region") or _own_region_code(request.user))
    period = questionnaire.period_on(timezone.localdate())
    sent = services.remind_liaison_cadres(questionnaire=questionnaire, period=period, region=region)
    cadres = len({notification.recipient_id for notification in sent})
    if cadres:
        messages.success(
            request,
            ngettext(
                "%(count)d liaison cadre was told which of their enterprises have not answered.",
                "%(count)d liaison cadres were told which of their enterprises have not answered.",
                cadres,
            )
            % {"count": cadres},
        )
    else:
        messages.info(
            request,
            _("Nobody to remind: every liaison cadre concerned was already reminded this period, or every enterprise answered."),
        )
    return redirect(_results_url(region.code, period.label))


def _is_province(user):
    return user.is_superuser or (user.region is not None and user.region.level == RegionLevel.PROVINCE)


def _questions_seen_by(user, questionnaire):
    """The province's questions and those of the cities above, at or below the user's region."""
    own = _own_region_code(user)
    prefix = region_code_prefix(own)
    questions = questionnaire.questions.select_related("region").order_by("-is_active", "order", "pk")
    return [
        question
        for question in questions
        if own.startswith(region_code_prefix(question.region_id)) or question.region_id.startswith(prefix) or user.is_superuser
    ]


def questions(request):
    if not may_run_survey(request.user):
        raise PermissionDenied
    questionnaire = Questionnaire.objects.active().first()
    if questionnaire is None:
        return render(request, "surveys/questions.html", {"questionnaire": None})
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(actor=request.user, questionnaire=questionnaire, **form.cleaned_data)
        except ValidationError as error:
            if getattr(error, "code", None) == "not_allowed":
                messages.error(request, refusal_text(error))
                return redirect("surveys:questions")
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question is added; enterprises are asked it from now on."))
            return redirect("surveys:questions")
    context = {
        "questionnaire": questionnaire,
        "questions": _questions_seen_by(request.user, questionnaire),
        "form": form,
        "own_region": _own_region_code(request.user),
        "questionnaire_form": QuestionnaireForm(instance=questionnaire) if _is_province(request.user) else None,
    }
    return render(request, "surveys/questions.html", context)


@require_POST
def questionnaire(request):
    if not may_run_survey(request.user):
        raise PermissionDenied
    found = Questionnaire.objects.active().first()
    form = QuestionnaireForm(request.POST, instance=found) if found else None
    if form is None or not form.is_valid():
        messages.error(request, form_error_text(form) if form else _("No survey is open."))
        return redirect("surveys:questions")
    try:
        services.change_questionnaire(actor=request.user, questionnaire=found, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The questionnaire is saved."))
    return redirect("surveys:questions")


@require_POST
def retire(request):
    if not may_run_survey(request.user):
        raise PermissionDenied
    if not request.POST.get("question"):
        messages.error(request, _("Choose a question."))
        return redirect("surveys:questions")
    question = get_visible_or_404(Question, request.user, pk=request.POST["question"])
    try:
        services.retire_question(actor=request.user, question=question)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The question is no longer asked."))
    return redirect("surveys:questions")


def comment_problem(request):
    if not (may_run_survey(request.user) and request.user.has_perm("problems.add_problem")):
        raise PermissionDenied
    number = request.POST.get("comment") or request.GET.get("comment")
    if not number:
        messages.error(request, _("Choose a comment on the results page."))
        return redirect("surveys:results")
    comment = get_visible_or_404(
        Answer.objects.select_related("response__region", "question", "problem"), request.user, pk=number
    )
    if not selectors.comment_is_readable(comment):
        raise Http404  # a comment of a group too small to read is as missing as no comment
    back = _results_url(comment.response.region.parent_id or comment.response.region_id, comment.response.period)
    if comment.problem_id:
        messages.info(request, _("This comment is already problem #%(number)s.") % {"number": comment.problem_id})
        return redirect(back)
    enterprises = Enterprise.objects.visible_to(request.user).filter(
        Q(region_id=comment.response.region_id), status=EnterpriseStatus.OPERATING
    )
    form = CommentProblemForm(request.POST or None, enterprises=enterprises, initial={"description": comment.comment})
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.turn_comment_into_problem(actor=request.user, answer=comment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The comment is now problem #%(number)s.") % {"number": problem.pk})
            return redirect("problems:detail", pk=problem.pk)
    return render(request, "surveys/comment_problem.html", {"comment": comment, "form": form, "back": back})
