"""The audit trail on a phone: an administrator reads who changed what from where without scrolling sideways,
long values wrapped."""

import pytest
from playwright.sync_api import expect

from forums.tests.factories import ForumFactory
from portal.audit.tests.helpers import request_by

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_trail_fits_a_phone(page, log_in, live_server, cast):
    forum = ForumFactory(theme="历下区民营企业座谈会")
    with request_by(cast["county_staff"], "2001:db8:85a3::8a2e:370:7334"):
        forum.venue = "区政务服务中心三楼第一会议室" * 4
        forum.minutes = "座谈会纪要" * 80
        forum.save()

    page.set_viewport_size(PHONE)
    log_in(page, cast["county_admin"])
    page.goto(f"{live_server.url}/audit/")
    entry = page.locator("[data-testid=audit-entry]").first
    expect(entry).to_contain_text(cast["county_staff"].display_name)
    expect(entry.locator("[data-testid=audit-address]")).to_have_text("2001:db8:85a3::8a2e:370:7334")
    expect(entry).to_contain_text("历下区民营企业座谈会")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
