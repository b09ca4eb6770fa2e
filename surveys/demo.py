"""The survey's part of `seed_demo`: one answered period (the one before today's), seven enterprises of 历下区
(enough for their results to show) and three of 市中区 (too few: hidden), with a few comments. Through the
survey's service, as the door writes answers; run again, it changes nothing. Today's period is left for the
demo enterprises to answer through their links."""

import random

from django.db import transaction

from core.periods import previous_period
from enterprises.models import Enterprise
from enterprises.models import Status as EnterpriseStatus

from .models import Kind, Questionnaire, Response
from .services import answer_survey, questions_for

# County → how many of its enterprises answered.
ANSWERING = {"370102": 7, "370103": 3}
COMMENTS = [
    "希望进一步简化项目审批流程，缩短办理时间。",
    "园区周边道路施工已久，货车进出不便，希望尽快完工。",
    "",
    "对上门走访的联络干部很满意，政策讲解清楚。",
]


@transaction.atomic
def seed_survey(*, today):
    questionnaire = Questionnaire.objects.active().first()
    if questionnaire is None:
        return 0
    period = previous_period(questionnaire.period_on(today))
    if Response.objects.filter(questionnaire=questionnaire, period=period.label).exists():
        return 0
    rng = random.Random(16)
    answered = 0
    for county, count in ANSWERING.items():
        enterprises = Enterprise.objects.filter(region_id=county, status=EnterpriseStatus.OPERATING).order_by("-credit_code")[
            :count
        ]
        for number, enterprise in enumerate(enterprises):
            questions = questions_for(questionnaire, enterprise)
            scores = {question.pk: rng.choice([2, 3, 4, 4, 4, 5, 5]) for question in questions if question.kind == Kind.SCALE}
            comment = COMMENTS[number % len(COMMENTS)]
            comments = {question.pk: comment for question in questions if question.kind == Kind.COMMENT}
            answer_survey(
                enterprise=enterprise, questionnaire=questionnaire, scores=scores, comments=comments, today=period.start
            )
            answered += 1
    return answered
