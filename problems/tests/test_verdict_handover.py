"""The enterprise's verdict link handed over: on the problem's page (link, copy button, QR code), in the
notice as a real link, absolute from the request's address without SITE_URL, and an SMS that fits one."""

import logging
import re
import time
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory
from notifications import channels
from notifications.models import Notification
from problems import notices, services
from problems.feedback.handover import qr_svg
from problems.feedback.tokens import make_feedback_token
from problems.models import Verdict


@pytest.fixture(autouse=True)
def no_site_url(settings):
    settings.SITE_URL = ""


def signed_in(user, **headers):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **headers)
    client.force_login(user)
    return client


def shown_link(response):
    match = re.search(r'id="verdict-link-url"\s+value="([^"]+)"', response.content.decode())
    return unescape(match.group(1)) if match else None


def test_the_office_in_charge_sees_the_link_its_qr_code_and_a_copy_button(cast, solved):
    response = signed_in(cast["county_staff"]).get(reverse("problems:detail", args=[solved.pk]))
    page = response.content.decode()
    link = shown_link(response)
    # No SITE_URL: the link is built from the address the official uses.
    assert link.startswith("http://testserver/problems/feedback/")
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(link.removeprefix("http://testserver")).status_code == 200
    # The QR code is this very link, drawn inline, named for screen readers.
    svg = re.search(r'<div class="[^"]*" data-testid="verdict-link-qr">\s*(<svg .*?</svg>)', page, re.DOTALL).group(1)
    assert svg == str(qr_svg(link, label="QR code of the enterprise's verdict link"))
    assert 'role="img" aria-label="QR code of the enterprise&#x27;s verdict link"' in svg
    assert "<script" not in svg and "http" not in svg.split("<title>")[0].replace("http://www.w3.org", "")
    # The copy button has visible text, names the field, and a live region answers it.
    button = re.search(r"<button[^>]*data-testid=\"verdict-link-copy\"[^>]*>(.*?)</button>", page, re.DOTALL)
    assert 'data-copy-target="verdict-link-url"' in button.group(0) and "Copy link" in button.group(1)
    assert re.search(r'id="verdict-link-status"\s+role="status"\s+aria-live="polite"', page)
    assert "/static/js/copy-link.js" in page
    assert (timezone.localdate() + timedelta(days=30)).isoformat() in page


def test_site_url_when_set_wins_over_the_request(cast, solved, settings):
    settings.SITE_URL = "https://liaison.example.gov.cn/"
    response = signed_in(cast["county_staff"]).get(reverse("problems:detail", args=[solved.pk]))
    assert shown_link(response).startswith("https://liaison.example.gov.cn/problems/feedback/")


@pytest.mark.parametrize("who", ["handler", "cadre", "other_county_staff"])
def test_nobody_else_is_shown_the_link(cast, solved, handlers, who):
    user = handlers["lx_dev"] if who == "handler" else cast[who]  # the handler's work is what is judged
    response = signed_in(user).get(reverse("problems:detail", args=[solved.pk]))
    assert response.status_code in (200, 404)
    assert shown_link(response) is None and "verdict-link-qr" not in response.content.decode()


def test_no_link_before_a_result_nor_once_answered(cast, in_progress, handlers):
    client = signed_in(cast["county_staff"])
    assert shown_link(client.get(reverse("problems:detail", args=[in_progress.pk]))) is None
    solved = services.complete(actor=handlers["lx_dev"], problem=in_progress, result="已办结。")
    assert shown_link(client.get(reverse("problems:detail", args=[solved.pk])))
    Client().post(reverse("problems:feedback", args=[make_feedback_token(solved)]), {"verdict": "satisfied"})
    response = client.get(reverse("problems:detail", args=[solved.pk]))
    assert shown_link(response) is None and "js/copy-link.js" not in response.content.decode()


def test_the_notice_carries_a_real_link_from_the_requests_address(
    cast, in_progress, handlers, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["liaison.county.test", "testserver"]
    client = signed_in(handlers["lx_dev"], HTTP_HOST="liaison.county.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("problems:act", args=[in_progress.pk, "complete"]), {"complete-result": "银行已办理续贷。"}
        )
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=cast["county_staff"], key=f"problem-feedback:{in_progress.pk}:1")
    link = re.search(r"http://liaison\.county\.test/problems/feedback/\S+", notification.body).group(0)
    # In the notification centre the link is a link, which opens the enterprise's page.
    page = signed_in(cast["county_staff"]).get(reverse("notifications:open", args=[notification.pk]))
    assert f'<a href="{link}"' in unescape(page.content.decode())
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get(link.removeprefix("http://liaison.county.test")).status_code == 200


def test_without_site_url_nor_request_links_point_at_the_development_server():
    assert channels.site_url() == channels.DEVELOPMENT_SITE_URL
    assert channels.absolute_url("/problems/1/") == "http://127.0.0.1:8000/problems/1/"


# ---------------------------------------------------------------------------------------------------
# The link opened twice, or after it expired


def test_a_link_opened_twice_works_until_answered_then_says_so(solved):
    url = reverse("problems:feedback", args=[make_feedback_token(solved)])
    contact = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(2):
        response = contact.get(url)
        assert response.status_code == 200 and 'name="verdict"' in response.content.decode()
    assert contact.post(url, {"verdict": "basically"}).status_code == 200
    assert Verdict.objects.filter(problem=solved).count() == 1
    again = contact.get(url)
    assert again.status_code == 200
    assert "your verdict on this problem has already been recorded" in again.content.decode()
    assert 'name="verdict"' not in again.content.decode()
    assert Verdict.objects.filter(problem=solved).count() == 1


def test_an_expired_link_says_so_and_how_to_get_a_new_one(solved, monkeypatch):
    past = time.time() - timedelta(days=31).total_seconds()
    with monkeypatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: past)
        url = reverse("problems:feedback", args=[make_feedback_token(solved)])
    contact = Client(HTTP_ACCEPT_LANGUAGE="en")
    for response in (contact.get(url), contact.post(url, {"verdict": "satisfied"})):
        assert response.status_code == 410
        assert "This feedback link has expired." in response.content.decode()
        assert "ask the official who sent you the link for a new one" in response.content.decode()
    assert not Verdict.objects.exists()


# ---------------------------------------------------------------------------------------------------
# SMS


LONG_NAME = "山东省济南市历下区某某某某新材料科技研究与开发集团股份有限公司第二分公司"


def _verdict_notice(cast, solved, settings, mobile="13900001111"):
    settings.NOTIFICATION_CHANNELS = ["notifications.channels.ConsoleSmsChannel"]
    staff = cast["county_staff"]
    staff.mobile = mobile
    staff.save()
    solved.enterprise.name = LONG_NAME
    solved.enterprise.save()
    notices.notify_feedback_link(solved)
    return Notification.objects.get(recipient=staff, key__startswith="problem-feedback:")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_verdict_sms_fits_one_sms(cast, solved, settings, language, caplog, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = language
    with caplog.at_level(logging.INFO, logger="notifications.channels"):
        with django_capture_on_commit_callbacks(execute=True):
            notification = _verdict_notice(cast, solved, settings)
    channel = channels.ConsoleSmsChannel()
    text = channel.text(notification)
    assert len(f"【{channel.signature}】{text}") <= channels.SMS_LENGTH
    with translation.override(language):
        assert text.endswith(str(channels.SmsChannel.template) % {"title": ""})
    assert "山东省济南市" in text  # the enterprise's name, shortened to fit
    sent = [record.getMessage() for record in caplog.records if record.getMessage().startswith("SMS to 13900001111")]
    assert sent == [f"SMS to 13900001111: 【{channel.signature}】{text}"]


def test_a_chinese_template_fits_too():
    with translation.override("zh-hans"):
        title = f"请企业评价：{LONG_NAME} · 水电气暖和基础设施"
        text = channels.fit_sms("%(title)s。详情请登录平台查看通知。", title=title, signature="统战联络")
    assert len("【统战联络】" + text) == channels.SMS_LENGTH
    assert text.startswith("请企业评价：山东省") and "…。详情请登录平台查看通知。" in text
    assert channels.fit_sms("%(title)s。", title="短标题") == "短标题。"


def test_a_template_without_room_is_a_mistake():
    with pytest.raises(ValueError, match="no room"):
        channels.fit_sms("长" * 69 + "%(title)s", title="x")


def test_no_sms_without_a_mobile(cast, solved, settings, django_capture_on_commit_callbacks):
    notification = _verdict_notice(cast, solved, settings, mobile="")
    assert not channels.ConsoleSmsChannel().wants(notification)
    assert not notification.deliveries.exists()


def test_a_gateway_only_writes_deliver(db):
    class Gateway(channels.SmsChannel):
        signature = "某市统战部"
        sent = []

        def deliver(self, mobile, text, *, signature):
            self.sent.append((mobile, signature, text))

    recipient = UserFactory(mobile="13800002222")
    notification = Notification.objects.create(recipient=recipient, key="k", title="提醒：" + "很长的标题" * 20)
    Gateway().send(notification)
    [(mobile, signature, text)] = Gateway.sent
    assert (mobile, signature) == ("13800002222", "某市统战部")
    assert len(f"【{signature}】{text}") <= channels.SMS_LENGTH
    with pytest.raises(NotImplementedError):
        channels.SmsChannel().send(notification)
