"""Issue 16, point 4 in the browser, on a phone: the enterprise opens its link, goes from its page to the confidence
survey, answers every question once, and is told it answered; a second visit offers no form."""

import pytest
from playwright.sync_api import expect

from door import links, services
from enterprises.tests.factories import EnterpriseFactory
from surveys.models import Answer, Kind, Question, Receipt, Response

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_enterprise_answers_the_confidence_survey_once_on_a_phone(phone, live_server, cast):
    enterprise = EnterpriseFactory(name="信心调查浏览器企业")
    _access, token = services.issue_access(actor=cast["county_staff"], enterprise=enterprise, contact_name="钱经理")
    phone.goto(f"{live_server.url}{links.link_path(token)}")
    phone.wait_for_url(f"{live_server.url}/door/")

    phone.locator("[data-testid=door-survey-link]").click()
    form = phone.locator("[data-testid=survey-form]")
    expect(form).to_be_visible()
    scale = list(Question.objects.filter(kind=Kind.SCALE, region_id="370000", is_active=True))
    assert len(scale) == 5, "the province's five questions on a scale of 1 to 5"
    for question in scale:
        form.locator(f"input[name=q{question.pk}][value='4']").check()
    comment = Question.objects.get(kind=Kind.COMMENT, region_id="370000", is_active=True)
    form.locator(f"textarea[name=q{comment.pk}]").fill("审批还可以再快一些")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    form.locator("button[type=submit]").click()

    expect(phone.locator(".alert-success").first).to_be_visible()
    expect(phone.locator("[data-testid=survey-answered]")).to_be_visible()
    expect(phone.locator("[data-testid=survey-form]")).to_have_count(0)
    assert Receipt.objects.filter(enterprise=enterprise).count() == 1
    response = Response.objects.get()
    assert sorted(Answer.objects.filter(response=response, score__isnull=False).values_list("score", flat=True)) == [4] * 5
    assert Answer.objects.get(response=response, question=comment).comment == "审批还可以再快一些"

    phone.goto(f"{live_server.url}/door/survey/")
    expect(phone.locator("[data-testid=survey-answered]")).to_be_visible()
    expect(phone.locator("[data-testid=survey-form]")).to_have_count(0)
