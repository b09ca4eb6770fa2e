"""The survey's writes: an enterprise's answers, a city's or the province's questions, a comment turned
into a problem, and the reminder to the liaison cadres of the enterprises that have not answered."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import region_code_prefix
from accounts.models import Region, RegionLevel
from core.periods import validate_months
from enterprises.models import Enterprise, LiaisonAssignment
from enterprises.models import Status as EnterpriseStatus
from notifications.models import Notification
from notifications.services import Message, notify_many
from notifications.texts import Lines, Text
from problems import services as problem_services
from problems.models import Source

from .access import may_run_survey
from .models import SCALE_MAX, SCALE_MIN, Answer, Kind, Question, Questionnaire, Receipt, Response


def questions_for(questionnaire, enterprise):
    """The active questions `enterprise` is asked: the province's and those of its own city, in order."""
    questions = questionnaire.questions.active()
    return [question for question in questions if question.is_asked_of(enterprise)]


def has_answered(questionnaire, enterprise, period):
    return Receipt.objects.filter(questionnaire=questionnaire, enterprise=enterprise, period=period.label).exists()


def answer_survey(*, enterprise, questionnaire, scores, comments, today=None):
    """Record `enterprise`'s answers for the period holding `today`: a receipt naming it, and a response that
    does not. `scores` maps each scale question's id to 1..5, `comments` each comment question's id to text.
    A second answer for the same period is refused and nothing is saved."""
    today = today or timezone.localdate()
    period = questionnaire.period_on(today)
    questions = questions_for(questionnaire, enterprise)
    if not questions:
        raise ValidationError(_("There is no question to answer."), code="empty")
    rows = []
    for question in questions:
        if question.kind == Kind.SCALE:
            score = scores.get(question.pk)
            if score is None or not SCALE_MIN <= score <= SCALE_MAX:
                raise ValidationError(_("Answer every question on the scale of 1 to 5."), code="incomplete")
            rows.append(Answer(question=question, score=score))
        else:
            text = (comments.get(question.pk) or "").strip()
            if text:
                rows.append(Answer(question=question, comment=text))
    refusal = ValidationError(
        _("Your enterprise has already answered the survey for %(period)s. Thank you; the next period opens on %(next)s.")
        % {"period": period.label, "next": period.end + timedelta(days=1)},
        code="answered",
    )
    try:
        with transaction.atomic():
            Receipt.objects.create(
                questionnaire=questionnaire,
                enterprise=enterprise,
                region_id=enterprise.region_id,
                period=period.label,
                answered_on=today,
            )
            response = Response.objects.create(
                questionnaire=questionnaire,
                period=period.label,
                period_start=period.start,
                region_id=enterprise.region_id,
                industry_id=enterprise.industry_id,
                size=enterprise.size,
            )
            for row in rows:
                row.response, row.region_id = response, enterprise.region_id
            Answer.objects.bulk_create(rows)
    except IntegrityError as error:  # the receipt's unique (questionnaire, enterprise, period)
        raise refusal from error
    return response


def add_question(*, actor, questionnaire, text, kind, order):
    """A question of the actor's own region: the province's staff ask every enterprise, a city's staff the
    enterprises of their city. Staff of a county add none."""
    if not may_run_survey(actor):
        raise ValidationError(_("You cannot change the survey's questions."), code="not_allowed")
    region = actor.region
    if region is None or region.level not in (RegionLevel.PROVINCE, RegionLevel.CITY):
        raise ValidationError(_("Only the province and the cities add questions to the survey."), code="not_allowed")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the question.")})
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose the kind of question.")})
    return Question.objects.create(questionnaire=questionnaire, region=region, text=text, kind=kind, order=order)


def change_questionnaire(*, actor, questionnaire, title, months):
    """The province's staff name the questionnaire and set its cadence (a new cadence counts from the period
    holding today: periods of different lengths never share a label, so nobody is refused for an old answer)."""
    if not may_run_survey(actor) or not (actor.is_superuser or (actor.region and actor.region.level == RegionLevel.PROVINCE)):
        raise ValidationError(_("Only the province's staff change the questionnaire."), code="not_allowed")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the questionnaire a title.")})
    validate_months(months)
    questionnaire.title, questionnaire.months = title, months
    questionnaire.save(update_fields=["title", "months"])
    return questionnaire


def retire_question(*, actor, question):
    """Stop asking a question of the actor's own region; its answers stay counted in past periods."""
    if not may_run_survey(actor) or actor.region_id != question.region_id:
        raise ValidationError(_("Only the region that added a question may stop asking it."), code="not_allowed")
    question.is_active = False
    question.save(update_fields=["is_active"])
    return question


@transaction.atomic
def turn_comment_into_problem(*, actor, answer, enterprise, category, description):
    """Raise a problem (source "other", noted as the survey's) of `enterprise`, which staff chose: the comment
    names no enterprise, so staff say which one the problem concerns. The comment is then marked."""
    answer = Answer.objects.select_for_update().select_related("response").get(pk=answer.pk)
    if answer.problem_id is not None:
        raise ValidationError(
            _("This comment is already problem #%(number)s.") % {"number": answer.problem_id}, code="invalid_move"
        )
    if not answer.comment:
        raise ValidationError(_("Only a comment can become a problem."), code="invalid_move")
    if not enterprise.region_id.startswith(region_code_prefix(answer.response.region_id)):
        raise ValidationError({"enterprise": _("Choose an enterprise of the region the comment came from.")})
    note = _("Confidence survey %(period)s, a comment") % {"period": answer.response.period}
    problem = problem_services.raise_problem(
        actor=actor,
        enterprise=enterprise,
        category=category,
        description=description,
        source=Source.OTHER,
        source_note=str(note),
    )
    answer.problem = problem
    answer.turned_by = actor
    answer.save(update_fields=["problem", "turned_by"])
    return problem


def unanswered_enterprises(questionnaire, period, region):
    """Operating enterprises of `region` (and below) without a receipt for `period`."""
    answered = Receipt.objects.filter(questionnaire=questionnaire, period=period.label, enterprise=OuterRef("pk"))
    return Enterprise.objects.filter(
        status=EnterpriseStatus.OPERATING, region__code__startswith=region_code_prefix(region.code)
    ).exclude(Exists(answered))


def remind_before_the_period_ends(*, today=None):
    """The daily task's reminder: from SURVEY_REMINDER_DAYS before the period under way ends, each liaison cadre
    of the province hears once of their enterprises that have not answered (the same notification as the
    staff's button: a cadre reminded by either is not reminded again)."""
    today = today or timezone.localdate()
    questionnaire = Questionnaire.objects.active().first()
    if questionnaire is None:
        return []
    period = questionnaire.period_on(today)
    if period.days_left(today=today) > settings.SURVEY_REMINDER_DAYS:
        return []
    province = Region.objects.get(level=RegionLevel.PROVINCE)
    return remind_liaison_cadres(questionnaire=questionnaire, period=period, region=province, today=today)


def remind_liaison_cadres(*, questionnaire, period, region, today=None):
    """Tell each liaison cadre of the enterprises of `region` that have not answered `period` which of their
    enterprises those are: one notification per cadre and period, never twice (the key names the period),
    never to an enterprise. Returns the notifications created now."""
    today = today or timezone.localdate()
    key = f"survey-reminder:{questionnaire.pk}:{period.label}"
    current = Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    # Cadres already reminded this period are left out in the database, so the daily run reads only the rest.
    reminded = Notification.objects.filter(recipient=OuterRef("official"), key=key)
    assignments = (
        LiaisonAssignment.objects.filter(
            current,
            started_on__lte=today,
            official__is_active=True,
            enterprise__in=unanswered_enterprises(questionnaire, period, region),
        )
        .exclude(Exists(reminded))
        .select_related("official", "enterprise")
        .order_by("official_id", "enterprise__name")
    )
    by_cadre = {}
    for assignment in assignments:
        by_cadre.setdefault(assignment.official, {})[assignment.enterprise_id] = assignment.enterprise.name
    messages = []
    for cadre, names in by_cadre.items():
        title = Text(
            _("Confidence survey %(period)s: %(count)d of your enterprises have not answered"),
            period=period.label,
            count=len(names),
        )
        body = Lines(*names.values())
        messages.append(Message(cadre, key, title, body, ""))
    return notify_many(messages)
