"""Issue 14, points 1 and 2 in the browser: a visit's problem lines reach the problem list (on a phone), and
the liaison office hands the enterprise its verdict link (link, copy button, QR code)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import DepartmentFactory, UserFactory
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from problems import services
from problems.models import Problem, ProblemStatus, Source, Verdict
from problems.tests.factories import category
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_cadre_submits_two_problems_on_a_phone_and_gets_two_links(phone, log_in, live_server, cast):
    enterprise = EnterpriseFactory(name="走访问题企业")
    AssignmentFactory(official=cast["cadre"], enterprise=enterprise)

    log_in(phone, cast["cadre"])
    phone.goto(f"{live_server.url}/visits/new/")
    phone.select_option("select[name=enterprise]", label="走访问题企业")
    phone.fill("input[name=purpose]", "了解企业诉求")
    # Two problems, a blank line between them and a numbering, as a cadre types them.
    phone.fill("textarea[name=problems_raised]", "1. 新建厂房用地指标未落实\n\n2. 用地：二期项目用地审批慢\n")
    phone.click("[data-testid=visit-submit]")

    links = phone.locator(".alert [data-testid=registered-problem]")
    expect(links).to_have_count(2)
    expect(phone.locator(".alert")).to_contain_text("2")
    visit = Visit.objects.get()
    assert visit.status == VisitStatus.SUBMITTED
    problems = list(Problem.objects.filter(visit=visit).order_by("pk"))
    assert [(problem.description, problem.category.key, problem.source) for problem in problems] == [
        ("新建厂房用地指标未落实", "other", Source.VISIT),
        ("二期项目用地审批慢", "land", Source.VISIT),
    ]
    assert [links.nth(n).get_attribute("href") for n in range(2)] == [f"/problems/{p.pk}/" for p in problems]
    # The visit's page lists them too, and the phone never scrolls sideways.
    expect(phone.locator("[data-testid=visit-problems] a")).to_have_count(2)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Each link opens its problem, raised on the visit and waiting for the liaison office.
    links.first.click()
    phone.wait_for_url(f"{live_server.url}/problems/{problems[0].pk}/")
    expect(phone.locator("[data-testid=problem-description]")).to_contain_text("新建厂房用地指标未落实")
    expect(phone.locator(f"a[href='/visits/{visit.pk}/']")).to_be_visible()

    # Editing the submitted visit is refused, and nothing is registered twice.
    phone.goto(f"{live_server.url}/visits/{visit.pk}/edit/")
    phone.wait_for_url(f"{live_server.url}/visits/{visit.pk}/")
    expect(phone.locator(".alert-danger")).to_be_visible()
    expect(phone.locator("[data-testid=visit-problems] a")).to_have_count(2)
    assert Problem.objects.filter(visit=visit).count() == 2


def test_a_draft_creates_none_and_bad_lines_are_named(phone, log_in, live_server, cast):
    enterprise = EnterpriseFactory(name="草稿问题企业")
    AssignmentFactory(official=cast["cadre"], enterprise=enterprise)
    log_in(phone, cast["cadre"])
    phone.goto(f"{live_server.url}/visits/new/")
    phone.select_option("select[name=enterprise]", label="草稿问题企业")
    # 200 lines: refused with a message under the field, nothing saved.
    phone.fill("textarea[name=problems_raised]", "\n".join(f"问题{n}" for n in range(200)))
    phone.click("[data-testid=visit-draft]")
    expect(phone.locator("#id_problems_raised ~ .invalid-feedback, .invalid-feedback")).to_contain_text("200")
    assert not Visit.objects.exists()
    # Two lines saved as a draft: no problem yet.
    phone.fill("textarea[name=problems_raised]", "融资难\n用工难")
    phone.click("[data-testid=visit-draft]")
    expect(phone.locator("[data-testid=visit-problems-waiting]")).to_be_visible()
    assert Visit.objects.get().is_draft and not Problem.objects.exists()
    # Completing the draft submits it: now the two problems exist, once.
    phone.goto(f"{live_server.url}/visits/{Visit.objects.get().pk}/edit/")
    phone.click("[data-testid=visit-submit]")
    expect(phone.locator(".alert [data-testid=registered-problem]")).to_have_count(2)
    assert Problem.objects.count() == 2


@pytest.fixture
def solved(cast):
    enterprise = EnterpriseFactory(name="评价链接企业", contact_name="王联系", contact_mobile="13800001234")
    department = DepartmentFactory(region_id="370102", name="历下区发展和改革局")
    handler = UserFactory(username="t_link_handler", region_id="370102", department=department, roles=[Role.HANDLER])
    problem = services.raise_problem(actor=cast["cadre"], enterprise=enterprise, category=category(), description="续贷困难")
    problem = services.triage_solve(
        actor=cast["county_staff"], problem=problem, proposed_solution="协调银行", department=department
    )
    return services.complete(actor=handler, problem=problem, result="银行已续贷。")


def test_the_office_hands_over_the_verdict_link(page, browser, log_in, live_server, cast, solved):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/problems/{solved.pk}/")
    card = page.locator("[data-testid=verdict-link]")
    expect(card).to_be_visible()
    expect(card).to_contain_text("王联系")
    field = card.locator("[data-testid=verdict-link-url]")
    link = field.input_value()
    # No SITE_URL in the tests: the link is built from the address the official uses.
    assert re.fullmatch(rf"{re.escape(live_server.url)}/problems/feedback/[^/]+/", link)
    # The field is named by its visible label (a textbox: the only one of the card).
    expect(card.get_by_role("textbox")).to_have_accessible_name(re.compile("Verdict link|评价链接"))

    # The QR code: an inline SVG image, named, big enough to scan.
    qr = card.locator("[data-testid=verdict-link-qr] svg[role=img]")
    expect(qr).to_be_visible()
    assert qr.get_attribute("aria-label")
    box = qr.bounding_box()
    assert box["width"] >= 150 and abs(box["width"] - box["height"]) < 2

    # The copy button: visible text, and a spoken confirmation; the clipboard holds the link.
    button = card.get_by_role("button", name=re.compile("Copy link|复制链接"))
    expect(button).to_be_visible()
    button.click()
    status = card.locator("[data-testid=verdict-link-status][role=status][aria-live=polite]")
    expect(status).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == link

    # The enterprise's contact opens it on a phone, without logging in, and answers.
    contact = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    contact_page = contact.new_page()
    contact_page.goto(link)
    contact_page.locator("input[value=satisfied]").check()
    contact_page.locator("form button[type=submit]").click()
    expect(contact_page.locator("[data-testid=feedback-done]")).to_be_visible()
    # Opened again: a clear message, no second verdict.
    contact_page.goto(link)
    expect(contact_page.locator("[data-testid=feedback-refused]")).to_be_visible()
    contact.close()
    assert Verdict.objects.filter(problem=solved).count() == 1
    solved.refresh_from_db()
    assert solved.status == ProblemStatus.CLOSED

    # Once answered, the problem's page no longer offers the link.
    page.reload()
    expect(page.locator("[data-testid=verdict-link]")).to_have_count(0)


def test_without_clipboard_access_the_link_is_selected_for_copying(page, log_in, live_server, cast, solved):
    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/problems/{solved.pk}/")
    # An old browser, or a page served over plain http: no clipboard API.
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true})")
    page.get_by_role("button", name=re.compile("Copy link|复制链接")).click()
    expect(page.locator("[data-testid=verdict-link-status]")).not_to_be_empty()
    selected = page.evaluate(
        "(() => { const field = document.getElementById('verdict-link-url');"
        " return field.value.substring(field.selectionStart, field.selectionEnd); })()"
    )
    assert selected == page.locator("[data-testid=verdict-link-url]").input_value()
