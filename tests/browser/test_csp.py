"""Under its Content-Security-Policy every page still works and the browser blocks nothing: the main pages as
an administrator (the dashboard's charts and their tooltips, the searchable selects, the forms with scripts
of their own, the admin), and the login page and the public showcase as a visitor (where no script runs).

A `securitypolicyviolation` listener is installed before any page script (Playwright's init script is not
subject to the page's policy), and the console is read for the browser's own "Refused to …" errors.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import test_accessibility, test_assessment
from tests.url_policy import POLICY

pytestmark = pytest.mark.browser

MAIN_PAGES = test_accessibility.MAIN_PAGES
# The records the accessibility test walks, and an assessed year for the dashboard's charts (their fixtures).
records = test_accessibility.records
assessed = test_assessment.assessed

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} ${event.sample}`);
});
"""
# Pages with scripts of their own, beyond the main page of each app.
MORE_PAGES = [
    ("enterprises:import", None),
    ("enterprises:create", None),
    ("assessment:scheme_create", None),
    ("reviews:create", None),
    ("visits:plan", None),
    ("admin:index", None),
    ("admin:cases_case_changelist", None),
    ("admin:cases_case_change", "case"),
    ("admin:cases_case_history", "case"),
]


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and console error it reports collected in `page.blocked`."""
    page.blocked = []
    page.add_init_script(LISTEN)

    def on_console(message):
        if message.type == "error" and ("Content Security Policy" in message.text or "Refused to" in message.text):
            page.blocked.append(f"console: {message.text}")

    page.on("console", on_console)
    return page


def violations(page, where):
    found = page.evaluate("window.__cspViolations || []") + page.blocked
    page.blocked = []
    return [f"{where}: {violation}" for violation in found]


def url_of(name, record, records):
    if name.startswith("admin:"):
        return reverse(name, args=[records[record].pk] if record else None)
    return reverse(name, kwargs={"pk": records[record].pk} if record else None)


def test_the_main_pages_run_under_their_policy_as_an_administrator(watched, log_in, live_server, cast, records, assessed):
    page = watched
    log_in(page, cast["admin"])
    found = violations(page, "login")
    for name, record in MAIN_PAGES + MORE_PAGES:
        rule = POLICY.get(name)
        if rule is not None and not rule.public and "admin" not in rule.get:
            continue
        url = url_of(name, record, records)
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        page.wait_for_load_state("load")
        found += violations(page, url)
    assert found == []


def test_the_dashboards_charts_and_tooltips_draw_without_a_violation(watched, log_in, live_server, cast, assessed):
    page = watched
    log_in(page, cast["reviewer"])
    page.goto(f"{live_server.url}{reverse('assessment:dashboard')}")
    for chart in ("scores-chart", "trend-chart"):
        canvas = page.locator(f"[data-testid={chart}] canvas")
        expect(canvas).to_have_count(1)
        box = canvas.bounding_box()
        # Over the first bar or point: ECharts shows its tooltip.
        page.mouse.move(box["x"] + box["width"] * 0.12, box["y"] + box["height"] * 0.6)
        page.wait_for_timeout(300)
    assert violations(page, "dashboard") == []


def test_print_buttons_searchable_selects_and_the_language_select_work_under_the_policy(
    watched, log_in, live_server, cast, records
):
    page = watched
    log_in(page, cast["county_staff"])
    # A searchable select fetches its options (connect-src 'self') and draws its dropdown
    page.goto(f"{live_server.url}{reverse('problems:create')}")
    page.locator("select[data-autocomplete-url] + .ts-wrapper").first.click()
    page.keyboard.type("无障碍")
    expect(page.locator(".ts-dropdown .option", has_text="无障碍测试科技有限公司")).to_be_visible()
    page.goto(f"{live_server.url}{reverse('visits:due')}")
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.locator("[data-print]").first.click()
    assert page.evaluate("window.__printed === true")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert violations(page, "problem form and due list") == []


def test_the_login_page_and_the_public_showcase_as_a_visitor(watched, live_server, records):
    page = watched
    showcase = [reverse("showcase:list"), reverse("showcase:detail", kwargs={"pk": records["case"].pk})]
    found = []
    for url in [reverse("login"), *showcase]:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        page.wait_for_load_state("load")
        found += violations(page, url)
    assert found == []
    # The showcase runs no script, and its language switch still works, by its button
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert page.locator("script").count() == 0
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.locator("[data-testid=language-switch] button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert violations(page, "showcase in English") == []
