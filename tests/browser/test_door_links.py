"""Issue 16, point 1 in the browser: staff issue an enterprise's access link from its page (copy button, QR
code, printable letter), the contact opens it on a phone, and a revoked link shuts the phone's session out."""

import pytest
from playwright.sync_api import expect

from enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_staff_issue_a_link_the_contact_opens_on_a_phone_and_staff_revoke_it(page, phone, log_in, live_server, cast):
    enterprise = EnterpriseFactory(
        region_id="370102", name="浏览器通道测试企业", contact_name="韩经理", contact_mobile="13811112222"
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    page.click("[data-testid=door-access-links]")
    issue = page.locator("[data-testid=door-issue]")
    expect(issue.locator("input[name=contact_name]")).to_have_value("韩经理")
    issue.locator("button[type=submit]").click()

    letter = page.locator("[data-testid=door-letter]")
    expect(letter).to_contain_text("韩经理")
    expect(letter.locator("[data-testid=door-link-qr] svg")).to_be_visible()
    link = page.locator("[data-testid=door-link-url]").input_value()
    assert link.startswith(f"{live_server.url}/door/open/")
    page.click("[data-testid=door-link-copy]")
    expect(page.locator("#door-link-status")).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == link

    phone.goto(link)
    phone.wait_for_url(f"{live_server.url}/door/")
    expect(phone.locator("[data-testid=door-header]")).to_contain_text("浏览器通道测试企业")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(f"{live_server.url}/door/enterprises/{enterprise.pk}/")
    revoke = page.locator("[data-testid=door-revoke]")
    revoke.locator("input[name=reason]").fill("演示结束")
    revoke.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=door-ended-links]")).to_contain_text("演示结束")

    phone.reload()
    phone.wait_for_url(f"{live_server.url}/door/start/")
    expect(phone.locator(".alert-warning")).to_be_visible()
    # The start page says how to come back: a new link from the liaison cadre.
    expect(phone.locator("[data-testid=door-start]")).to_be_visible()
