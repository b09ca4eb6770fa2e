"""No silent refusal: every form of the main flows, submitted empty by the role that uses it, says what is
missing where one can see it, and saves nothing.

Twice for a form the browser checks itself: once as it is, where the browser refuses and the page's
script shows the message next to the field (a searchable select included: its <select> is hidden under
Tom Select, so the browser's own bubble had nowhere to point and submitting did nothing visible); then
with the browser's checks off, as a script-less or old browser would post it, where the server refuses.
"""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import DepartmentFactory
from cases.models import Case
from enterprises.models import Enterprise, LiaisonAssignment
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from forums.models import Forum, ForumStatus, Opinion
from forums.tests.factories import ForumFactory
from problems import services as problem_services
from problems.models import Problem
from problems.tests.factories import ProblemFactory
from reviews.models import Review, ReviewStatus
from tests.browser.test_accessibility import axe_violations, report
from visits.models import Visit

pytestmark = pytest.mark.browser

# What the page shows for a refused field: the script's message beside it, the server's under it, or the
# server's message at the top of the page.
CLIENT_MESSAGE = "[data-client-feedback]"
SERVER_MESSAGE = "main .invalid-feedback >> visible=true", "main .alert-danger >> visible=true"
# A form the browser checks before sending: some field it holds is refused as it comes.
BROWSER_CHECKS = "form => !form.noValidate && form.querySelector(':invalid') !== null"


def refused_in_the_browser(page, form, button=None):
    """Submitting stays on the page and shows, beside the first refused field, a message that has focus."""
    url = page.url
    (button or form.locator("button[type=submit]").last).click()
    message = form.locator(CLIENT_MESSAGE).first
    expect(message).to_be_visible()
    expect(message).not_to_be_empty()
    assert page.url == url
    # The first refused field has the focus, and the message is read with it.
    described = page.evaluate("document.activeElement.getAttribute('aria-describedby') || ''")
    assert message.get_attribute("id") in described.split()
    return message


def refused_by_the_server(page, form, button=None):
    """With the browser's checks off, the server refuses, and its message is on the page it answers."""
    expect(server_messages(page)).to_have_count(0)  # none before: the one after is the answer
    form.evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        (button or form.locator("button[type=submit]").last).click()
    expect(server_messages(page).first).to_be_visible()
    expect(server_messages(page).first).not_to_be_empty()


def server_messages(page):
    field, alert = (page.locator(selector) for selector in SERVER_MESSAGE)
    return field.or_(alert)


def open_form(page, url, form_selector):
    page.goto(url)
    form = page.locator(form_selector)
    form.evaluate("form => { const details = form.closest('details'); if (details) details.open = true; }")
    return form


def refused(page, url, form_selector, button=None, *, server=True):
    """Submit the form at `url` as it comes: the browser refuses where it checks, and the server always."""
    form = open_form(page, url, form_selector)
    if form.evaluate(BROWSER_CHECKS):
        refused_in_the_browser(page, form, button and form.locator(button))
        form = open_form(page, url, form_selector)
    if server:
        refused_by_the_server(page, form, button and form.locator(button))


def forms_refused_in_the_browser(page, container):
    """The actions of a record's page the browser refuses as they come (a required field is empty)."""
    return page.locator(f"{container} form").evaluate_all(
        f"forms => forms.filter({BROWSER_CHECKS}).map((form) => form.getAttribute('action'))"
    )


def choose_cadre(page, cadre):
    page.locator("[data-testid=bulk-assign] .ts-control").click()
    page.keyboard.type(cadre.full_name)
    page.locator(".ts-dropdown .option", has_text=cadre.full_name).click()


def test_bulk_assignment_without_a_cadre(page, log_in, live_server, cast):
    enterprises = [EnterpriseFactory(name=f"空表测试企业{number}") for number in range(2)]
    log_in(page, cast["county_staff"])
    url = f"{live_server.url}/enterprises/?q=空表测试"
    page.goto(url)
    page.check(f"input[name=enterprises][value='{enterprises[0].pk}']")
    bulk = page.locator("[data-testid=bulk-assign]")
    message = refused_in_the_browser(page, page.locator("#bulk-form"))
    # Beside the searchable select, whose own input has the focus and says it is invalid.
    expect(bulk.locator(f".ts-wrapper.is-invalid + {CLIENT_MESSAGE}")).to_have_text("这个字段是必填项。")
    focused = page.locator("#bulk-form .ts-control input")
    expect(focused).to_be_focused()
    expect(focused).to_have_attribute("aria-invalid", "true")
    # The message and the field's new state pass WCAG 2.1 AA like the rest of the page.
    assert not axe_violations(page), report([("bulk assignment refused", v) for v in axe_violations(page)])
    # Choosing a cadre takes the message away.
    choose_cadre(page, cast["cadre"])
    expect(message).to_have_count(0)
    expect(bulk.locator(".ts-wrapper.is-invalid")).to_have_count(0)

    page.goto(url)
    page.check(f"input[name=enterprises][value='{enterprises[0].pk}']")
    refused_by_the_server(page, page.locator("#bulk-form"))
    # Ticking no enterprise is the server's to say.
    page.goto(url)
    choose_cadre(page, cast["cadre"])
    with page.expect_navigation():
        page.locator("[data-testid=bulk-assign] button[type=submit]").click()
    expect(page.locator("main .alert-danger")).to_be_visible()
    assert not LiaisonAssignment.objects.exists()


def test_raise_a_problem_and_visit_form_empty(page, log_in, live_server, cast):
    log_in(page, cast["cadre"])
    refused(page, f"{live_server.url}/problems/new/", "main form[method=post]")
    # The enterprise, a searchable select, is the first refused field: its message is beside it.
    form = open_form(page, f"{live_server.url}/problems/new/", "main form[method=post]")
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#div_id_enterprise .ts-wrapper + {CLIENT_MESSAGE}")).to_be_visible()
    expect(page.locator("#div_id_enterprise .ts-control input")).to_be_focused()
    # The visit form leaves its checks to the server (a draft may be saved half-written).
    refused(page, f"{live_server.url}/visits/new/", "form.visit-form", "button[name=action][value=submit]")
    assert not Problem.objects.exists()
    assert not Visit.objects.exists()


def test_problem_actions_empty(page, log_in, live_server, cast):
    """Every action offered on a new problem (to the liaison office) and on one being solved (to the department)."""
    department = DepartmentFactory(region_id="370102", name="历下区发展和改革局")
    DepartmentFactory(region_id="370102", name="历下区财政局")
    handler = cast["handler"]
    handler.department = department
    handler.save()
    new = ProblemFactory(raised_by=cast["cadre"])
    solving = ProblemFactory(raised_by=cast["cadre"])
    problem_services.triage_solve(
        actor=cast["county_staff"], problem=solving, proposed_solution="协调解决。", department=department
    )
    tried = []
    for official, problem in ((cast["county_staff"], new), (handler, solving)):
        page.context.clear_cookies()
        log_in(page, official)
        problem.refresh_from_db()
        status, events = problem.status, problem.events.count()
        url = f"{live_server.url}/problems/{problem.pk}/"
        page.goto(url)
        actions = forms_refused_in_the_browser(page, "[data-testid=problem-actions]")
        assert actions, f"no action with a required field is offered to {official.username}"
        for action in actions:
            refused(page, url, f"form[action='{action}']")
            tried.append(action.rstrip("/").rsplit("/", 1)[-1])
        problem.refresh_from_db()
        assert (problem.status, problem.events.count()) == (status, events), f"{action} changed {problem}"
    # Among them the searchable department selects: assigning to solve, and referring on.
    assert {"solve", "refer"} <= set(tried), tried


def test_forum_forms_empty(page, log_in, live_server, cast):
    """Planning a forum, the actions on a held one, and putting an opinion on the problem list without a category."""
    held = ForumFactory(status=ForumStatus.HELD, minutes="纪要")
    opinion = Opinion.objects.create(forum=held, region_id="370102", enterprise=EnterpriseFactory(), text="用电报装慢")
    log_in(page, cast["county_staff"])
    refused(page, f"{live_server.url}/forums/new/", "main form[method=post]")
    assert Forum.objects.count() == 1

    url = f"{live_server.url}/forums/{held.pk}/"
    refused(page, url, f"form[action='/forums/opinions/{opinion.pk}/problem/']")
    page.goto(url)
    actions = forms_refused_in_the_browser(page, "[data-testid=forum-actions]")
    assert f"/forums/{held.pk}/opinion/" in actions, actions
    for action in actions:
        refused(page, url, f"form[action='{action}']")
    opinion.refresh_from_db()
    assert opinion.problem is None
    assert list(Opinion.objects.all()) == [opinion]
    assert not held.attachments.exists()
    assert not Problem.objects.exists()


def test_enterprise_liaison_import_and_case_forms_empty(page, log_in, live_server, cast):
    enterprise = EnterpriseFactory(name="空表测试企业")
    assignment = AssignmentFactory(official=cast["cadre"], enterprise=enterprise)
    log_in(page, cast["county_staff"])
    for url in (
        "/enterprises/new/",
        f"/enterprises/{enterprise.pk}/liaisons/new/",
        f"/enterprises/liaisons/{assignment.pk}/replace/",
        "/enterprises/import/",
    ):
        refused(page, f"{live_server.url}{url}", "main form[method=post]:has(button[type=submit])")
    refused(page, f"{live_server.url}/cases/new/{enterprise.pk}/", "[data-testid=case-form]")
    assert list(Enterprise.objects.all()) == [enterprise]
    assert list(LiaisonAssignment.objects.all()) == [assignment]
    assert not Case.objects.exists()


def test_review_submitted_empty(page, log_in, live_server, cast):
    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/reviews/new/")
    page.locator("[data-testid=review-periods] button[type=submit]").first.click()
    page.wait_for_selector("[data-practice-forms]")
    refused(page, page.url, "form.review-form", "button[name=action][value=submit]")
    assert Review.objects.get().status == ReviewStatus.DRAFT


def test_official_created_empty(page, log_in, live_server, cast):
    log_in(page, cast["admin"])
    before = User.objects.count()
    refused(page, f"{live_server.url}/accounts/officials/new/", "main form[method=post]:has(button[type=submit])")
    assert User.objects.count() == before
