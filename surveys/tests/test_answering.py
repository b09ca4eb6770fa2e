"""An enterprise answers through its door, once per period; a city's questions reach only its enterprises."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from door import links
from door.tests.factories import issued
from enterprises.tests.factories import EnterpriseFactory

from .. import services
from ..models import Answer, Receipt, Response
from .factories import Q3, answered, city_question, comment_question, questionnaire, scale_questions

pytestmark = pytest.mark.django_db


def door_client(enterprise):
    _access, token = issued(enterprise)
    client = Client()
    client.get(links.link_path(token))
    return client


def form_data(survey, scores, comment=""):
    data = {f"q{question.pk}": str(score) for question, score in zip(scale_questions(survey), scores, strict=True)}
    data[f"q{comment_question(survey).pk}"] = comment
    return data


def test_an_enterprise_answers_through_its_door_once_and_is_thanked():
    enterprise = EnterpriseFactory(name="标记企业甲")
    client = door_client(enterprise)
    page = client.get(reverse("surveys:answer"))
    assert page.status_code == 200 and 'data-testid="survey-form"' in page.content.decode()
    survey = questionnaire()
    response = client.post(reverse("surveys:answer"), form_data(survey, (5, 4, 3, 2, 1), "融资难"), follow=True)
    assert "survey-answered" in response.content.decode()
    assert Receipt.objects.get().enterprise == enterprise
    stored = Response.objects.get()
    period = survey.period_on(timezone.localdate())
    assert (stored.period, stored.period_start, stored.region_id, stored.size) == (
        period.label,
        period.start,
        "370102",
        enterprise.size,
    )
    assert sorted(Answer.objects.exclude(score=None).values_list("score", flat=True)) == [1, 2, 3, 4, 5]
    assert Answer.objects.get(score=None).comment == "融资难"


def test_a_second_answer_for_the_same_period_is_refused_and_nothing_is_saved():
    enterprise = answered(scores=(3, 3, 3, 3, 3))
    with pytest.raises(ValidationError) as refused:
        answered(enterprise, scores=(5, 5, 5, 5, 5))
    assert "already answered" in refused.value.messages[0]
    assert Response.objects.count() == 1 and Receipt.objects.count() == 1
    assert set(Answer.objects.exclude(score=None).values_list("score", flat=True)) == {3}
    # The next period is a new answer.
    answered(enterprise, scores=(5, 5, 5, 5, 5), today=Q3.replace(month=11))
    assert Response.objects.count() == 2


def test_a_second_post_through_the_door_says_so_and_saves_nothing():
    enterprise = answered(scores=(3, 3, 3, 3, 3), today=timezone.localdate())
    client = door_client(enterprise)
    survey = questionnaire()
    # The page no longer offers the form; a replayed form saves nothing.
    assert "survey-answered" in client.get(reverse("surveys:answer")).content.decode()
    client.post(reverse("surveys:answer"), form_data(survey, (5, 5, 5, 5, 5)))
    assert Response.objects.count() == 1


def test_a_score_missing_or_out_of_range_saves_nothing():
    enterprise = EnterpriseFactory()
    client = door_client(enterprise)
    survey = questionnaire()
    data = form_data(survey, (5, 4, 3, 2, 1))
    data[f"q{scale_questions(survey)[0].pk}"] = "9"
    page = client.post(reverse("surveys:answer"), data)
    assert page.status_code == 200 and "is-invalid" in page.content.decode()
    assert not Receipt.objects.exists() and not Response.objects.exists()
    with pytest.raises(ValidationError):
        services.answer_survey(enterprise=enterprise, questionnaire=survey, scores={}, comments={}, today=Q3)
    assert not Receipt.objects.exists() and not Answer.objects.exists()


def test_a_city_question_is_asked_only_of_that_citys_enterprises(region):
    asked = city_question("370100", "济南市专属问题")
    in_jinan = EnterpriseFactory()  # 历下区, in 济南市
    in_qingdao = EnterpriseFactory(region=region("370202"))
    survey = questionnaire()
    assert asked in services.questions_for(survey, in_jinan)
    assert asked not in services.questions_for(survey, in_qingdao)
    assert "济南市专属问题" in door_client(in_jinan).get(reverse("surveys:answer")).content.decode()
    assert "济南市专属问题" not in door_client(in_qingdao).get(reverse("surveys:answer")).content.decode()


def test_without_a_door_session_the_page_sends_to_the_door(client):
    response = client.get(reverse("surveys:answer"))
    assert response.status_code == 302 and response["Location"] == reverse("door:start")


def test_the_demo_answers_one_period_once_with_enough_answers_in_one_county():
    from datetime import date

    from accounts.models import Region

    from .. import demo, selectors

    for _number in range(7):
        EnterpriseFactory()
    assert demo.seed_survey(today=date(2026, 8, 10)) == 7
    assert demo.seed_survey(today=date(2026, 8, 10)) == 0
    survey = questionnaire()
    found = selectors.results(
        questionnaire=survey, period=survey.period_on(date(2026, 5, 1)), region=Region.objects.get(code="370102")
    )
    assert found.total.respondents == 7 and found.total.is_shown and found.total.index is not None
