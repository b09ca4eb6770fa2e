"""Logging in, what each role sees in the navigation, the language switch and the phone layout,
in Debian's Chromium against the live server."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.browser

OFFICIALS_LINK = "nav a[href='/accounts/officials/']"
LOGIN_BUTTON = "form[action='/accounts/login/'] button[type=submit]"


def test_county_staff_logs_in_and_sees_region_and_officials_link(page, log_in, live_server, cast):
    log_in(page, cast["county_staff"])

    expect(page.locator("[data-testid=home-region]")).to_contain_text("历下区")
    # The officials' list is under the Administration menu.
    page.click("[data-testid=nav-administration]")
    expect(page.locator(OFFICIALS_LINK)).to_be_visible()


def test_cadre_sees_region_but_no_officials_link_and_gets_403_there(page, log_in, live_server, cast):
    log_in(page, cast["cadre"])

    expect(page.locator("[data-testid=home-region]")).to_contain_text("历下区")
    expect(page.locator("nav a[href='/']").first).to_be_visible()
    expect(page.locator(OFFICIALS_LINK)).to_have_count(0)

    response = page.goto(f"{live_server.url}/accounts/officials/")
    assert response.status == 403
    # The portal's own 403 page (templates/403.html), still inside the logged-in layout.
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main a.btn[href='/']")).to_be_visible()
    expect(page.locator("[data-testid=user-menu]")).to_be_visible()


def test_wrong_password_shows_error_and_does_not_log_in(page, live_server, cast):
    login_url = f"{live_server.url}/accounts/login/"
    page.goto(login_url)
    page.fill("input[name=username]", cast["county_staff"].username)
    page.fill("input[name=password]", PASSWORD + "-wrong")
    page.click(LOGIN_BUTTON)

    expect(page.locator("main .alert-danger")).to_be_visible()
    expect(page.locator("main .alert-danger")).not_to_be_empty()
    assert page.url == login_url
    expect(page.locator("[data-testid=user-menu]")).to_have_count(0)

    # Still anonymous: the home page sends the browser back to the login form.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator(LOGIN_BUTTON)).to_be_visible()


def test_language_switch_between_chinese_and_english(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(page.locator(LOGIN_BUTTON)).to_have_text("登录")

    # Choosing a language submits the form to /i18n/setlang/, which redirects back to this page.
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator(LOGIN_BUTTON)).to_have_text("Log in")
    expect(page.locator("#language-select")).to_have_value("en")

    with page.expect_navigation():
        page.select_option("#language-select", label="简体中文")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(page.locator(LOGIN_BUTTON)).to_have_text("登录")


def test_phone_layout_collapses_navbar_and_fits_login_form(page, log_in, live_server, cast):
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("form[action='/accounts/login/']")
    expect(form).to_be_in_viewport(ratio=1)
    for field in ("input[name=username]", "input[name=password]", LOGIN_BUTTON):
        expect(page.locator(field)).to_be_visible()
        box = page.locator(field).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, field
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Once logged in, the navigation folds behind the toggler and opens when it is tapped.
    log_in(page, cast["county_staff"])
    toggler = page.locator("nav .navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.locator(OFFICIALS_LINK)).to_be_hidden()
    toggler.click()
    page.click("[data-testid=nav-administration]")
    expect(page.locator(OFFICIALS_LINK)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
