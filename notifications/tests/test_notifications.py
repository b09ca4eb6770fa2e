import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory
from notifications import services
from notifications.channels import Channel
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.tasks import deliver_notification

pytestmark = pytest.mark.django_db

KEY = "forum-due:370102:2026Q4:30d"


@pytest.fixture
def official():
    return UserFactory(email="lx@example.gov.cn", region_id="370102")


def test_same_reminder_is_never_delivered_twice(official, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify(recipients=[official], key=KEY, title="座谈会提醒")
    with django_capture_on_commit_callbacks(execute=True):
        second = services.notify(recipients=[official], key=KEY, title="座谈会提醒")
    assert len(first) == 1 and second == []
    assert Notification.objects.filter(recipient=official, key=KEY).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lx@example.gov.cn"]


def test_a_delivery_claimed_by_one_worker_is_skipped_by_another(official, django_capture_on_commit_callbacks):
    [notification] = services.notify(recipients=[official], key=KEY, title="提醒")
    services.deliver(notification.pk)
    services.deliver(notification.pk)  # a second worker running the same task
    deliver_notification(notification.pk)
    assert len(mail.outbox) == 1
    assert Delivery.objects.get(notification=notification).status == DeliveryStatus.SENT


def test_reminder_waits_while_the_broker_is_down_and_is_sent_by_the_sweep(
    official, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unavailable")

    monkeypatch.setattr(deliver_notification, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[official], key=KEY, title="提醒")
    assert mail.outbox == []
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
    assert services.deliver_pending() == 1
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


class FlakyChannel(Channel):
    name = "flaky"
    sent = []

    def send(self, notification):
        raise OSError("gateway timeout")


class RecordingChannel(Channel):
    """Stands for an SMS gateway or a messaging webhook: added in settings, no caller changes."""

    name = "sms"
    sent = []

    def wants(self, notification):
        return bool(notification.recipient.mobile)

    def send(self, notification):
        RecordingChannel.sent.append((notification.recipient.mobile, notification.title))


def test_a_new_channel_is_added_in_settings_alone(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = [
        "notifications.channels.EmailChannel",
        "notifications.tests.test_notifications.RecordingChannel",
    ]
    RecordingChannel.sent.clear()
    official = UserFactory(mobile="13900001111", email="")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[official], key=KEY, title="短信提醒")
    assert RecordingChannel.sent == [("13900001111", "短信提醒")]
    assert mail.outbox == []  # no e-mail address: the e-mail channel does not want it


def test_failed_sending_is_retried_then_given_up(settings, official):
    settings.NOTIFICATION_CHANNELS = ["notifications.tests.test_notifications.FlakyChannel"]
    [notification] = services.notify(recipients=[official], key=KEY, title="提醒")
    for _ in range(services.MAX_ATTEMPTS):
        services.deliver_pending()
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert "gateway timeout" in delivery.error


def test_unread_count_in_navigation_and_mark_read(client, official):
    services.notify(recipients=[official], key="a", title="第一条", link="/accounts/password/")
    [second] = services.notify(recipients=[official], key="b", title="第二条", link="/accounts/password/")
    client.force_login(official)
    assert client.get("/").context["unread_notification_count"] == 2
    response = client.post(reverse("notifications:open", args=[second.pk]))
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    second.refresh_from_db()
    assert second.is_read
    client.post(reverse("notifications:mark_all_read"))
    assert Notification.objects.unread().count() == 0


def test_open_never_redirects_off_site(client, official):
    [notification] = services.notify(recipients=[official], key="x", title="外链", link="https://evil.example/")
    client.force_login(official)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_nobody_reads_another_officials_notifications(client, official):
    other = UserFactory(region_id="370102")
    [notification] = services.notify(recipients=[other], key="x", title="别人的通知")
    client.force_login(official)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert "别人的通知" not in client.get(reverse("notifications:list")).content.decode()


def test_notification_list_runs_a_bounded_number_of_queries(client, official, django_assert_max_num_queries):
    for number in range(50):
        services.notify(recipients=[official], key=f"k{number}", title=f"通知{number}")
    client.force_login(official)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notifications:list")).status_code == 200
