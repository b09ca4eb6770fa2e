"""Browser-test fixtures: Debian's Chromium driven by Playwright (sync API) against `live_server`.

No browser is ever downloaded: Chromium comes from Debian (`apt-get install chromium fonts-noto-cjk`,
which scripts/test.sh does), never from `playwright install`.
"""

import os
from pathlib import Path

import pytest

from tests.reference_data import restore_reference_data

# Playwright's sync API runs an event loop in the test thread; Django would then refuse ORM calls
# made by the fixtures (the live server itself answers from its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Playwright waits this long for an element or a navigation before failing the test.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk (never `playwright install`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh context (no cookies) per test, as an official's browser in China would be set up."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """live_server tests run in transactional mode, and each one ends by flushing every table."""
    restore_reference_data()


@pytest.fixture
def log_in(live_server):
    """Log in through the real login form and wait for the home page."""
    from accounts.tests.factories import PASSWORD

    def log_in(page, user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action='/accounts/login/'] button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return log_in
