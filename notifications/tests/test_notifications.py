import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from accounts.tests.factories import UserFactory
from notifications import services
from notifications.channels import Channel
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.tasks import deliver_notification
from tests.concurrency import run_at_once

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


def test_notify_many_writes_many_recipients_and_keys_at_once(official, django_capture_on_commit_callbacks):
    others = [UserFactory(email=f"o{number}@example.gov.cn") for number in range(4)]
    services.notify(recipients=[official], key="a", title="已有")
    messages = [services.Message(official, "a", "重复"), services.Message(official, "b", "新的", "正文", "/x/")]
    messages += [services.Message(other, "a", f"给{other.pk}") for other in others]
    messages.append(services.Message(others[0], "a", "同一批里重复"))
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify_many(messages)
    assert [(n.recipient, n.key, n.title) for n in created] == [(official, "b", "新的")] + [
        (other, "a", f"给{other.pk}") for other in others
    ]
    assert all(n.pk for n in created)
    assert Notification.objects.get(recipient=official, key="a").title == "已有"
    assert Notification.objects.count() == 6
    assert len(mail.outbox) == 5 and Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 5
    assert services.notify_many(messages) == []
    assert services.notify_many([]) == []


@pytest.mark.parametrize("recipients", [3, 60])
def test_notify_many_is_a_fixed_number_of_queries(recipients, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    officials = [UserFactory(email=f"n{number}@example.gov.cn") for number in range(recipients)]
    messages = [services.Message(official, key, key) for official in officials for key in ("x", "y")]
    with django_assert_max_num_queries(5), django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert len(services.notify_many(messages)) == 2 * recipients
    assert len(callbacks) == 1
    assert Delivery.objects.count() == 2 * recipients


def test_deliveries_are_queued_in_batches(monkeypatch):
    from notifications import tasks

    batches, singles = [], []
    monkeypatch.setattr(tasks.deliver_notifications, "delay", batches.append)
    monkeypatch.setattr(tasks.deliver_notification, "delay", singles.append)
    services.queue_deliveries(range(1, services.DELIVERY_BATCH * 2 + 2))
    assert [len(batch) for batch in batches] == [services.DELIVERY_BATCH] * 2 and singles == [services.DELIVERY_BATCH * 2 + 1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_notify_many_creates_and_returns_each_notification_once():
    from tests.reference_data import restore_reference_data

    restore_reference_data()
    officials = [UserFactory(email=f"race{number}@example.gov.cn") for number in range(30)]
    messages = [services.Message(official, key, key) for official in officials for key in ("x", "y", "z")]
    returned = []
    errors = run_at_once(lambda: returned.extend(n.pk for n in services.notify_many(reversed(messages))), times=4)
    assert errors == []
    assert sorted(returned) == sorted(Notification.objects.values_list("pk", flat=True)) and len(returned) == 90
    assert Delivery.objects.count() == 90
    assert len(mail.outbox) == 90
