"""Issue 16, point 3 in the browser, on a phone: the enterprise raises a demand with a photo taken on the spot
from its door, finds it on its list of demands and follows its timeline; the office's staff see it on their
home page among the demands waiting for triage."""

import struct
import zlib

import pytest
from playwright.sync_api import expect

from door import links, services
from enterprises.tests.factories import EnterpriseFactory
from problems.models import ProblemEventAttachment, ProblemStatus, Source

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def png(width=8, height=8):
    """A real PNG (a red square): signature, header, compressed rows and end, each chunk with its CRC."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_enterprise_raises_a_demand_with_a_photo_on_a_phone_and_staff_see_it_waiting_for_triage(
    phone, page, live_server, log_in, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    enterprise = EnterpriseFactory(name="诉求浏览器测试企业", region_id="370102")
    _access, token = services.issue_access(actor=cast["county_staff"], enterprise=enterprise, contact_name="吴经理")
    photo = tmp_path / "门前道路积水.png"
    photo.write_bytes(png())

    phone.goto(f"{live_server.url}{links.link_path(token)}")
    phone.wait_for_url(f"{live_server.url}/door/")
    phone.locator("[data-testid=door-raise-demand]").click()
    form = phone.locator("[data-testid=demand-form]")
    form.locator("select[name=category]").select_option(label="水电气暖和基础设施")
    form.locator("textarea[name=description]").fill(
        "公司门前道路雨后积水严重，货车无法进出，已影响正常发货，请协调市政部门处理。"
    )
    form.locator("input[name=files]").set_input_files(str(photo))
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    form.locator("button[type=submit]").click()

    # The demand's page: its words, and the timeline starting with the photo sent.
    expect(phone.locator(".alert-success")).to_be_visible()
    expect(phone.locator("[data-testid=demand-description]")).to_contain_text("货车无法进出")
    timeline = phone.locator("[data-testid=demand-timeline]")
    expect(timeline).to_contain_text("门前道路积水.png")
    demand = enterprise.problems.get()
    assert (demand.source, demand.status, demand.raised_by) == (Source.ENTERPRISE, ProblemStatus.NEW, None)
    assert phone.url == f"{live_server.url}/door/demands/{demand.pk}/"
    [attachment] = ProblemEventAttachment.objects.filter(event__problem=demand)
    assert attachment.original_name == "门前道路积水.png" and attachment.file.read() == png()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The list of the enterprise's demands leads back to it.
    phone.goto(f"{live_server.url}/door/demands/")
    listed = phone.locator("[data-testid=demand-list]")
    expect(listed).to_contain_text("水电气暖和基础设施")
    listed.locator(f"a[href='/door/demands/{demand.pk}/']").click()
    expect(phone.locator("[data-testid=demand-timeline]")).to_contain_text("门前道路积水.png")

    # The county's staff find it on their home page, among the demands waiting for triage.
    log_in(page, cast["county_staff"])
    waiting = page.locator("[data-testid=home-enterprise-demands]")
    expect(waiting).to_contain_text("诉求浏览器测试企业")
    waiting.locator(f"a[href='/problems/{demand.pk}/']").click()
    expect(page.locator("body")).to_contain_text("货车无法进出")
