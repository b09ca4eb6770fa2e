"""A model case from its nomination on the enterprise's page to the public showcase, read on a phone
by a visitor who never logs in."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case, CaseStatus
from cases.tests.factories import PNG
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory

pytestmark = pytest.mark.browser

CONSENT_NOTE = "企业出具盖章同意书（内部）"
REVIEW_COMMENT = "事迹扎实，同意推荐（内部）"


def open_action(page, case, action):
    details = page.locator(f"[data-testid=case-actions] details:has(form[action='/cases/{case.pk}/{action}/'])")
    details.locator("summary").click()
    return details.locator("form")


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_case_from_nomination_to_the_public_showcase(page, phone, log_in, live_server, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enterprise = EnterpriseFactory(name="典型测试精密机械有限公司", contact_name="联系人孙小红", contact_mobile="13900001111")
    AssignmentFactory(official=cast["cadre"], enterprise=enterprise)

    # The liaison cadre nominates the enterprise from its page, with a photo.
    log_in(page, cast["cadre"])
    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    page.click("[data-testid=nominate-case]")
    page.fill("input[name=entrepreneur_name]", "周建业")
    page.fill("input[name=entrepreneur_title]", "董事长")
    page.fill("input[name=title]", "三十年专注精密制造")
    page.check("input[name=qualities][value=enterprising]")
    page.check("input[name=qualities][value=giving_back]")
    page.fill("textarea[name=story]", "企业扎根泉城三十年，坚持自主创新，带动就业八百人。")
    page.set_input_files("input[name=photos]", files=[{"name": "车间.png", "mimeType": "image/png", "buffer": PNG}])
    page.click("[data-testid=case-form] button[type=submit]")
    expect(page.locator("[data-testid=case-status]")).to_be_visible()
    case = Case.objects.get()
    assert case.status == CaseStatus.NOMINATED and case.photos.count() == 1
    # The nominator is offered no review of their own nomination.
    expect(page.locator(f"form[action='/cases/{case.pk}/approve/']")).to_have_count(0)

    # The county's united-front staff approve it, record the enterprise's consent and publish it.
    page.context.clear_cookies()
    log_in(page, cast["county_staff"])
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    form = open_action(page, case, "approve")
    form.locator("textarea[name=approve-comment]").fill(REVIEW_COMMENT)
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=case-review-comment]")).to_contain_text(REVIEW_COMMENT)
    form = open_action(page, case, "consent")
    form.locator("input[name=consent-consent_on]").fill(timezone.localdate().isoformat())
    form.locator("input[name=consent-consent_by]").fill("周建业 董事长")
    form.locator("textarea[name=consent-consent_note]").fill(CONSENT_NOTE)
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=case-consent]")).to_contain_text("周建业 董事长")
    open_action(page, case, "publish").locator("button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED

    # A visitor on a phone, never logged in, finds it on the showcase and reads it.
    phone.goto(f"{live_server.url}/showcase/")
    card = phone.locator("[data-testid=showcase-list] article", has_text="三十年专注精密制造")
    expect(card).to_be_visible()
    cover = card.locator("img")
    expect(cover).to_be_visible()
    assert cover.evaluate("image => image.complete && image.naturalWidth > 0")
    card.locator("a").first.click()
    expect(phone.locator("[data-testid=showcase-story]")).to_contain_text("带动就业八百人")
    body = phone.locator("body")
    for private in (CONSENT_NOTE, REVIEW_COMMENT, "联系人孙小红", "13900001111", cast["cadre"].full_name):
        expect(body).not_to_contain_text(private)
    # The page fits the phone's width: nothing scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The visitor switches to English, still without logging in (by the switch's button: the showcase runs
    # no script).
    phone.select_option("[data-testid=language-switch] select", "en")
    phone.locator("[data-testid=language-switch] button[type=submit]").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.locator("[data-testid=showcase-case]")).to_contain_text("Enterprising and innovative")
