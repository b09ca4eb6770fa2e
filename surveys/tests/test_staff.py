"""Staff: comments turned into problems, the reminder through the liaison cadres, a city's own questions."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from notifications.models import Notification
from problems.models import Category, Problem, Source

from .. import services
from ..models import Answer, Kind, Question
from .factories import answered, questionnaire

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def commented(region):
    """Five answers of 历下区 this period, one with a comment; four of 市中区, one with a comment."""
    today = timezone.localdate()
    for number in range(5):
        answered(today=today, comment="园区路灯坏了三个月" if number == 0 else "", name=f"标记企业{number}")
    for number in range(4):
        answered(today=today, region=region("370103"), comment="市中区的意见" if number == 0 else "")
    return Answer.objects.get(comment="园区路灯坏了三个月")


def test_a_comment_of_a_group_of_five_becomes_a_problem_and_is_marked(commented, cast):
    client = signed_in(cast["county_staff"])
    results = client.get(reverse("surveys:results"), {"region": "370102"}).content.decode()
    assert "园区路灯坏了三个月" in results and "标记企业" not in results
    form = client.get(reverse("surveys:comment_problem"), {"comment": commented.pk})
    assert form.status_code == 200 and "园区路灯坏了三个月" in form.content.decode()
    concerned = EnterpriseFactory(name="园区管委会企业")
    category = Category.objects.filter(is_active=True).first()
    response = client.post(
        reverse("surveys:comment_problem"),
        {"comment": commented.pk, "enterprise": concerned.pk, "category": category.pk, "description": "园区路灯坏了三个月"},
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("problems:detail", args=[problem.pk])
    assert (problem.enterprise, problem.source, problem.region_id) == (concerned, Source.OTHER, "370102")
    assert questionnaire().period_on(timezone.localdate()).label in problem.source_note
    commented.refresh_from_db()
    assert commented.problem == problem and commented.turned_by == cast["county_staff"]
    page = client.get(reverse("surveys:results"), {"region": "370102"}).content.decode()
    assert f"problem #{problem.pk}" in page
    # Twice is refused: nothing more is raised.
    client.post(
        reverse("surveys:comment_problem"),
        {"comment": commented.pk, "enterprise": concerned.pk, "category": category.pk, "description": "again"},
    )
    assert Problem.objects.count() == 1
    with pytest.raises(ValidationError):
        services.turn_comment_into_problem(
            actor=cast["county_staff"], answer=commented, enterprise=concerned, category=category, description="x"
        )


def test_a_comment_of_a_small_group_is_neither_listed_nor_opened(commented, cast):
    small = Answer.objects.get(comment="市中区的意见")
    staff = signed_in(cast["province_staff"])
    assert "市中区的意见" not in staff.get(reverse("surveys:results"), {"region": "370100"}).content.decode()
    assert staff.get(reverse("surveys:comment_problem"), {"comment": small.pk}).status_code == 404


def test_a_comment_outside_the_region_is_a_404_and_a_reviewer_may_not_raise(commented, cast):
    opening = reverse("surveys:comment_problem")
    assert signed_in(cast["other_county_staff"]).get(opening, {"comment": commented.pk}).status_code == 404
    assert signed_in(cast["reviewer"]).get(opening, {"comment": commented.pk}).status_code == 403
    # A reviewer reads the results but no comment.
    page = signed_in(cast["reviewer"]).get(reverse("surveys:results"), {"region": "370102"})
    assert page.status_code == 200 and "园区路灯坏了三个月" not in page.content.decode()


def test_the_reminder_tells_each_liaison_cadre_their_unanswered_enterprises_once_per_period(cast):
    today = timezone.localdate()
    silent_a, silent_b, done = (EnterpriseFactory(name=name) for name in ("沉默企业甲", "沉默企业乙", "已答企业"))
    answered(done, today=today)
    cadre, other = UserFactory(region_id="370102", roles=[Role.CADRE]), UserFactory(region_id="370102", roles=[Role.CADRE])
    AssignmentFactory(enterprise=silent_a, official=cadre)
    AssignmentFactory(enterprise=silent_b, official=cadre)
    AssignmentFactory(enterprise=done, official=other)
    staff = signed_in(cast["county_staff"])
    staff.post(reverse("surveys:remind"), {"region": "370102"})
    notice = Notification.objects.get()
    assert notice.recipient == cadre
    assert "沉默企业甲" in notice.body and "沉默企业乙" in notice.body and "已答企业" not in notice.body
    staff.post(reverse("surveys:remind"), {"region": "370102"})
    assert Notification.objects.count() == 1
    # Outside one's region: a 404; a cadre may not remind.
    assert signed_in(cast["other_county_staff"]).post(reverse("surveys:remind"), {"region": "370102"}).status_code == 404
    assert signed_in(cast["cadre"]).post(reverse("surveys:remind"), {"region": "370102"}).status_code == 403


def test_a_city_adds_a_question_for_its_enterprises_and_a_county_may_not(cast):
    city = signed_in(cast["city_staff"])
    city.post(reverse("surveys:questions"), {"text": "济南市人才政策评价", "kind": Kind.SCALE, "order": 90})
    added = Question.objects.get(text="济南市人才政策评价")
    assert added.region_id == "370100" and added.questionnaire == questionnaire()
    county = signed_in(cast["county_staff"])
    county.post(reverse("surveys:questions"), {"text": "历下区问题", "kind": Kind.SCALE, "order": 90})
    assert not Question.objects.filter(text="历下区问题").exists()
    assert "济南市人才政策评价" in county.get(reverse("surveys:questions")).content.decode()
    # Only the city that added it stops asking it; another region's staff cannot even find it.
    assert signed_in(cast["county_staff"]).post(reverse("surveys:retire"), {"question": added.pk}).status_code == 404
    signed_in(cast["province_staff"]).post(reverse("surveys:retire"), {"question": added.pk})
    added.refresh_from_db()
    assert added.is_active
    city.post(reverse("surveys:retire"), {"question": added.pk})
    added.refresh_from_db()
    assert not added.is_active


def test_the_daily_task_reminds_once_from_two_weeks_before_the_period_ends(settings):
    from datetime import date

    settings.SURVEY_REMINDER_DAYS = 14
    silent = EnterpriseFactory(name="沉默企业丙")
    cadre = UserFactory(region_id="370102", roles=[Role.CADRE])
    AssignmentFactory(enterprise=silent, official=cadre, started_on=date(2026, 1, 1))
    assert services.remind_before_the_period_ends(today=date(2026, 9, 10)) == []  # 20 days left
    assert len(services.remind_before_the_period_ends(today=date(2026, 9, 16))) == 1  # 14 days left
    assert services.remind_before_the_period_ends(today=date(2026, 9, 20)) == []
    assert "沉默企业丙" in Notification.objects.get().body
    from surveys.tasks import send_survey_reminders

    settings.SURVEY_REMINDER_DAYS = -1  # the task's wiring, on any day: nothing is due
    assert send_survey_reminders.delay().get() == 0


def test_the_province_names_the_questionnaire_and_sets_its_cadence_and_a_city_may_not(cast):
    signed_in(cast["city_staff"]).post(reverse("surveys:questionnaire"), {"title": "济南市改名", "months": 6})
    assert questionnaire().title == "企业信心调查"
    province = signed_in(cast["province_staff"])
    assert 'data-testid="survey-questionnaire-form"' in province.get(reverse("surveys:questions")).content.decode()
    province.post(reverse("surveys:questionnaire"), {"title": "企业信心调查（半年）", "months": 5})
    assert questionnaire().months == 3  # five months do not divide the year: nothing saved
    province.post(reverse("surveys:questionnaire"), {"title": "企业信心调查（半年）", "months": 6})
    found = questionnaire()
    assert (found.title, found.months) == ("企业信心调查（半年）", 6)
