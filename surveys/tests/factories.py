"""Survey records for tests, written through the survey's services as the door writes them."""

from datetime import date

from enterprises.tests.factories import EnterpriseFactory

from .. import services
from ..models import Kind, Question, Questionnaire

# A day of 2026Q2 and one of 2026Q3: two quarterly periods.
Q2 = date(2026, 5, 10)
Q3 = date(2026, 8, 10)


def questionnaire():
    """The province's default questionnaire (seeded by migration 0002): five scale questions and a comment."""
    return Questionnaire.objects.get(is_active=True)


def scale_questions(survey=None):
    return list((survey or questionnaire()).questions.filter(kind=Kind.SCALE, region_id="370000").order_by("order"))


def comment_question(survey=None):
    return (survey or questionnaire()).questions.get(kind=Kind.COMMENT, region_id="370000")


def answered(enterprise=None, scores=(4, 4, 4, 4, 4), comment="", *, today=Q3, extra=None, **enterprise_fields):
    """An enterprise's answers through the service: `scores` for the five province questions in order;
    `extra` maps further scale questions to their scores."""
    survey = questionnaire()
    enterprise = enterprise or EnterpriseFactory(**enterprise_fields)
    by_question = dict(zip([question.pk for question in scale_questions(survey)], scores, strict=True))
    by_question.update({question.pk: score for question, score in (extra or {}).items()})
    comments = {comment_question(survey).pk: comment}
    services.answer_survey(enterprise=enterprise, questionnaire=survey, scores=by_question, comments=comments, today=today)
    return enterprise


def city_question(region_id="370100", text="济南市：您对本市人才政策的评价如何？"):
    return Question.objects.create(questionnaire=questionnaire(), region_id=region_id, text=text, kind=Kind.SCALE, order=90)
