"""A problem from the visit where it was raised to its closing with the enterprise's own verdict."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import DepartmentFactory
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from problems.models import Problem, ProblemStatus
from problems.notices import feedback_path
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.browser


def open_action(page, problem, action):
    details = page.locator(f"[data-testid=problem-actions] details:has(form[action='/problems/{problem.pk}/{action}/'])")
    details.locator("summary").click()
    return details.locator("form")


def test_a_problem_from_a_visit_to_the_enterprises_verdict(page, browser, log_in, live_server, cast):
    enterprise = EnterpriseFactory(name="闭环测试企业")
    AssignmentFactory(official=cast["cadre"], enterprise=enterprise)
    visit = Visit.objects.create(
        enterprise=enterprise,
        region_id="370102",
        cadre=cast["cadre"],
        level="county",
        visited_on=timezone.localdate(),
        status=VisitStatus.SUBMITTED,
        problems_raised="厂房用地指标未落实",
    )
    department = DepartmentFactory(region_id="370102", name="历下区自然资源局")
    handler = cast["handler"]
    handler.department = department
    handler.save()

    # The cadre raises the problem from the visit: enterprise and visit are linked in one step.
    log_in(page, cast["cadre"])
    page.goto(f"{live_server.url}/visits/{visit.pk}/")
    page.click("[data-testid=raise-problem]")
    page.select_option("select[name=category]", index=1)
    page.fill("textarea[name=description]", "新建厂房用地指标尚未落实，影响二期投产。")
    page.click("main form button[type=submit]")
    expect(page.locator("[data-testid=problem-status]")).to_be_visible()
    problem = Problem.objects.get()
    assert (problem.enterprise, problem.visit) == (enterprise, visit)

    # The county's liaison office assigns it to the department to solve.
    page.context.clear_cookies()
    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/problems/{problem.pk}/")
    form = open_action(page, problem, "solve")
    form.locator("textarea[name=solve-proposed_solution]").fill("协调自然资源局调剂用地指标。")
    # The department list is a searchable select (Tom Select) over the hidden <select>.
    page.evaluate(f"document.getElementById('id_solve-department').tomselect.setValue('{department.pk}')")
    form.locator("button[type=submit]").click()
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.IN_PROGRESS

    # The department's handler records the result.
    page.context.clear_cookies()
    log_in(page, handler)
    page.goto(f"{live_server.url}/problems/{problem.pk}/")
    form = open_action(page, problem, "complete")
    form.locator("textarea[name=complete-result]").fill("已调剂用地指标 20 亩。")
    form.locator("button[type=submit]").click()
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.SOLVED

    # The enterprise's contact opens the link, without logging in, and is satisfied.
    anonymous = browser.new_context(locale="zh-CN")
    contact = anonymous.new_page()
    contact.goto(f"{live_server.url}{feedback_path(problem)}")
    expect(contact.locator("[data-testid=feedback-result]")).to_contain_text("已调剂用地指标 20 亩")
    expect(contact.locator("body")).not_to_contain_text("历下区自然资源局")
    contact.locator("input[value=satisfied]").check()
    contact.locator("form button[type=submit]").click()
    expect(contact.locator("[data-testid=feedback-done]")).to_be_visible()
    anonymous.close()
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
