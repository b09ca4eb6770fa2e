"""Browser-test fixtures: Debian's Chromium driven by Playwright (sync API) against `live_server`.

No browser is ever downloaded: Chromium comes from Debian (`apt-get install chromium fonts-noto-cjk`,
which scripts/test.sh does), never from `playwright install`.
"""

import importlib
import os
from pathlib import Path

import pytest

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
# The data migrations whose rows the flush after each live_server test removes.
REFERENCE_DATA_LOADERS = [
    ("accounts.migrations.0002_load_shandong_regions", "load_regions"),
    ("accounts.migrations.0003_seed_province_departments", "seed"),
    ("enterprises.migrations.0002_load_industries_and_tags", "load"),
    ("visits.migrations.0002_default_cadence", "seed"),
    ("problems.migrations.0002_seed_categories_and_time_limits", "seed"),
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
    """Put back the reference rows that data migrations load (regions, departments, industries, tags).

    live_server tests run in transactional mode, and each one ends by flushing every table, which also
    wipes the rows loaded by migrations (post_migrate after the flush brings back only the role groups).
    The loaders are idempotent, so running them again is harmless.
    """
    from django.apps import apps

    from accounts.models import Region
    from accounts.roles import sync_role_groups
    from enterprises.models import Industry

    if not (Region.objects.filter(code="370102").exists() and Industry.objects.exists()):
        for module, loader in REFERENCE_DATA_LOADERS:
            getattr(importlib.import_module(module), loader)(apps, None)
    sync_role_groups()


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
