"""A cadre logs a visit with a photo from a phone, and the visit appears on the enterprise's timeline."""

import pytest
from playwright.sync_api import expect

from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from visits.models import Policy, Visit, VisitAttachment

pytestmark = pytest.mark.browser

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_cadre_logs_a_visit_with_a_photo_from_a_phone(phone, log_in, live_server, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enterprise = EnterpriseFactory(name="手机走访企业")
    AssignmentFactory(official=cast["cadre"], enterprise=enterprise)
    Policy.objects.create(
        title="民营经济高质量发展若干措施", issuer="山东省人民政府", level="province", region_id="370000", issued_on="2026-01-01"
    )
    Policy.objects.create(
        title="仅限大型企业的政策",
        issuer="山东省人民政府",
        level="province",
        region_id="370000",
        issued_on="2026-01-01",
        sizes="large",
    )
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)

    log_in(phone, cast["cadre"])
    phone.goto(f"{live_server.url}/visits/new/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # The cadre's own enterprise is the one to choose, and today's date is already there.
    phone.select_option("select[name=enterprise]", label="手机走访企业")
    expect(phone.locator("input[name=visited_on]")).not_to_have_value("")
    # The policies that fit the enterprise move to the top, marked as suggestions.
    suggested = phone.locator("[data-suggested-policies]")
    expect(suggested).to_contain_text("民营经济高质量发展若干措施")
    expect(suggested).not_to_contain_text("仅限大型企业的政策")
    suggested.get_by_text("民营经济高质量发展若干措施").click()
    phone.fill("input[name=purpose]", "了解生产经营情况")
    phone.fill("textarea[name=situation]", "订单饱满，生产正常。")
    phone.set_input_files("input[name=attachments]", str(photo))
    phone.click("[data-testid=visit-submit]")

    expect(phone.locator("[data-testid=visit-status]")).to_have_text("已提交")
    expect(phone.locator("[data-testid=attachments] img")).to_have_count(1)
    visit = Visit.objects.get()
    assert VisitAttachment.objects.get(visit=visit).content_type == "image/png"
    assert [policy.title for policy in visit.policies_explained.all()] == ["民营经济高质量发展若干措施"]

    phone.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    expect(phone.locator("[data-testid=timeline]")).to_contain_text("了解生产经营情况")
    expect(phone.locator(f"[data-testid=timeline] a[href='/visits/{visit.pk}/']")).to_be_visible()
