"""Signing in with a code by SMS, where an SMS channel is configured: same answer for any number, the code
hashed and short-lived, five tries, one open code per number, a minute between requests."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from door import codes
from door.models import Channel, DoorEvent, EnterpriseAccess, EventKind, SignInCode
from enterprises.models import Status
from enterprises.tests.factories import EnterpriseFactory
from notifications.channels import SmsChannel

from .factories import issued

pytestmark = pytest.mark.django_db

REGISTERED = "13912345678"
UNKNOWN = "13700000000"


class RecordingSms(SmsChannel):
    """An SMS gateway that keeps what it would send."""

    sent = []

    def deliver(self, mobile, text, *, signature):
        self.sent.append((mobile, text))


@pytest.fixture
def sms(settings):
    RecordingSms.sent = []
    settings.NOTIFICATION_CHANNELS = ["door.tests.test_codes.RecordingSms"]
    return RecordingSms.sent


@pytest.fixture
def enterprise():
    return EnterpriseFactory(name="济南明德食品有限公司", contact_name="陈总", contact_mobile=REGISTERED)


def browser(address="203.0.113.20"):
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address)


def ask_code(client, mobile):
    return client.post(reverse("door:code_request"), {"mobile": mobile}, follow=True)


def code_sent_to(sms, mobile):
    [(to, text)] = [message for message in sms if message[0] == mobile]
    assert len(text) + len(f"【{RecordingSms.signature}】") <= 70
    return re.search(r"\d{6}", text).group(0)


def test_without_an_sms_channel_the_start_page_offers_the_link_only():
    page = browser().get(reverse("door:start")).content.decode()
    assert 'data-testid="door-start"' in page and 'data-testid="door-code-start"' not in page
    response = browser().post(reverse("door:code_request"), {"mobile": REGISTERED})
    assert response["Location"] == reverse("door:start")
    assert not SignInCode.objects.exists()


def test_a_registered_number_signs_in_with_the_code_sent_by_sms(sms, enterprise, django_capture_on_commit_callbacks):
    client = browser()
    assert 'data-testid="door-code-start"' in client.get(reverse("door:start")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        page = ask_code(client, REGISTERED)
    assert "If this number is registered for an enterprise, a code was sent to it by SMS." in page.content.decode()
    code = code_sent_to(sms, REGISTERED)
    stored = SignInCode.objects.get()
    assert code not in stored.code_digest and stored.code_digest == codes.code_digest(REGISTERED, code)
    response = client.post(reverse("door:code"), {"code": code})
    assert response["Location"] == reverse("door:home")
    assert "济南明德食品有限公司" in client.get(reverse("door:home")).content.decode()
    access = EnterpriseAccess.objects.get()
    assert (access.channel, access.contact_name, access.contact_mobile, access.use_count) == (Channel.CODE, "陈总", REGISTERED, 1)
    assert access.events.filter(kind=EventKind.SIGNED_IN).count() == 1
    # Used: the code opens nothing a second time.
    again = browser("203.0.113.21")
    again.post(reverse("door:code_request"), {"mobile": REGISTERED})
    assert again.post(reverse("door:code"), {"code": code}).status_code == 200


def test_a_number_with_a_live_link_signs_into_that_link(sms, django_capture_on_commit_callbacks):
    access, _token = issued(EnterpriseFactory(), contact_name="黄经理", contact_mobile="13566667777")
    client = browser()
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client, "13566667777")
    client.post(reverse("door:code"), {"code": code_sent_to(sms, "13566667777")})
    assert EnterpriseAccess.objects.get() == access
    access.refresh_from_db()
    assert access.use_count == 1


def test_an_unknown_number_gets_the_same_answer_and_no_sms(sms, enterprise, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask_code(browser("203.0.113.30"), REGISTERED)
        unknown = ask_code(browser("203.0.113.31"), UNKNOWN)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("door:code"), 302)]

    def words(response):
        page = response.content.decode().replace("139****5678", "").replace("137****0000", "")
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page)

    assert words(known) == words(unknown)
    assert [to for to, _text in sms] == [REGISTERED]
    assert SignInCode.objects.filter(mobile=UNKNOWN).count() == 0
    # Trying a code for the unknown number: the same refusal as a wrong code.
    client = browser("203.0.113.31")
    client.post(reverse("door:code_request"), {"mobile": UNKNOWN})
    response = client.post(reverse("door:code"), {"code": "123456"})
    assert "The code is wrong or has expired." in response.content.decode()


def test_five_wrong_codes_close_the_code(sms, enterprise, django_capture_on_commit_callbacks):
    client = browser()
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client, REGISTERED)
    code = code_sent_to(sms, REGISTERED)
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(5):
        response = client.post(reverse("door:code"), {"code": wrong})
        assert "The code is wrong or has expired." in response.content.decode()
    assert SignInCode.objects.get().closed_at is not None
    response = client.post(reverse("door:code"), {"code": code})
    assert response.status_code == 200 and "The code is wrong or has expired." in response.content.decode()
    assert not EnterpriseAccess.objects.exists()
    assert DoorEvent.objects.filter(kind=EventKind.CODE_FAILED).count() == 6


def test_an_expired_code_is_refused(sms, enterprise, django_capture_on_commit_callbacks):
    client = browser()
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client, REGISTERED)
    code = code_sent_to(sms, REGISTERED)
    SignInCode.objects.update(expires_at=timezone.now())
    response = client.post(reverse("door:code"), {"code": code})
    assert "The code is wrong or has expired." in response.content.decode()
    assert not EnterpriseAccess.objects.exists()


def test_a_new_code_waits_a_minute_and_replaces_the_open_one(sms, enterprise, settings, django_capture_on_commit_callbacks):
    client = browser()
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client, REGISTERED)
        waited = ask_code(client, REGISTERED)
    assert "less than a minute ago" in waited.content.decode()
    first = code_sent_to(sms, REGISTERED)
    settings.DOOR_CODE_RESEND_SECONDS = 0
    codes.send_code(REGISTERED)  # what the worker does for the next request
    assert SignInCode.objects.open().count() == 1 and SignInCode.objects.count() == 2
    second = code_sent_to(sms[1:], REGISTERED)
    if second != first:  # one chance in a million that the new code is the old one
        assert "The code is wrong or has expired." in client.post(reverse("door:code"), {"code": first}).content.decode()
    assert client.post(reverse("door:code"), {"code": second})["Location"] == reverse("door:home")


def test_wrong_codes_for_one_number_are_throttled_from_every_address(sms, enterprise, settings):
    settings.DOOR_FAILURE_LIMIT = 3
    for number in range(3):
        client = browser(f"198.51.100.{number + 10}")
        client.post(reverse("door:code_request"), {"mobile": REGISTERED})
        client.post(reverse("door:code"), {"code": "999999"})
    client = browser("198.51.100.99")
    response = client.post(reverse("door:code_request"), {"mobile": REGISTERED})
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()
    assert DoorEvent.objects.filter(kind=EventKind.THROTTLED, mobile="139****5678").exists()


def test_a_number_of_several_enterprises_chooses_one(sms, django_capture_on_commit_callbacks):
    EnterpriseFactory(name="甲公司", contact_name="何总", contact_mobile=REGISTERED)
    second = EnterpriseFactory(name="乙公司", contact_name="何总", contact_mobile=REGISTERED)
    EnterpriseFactory(name="丙公司", contact_name="何总", contact_mobile=REGISTERED, status=Status.DEREGISTERED)
    client = browser()
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client, REGISTERED)
    page = client.post(reverse("door:code"), {"code": code_sent_to(sms, REGISTERED)}).content.decode()
    assert "甲公司" in page and "乙公司" in page and "丙公司" not in page
    other = EnterpriseFactory(name="丁公司")
    refused = client.post(reverse("door:code_choose"), {"enterprise": other.pk})
    assert refused.status_code == 200 and not EnterpriseAccess.objects.exists()
    response = client.post(reverse("door:code_choose"), {"enterprise": second.pk})
    assert response["Location"] == reverse("door:home")
    assert EnterpriseAccess.objects.get().enterprise == second
