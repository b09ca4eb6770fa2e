"""Opening access links: tampered, expired, ended links; one enterprise's link never opens another's pages;
failures throttled per address; a link opened from too many addresses suspended."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.tests.security_lines import captured_security_log
from door import links, services
from door.models import DoorEvent, Ending, EnterpriseAccess, EventKind
from enterprises.tests.factories import EnterpriseFactory
from notifications.models import Notification

from .factories import issued

pytestmark = pytest.mark.django_db


def visitor(address="203.0.113.7"):
    """A browser in English (the messages are compared in English), from `address`."""
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address, HTTP_USER_AGENT="Mozilla/5.0 (iPhone) 测试浏览器")


def tampered(signed_value):
    last = signed_value[-1]
    return signed_value[:-1] + ("A" if last != "A" else "B")


def test_a_refused_link_leaves_its_token_out_of_the_request_log(caplog):
    _access, token = issued()
    EnterpriseAccess.objects.update(expires_at=timezone.now())
    visitor().get(links.link_path(token))
    assert token not in caplog.text


def test_a_tampered_link_is_refused_before_any_lookup_of_the_links():
    _access, token = issued()
    path = reverse("door:open", kwargs={"token": tampered(links.signed(token))})
    with CaptureQueriesContext(connection) as queries:
        response = visitor().get(path)
    assert response.status_code == 404
    assert "This link is not valid." in response.content.decode()
    assert not any("door_enterpriseaccess" in query["sql"] for query in queries.captured_queries)
    event = DoorEvent.objects.get()
    assert (event.kind, event.access, event.address) == (EventKind.FAILED, None, "203.0.113.7")
    assert event.user_agent.startswith("Mozilla/5.0")


def test_a_well_signed_token_nobody_issued_gets_the_same_answer_as_a_tampered_one():
    unknown = visitor().get(links.link_path(links.new_token()))
    made_up = visitor().get(reverse("door:open", kwargs={"token": "made-up"}))
    assert unknown.status_code == made_up.status_code == 404
    assert (
        unknown.content.decode().count("This link is not valid.")
        == made_up.content.decode().count("This link is not valid.")
        == 1
    )


def test_an_expired_link_says_so():
    access, token = issued()
    EnterpriseAccess.objects.filter(pk=access.pk).update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    response = visitor().get(links.link_path(token))
    assert response.status_code == 410 and "This link has expired." in response.content.decode()
    assert access.events.get().kind == EventKind.EXPIRED


def test_a_revoked_link_says_so(cast):
    access, token = issued()
    services.revoke_access(actor=cast["county_staff"], access=access, reason="更换联系人")
    response = visitor().get(links.link_path(token))
    assert response.status_code == 410 and "This link is no longer valid" in response.content.decode()
    assert access.events.get().kind == EventKind.REVOKED


def test_the_link_of_one_enterprise_opens_its_pages_only():
    first = EnterpriseFactory(name="甲方科技有限公司")
    second = EnterpriseFactory(name="乙方机械有限公司")
    _access, first_token = issued(first)
    _access, second_token = issued(second)
    browser = visitor()
    browser.get(links.link_path(first_token))
    home = browser.get(reverse("door:home")).content.decode()
    assert "甲方科技有限公司" in home and "乙方机械有限公司" not in home
    # The second link in the same browser: a new session, of the second enterprise only.
    browser.get(links.link_path(second_token))
    home = browser.get(reverse("door:home")).content.decode()
    assert "乙方机械有限公司" in home and "甲方科技有限公司" not in home


def test_repeated_failures_from_one_address_are_throttled(settings):
    settings.DOOR_FAILURE_LIMIT = 3
    _access, token = issued()
    browser = visitor("198.51.100.4")
    for _attempt in range(3):
        assert browser.get(reverse("door:open", kwargs={"token": f"guess-{_attempt}"})).status_code == 404
    # Now even a good link is refused from this address, with the throttle's words.
    response = browser.get(links.link_path(token))
    assert response.status_code == 429
    assert "Too many attempts from your connection." in response.content.decode()
    assert DoorEvent.objects.filter(kind=EventKind.THROTTLED, address="198.51.100.4").count() == 1
    assert DoorEvent.objects.filter(kind=EventKind.FAILED).count() == 3
    # Another address is not held back.
    assert visitor("198.51.100.5").get(links.link_path(token))["Location"] == reverse("door:home")


def test_a_link_opened_from_too_many_addresses_is_suspended_and_its_issuer_told(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.DOOR_MAX_ADDRESSES = 2
    access, token = issued(issued_by=cast["county_staff"])
    first = visitor("192.0.2.1")
    assert first.get(links.link_path(token)).status_code == 302
    assert visitor("192.0.2.2").get(links.link_path(token)).status_code == 302
    assert visitor("192.0.2.1").get(links.link_path(token)).status_code == 302  # an address seen already
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor("192.0.2.3").get(links.link_path(token))
    assert response.status_code == 410
    assert "used from too many places at once" in response.content.decode()
    access.refresh_from_db()
    assert access.ended_how == Ending.SUSPENDED and access.revoked_by is None
    assert access.events.filter(kind=EventKind.SUSPENDED, address="192.0.2.3").exists()
    notice = Notification.objects.get(recipient=cast["county_staff"])
    assert notice.link == reverse("door:enterprise_links", kwargs={"pk": access.enterprise_id})
    # The sessions already open are shut out too, and the link stays refused.
    assert first.get(reverse("door:home"))["Location"] == reverse("door:start")
    assert visitor("192.0.2.1").get(links.link_path(token)).status_code == 410


def test_every_attempt_at_the_door_is_in_the_security_log_without_the_token():
    access, token = issued()
    with captured_security_log() as log:
        visitor("192.0.2.50").get(links.link_path(token))
        visitor("192.0.2.51").get(reverse("door:open", kwargs={"token": tampered(links.signed(token))}))
    opened = log.one("door_opened")
    assert (opened["access_id"], opened["enterprise_id"], opened["address"]) == (access.pk, access.enterprise_id, "192.0.2.50")
    assert log.one("door_failed")["address"] == "192.0.2.51"
    assert token not in log.text()
