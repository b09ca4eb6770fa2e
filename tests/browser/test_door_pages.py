"""Issue 16, point 2 in the browser, on a phone: the enterprise opens the link staff issued, sees its liaison
cadre, replies to a forum's invitation and changes its reply."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import DepartmentFactory, UserFactory
from door import links, services
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from forums.models import ForumReply
from forums.tests.factories import ForumFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_enterprise_opens_its_link_sees_its_liaison_and_replies_to_a_forum_on_a_phone(phone, live_server, cast):
    enterprise = EnterpriseFactory(name="门户浏览器测试企业")
    cadre = UserFactory(full_name="周联络", title="区工信局局长", mobile="13912345678", roles=[Role.CADRE])
    AssignmentFactory(enterprise=enterprise, official=cadre, department=DepartmentFactory(name="历下区工业和信息化局"))
    forum = ForumFactory(theme="民营企业发展座谈会", starts_at=timezone.now() + timedelta(days=10), venue="区政务中心")
    forum.invited_enterprises.add(enterprise)
    _access, token = services.issue_access(actor=cast["county_staff"], enterprise=enterprise, contact_name="吴经理")

    phone.goto(f"{live_server.url}{links.link_path(token)}")
    phone.wait_for_url(f"{live_server.url}/door/")
    expect(phone.locator("[data-testid=door-header]")).to_contain_text("门户浏览器测试企业")
    liaisons = phone.locator("[data-testid=door-liaisons]")
    expect(liaisons).to_contain_text("周联络")
    expect(liaisons).to_contain_text("区工信局局长")
    expect(liaisons).to_contain_text("历下区工业和信息化局")
    expect(phone.locator("body")).not_to_contain_text("13912345678")

    invitation = phone.locator(f"#forum-{forum.pk}")
    expect(invitation).to_contain_text("民营企业发展座谈会")
    invitation.locator(f"input[name=forum-{forum.pk}-attending][value=yes]").check()
    invitation.locator(f"input[name=forum-{forum.pk}-attendees]").fill("吴经理，郑总")
    invitation.locator("button[type=submit]").click()
    phone.wait_for_url(f"{live_server.url}/door/#forum-{forum.pk}")
    expect(phone.locator(".alert-success")).to_be_visible()
    expect(phone.locator(f"#forum-{forum.pk} [data-testid=door-reply]")).to_contain_text("吴经理、郑总")
    reply = ForumReply.objects.get()
    assert (reply.enterprise, reply.attending, reply.attendees) == (enterprise, True, "吴经理、郑总")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The reply holds its choice on the page, and changes until the forum begins.
    invitation = phone.locator(f"#forum-{forum.pk}")
    expect(invitation.locator(f"input[name=forum-{forum.pk}-attending][value=yes]")).to_be_checked()
    invitation.locator(f"input[name=forum-{forum.pk}-attending][value=no]").check()
    invitation.locator("button[type=submit]").click()
    phone.wait_for_url(f"{live_server.url}/door/#forum-{forum.pk}")
    reply.refresh_from_db()
    assert (reply.attending, reply.attendees) == (False, "")
    expect(phone.locator(f"#forum-{forum.pk} [data-testid=door-reply]")).not_to_contain_text("郑总")
