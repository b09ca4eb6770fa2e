"""Sending notifications: the one layer every reminder goes through."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from .channels import channel_named, enabled_channels
from .models import Delivery, DeliveryStatus, Notification
from .texts import as_json, render

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A delivery claimed longer ago than this belongs to a worker that died; it is tried again.
STALE_CLAIM = timedelta(minutes=15)
# Notifications handed to one Celery task: thousands of reminders are a few dozen messages on the broker.
DELIVERY_BATCH = 100


@dataclass(frozen=True)
class Message:
    """One notification to write: `notify_many` takes any number of these, for any recipients and keys.

    `title` and `body` are messages (notifications.texts.Text or Lines, or a lazy translation) that each
    reader sees in their own language; a plain string is shown as it is."""

    recipient: object  # a User (its e-mail and mobile decide which channels want the notification)
    key: str
    title: object
    body: object = ""
    link: str = ""


def _stored(message):
    """The fields of the notification row for `message`: its words untranslated, and as the portal's
    language renders them now (the admin's search; a channel that cannot render reads them)."""
    title, body = as_json(message.title), as_json(message.body or "")
    with translation.override(settings.LANGUAGE_CODE):
        rendered_title, rendered_body = render(title), render(body)
    return {
        "title": rendered_title[: Notification._meta.get_field("title").max_length],
        "body": rendered_body,
        "message": {"title": title, "body": body},
    }


def notify(*, recipients, key, title, body="", link=""):
    """Create the notification `key` for each recipient who does not have it yet, and queue its sending.

    Returns the notifications created now; a recipient who already has `key` is skipped, so calling
    this twice (a periodic task run twice, two racing workers) delivers nothing twice.
    """
    return notify_many(Message(recipient, key, title, body, link) for recipient in recipients)


def notify_many(messages):
    """Create every message whose (recipient, key) does not exist yet, and queue its sending, in a fixed
    number of queries whatever their number (on SQLite the inserts go in batches of its parameter limit).

    Returns the notifications created by this call, in the order given; a message whose recipient
    already has its key is skipped. Exactly once, even for two calls at the same moment: the rows are
    inserted with ON CONFLICT DO NOTHING on the unique (recipient, key), in one order (so two racing
    calls wait on each other instead of deadlocking), and each call reads back only the rows stamped
    with its own creation time; a delivery is claimed before it is sent, whatever a caller returns.
    """
    wanted = {}
    for message in messages:
        wanted.setdefault((message.recipient.pk, message.key), message)
    if not wanted:
        return []
    stamp = timezone.now()
    fields = {pair: _stored(message) for pair, message in wanted.items()}
    rows = [
        Notification(recipient=message.recipient, key=message.key, link=message.link, created_at=stamp, **fields[pair])
        for pair, message in sorted(wanted.items(), key=lambda item: item[0])
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        mine = Notification.objects.filter(
            created_at=stamp,
            recipient_id__in={recipient for recipient, _key in wanted},
            key__in={key for _recipient, key in wanted},
        ).values_list("pk", "recipient_id", "key")
        ids = {(recipient, key): pk for pk, recipient, key in mine if (recipient, key) in wanted}
        created = []
        for pair, message in wanted.items():
            if pair in ids:
                notification = Notification(
                    pk=ids[pair],
                    recipient=message.recipient,
                    key=message.key,
                    link=message.link,
                    created_at=stamp,
                    **fields[pair],
                )
                notification._state.adding = False
                created.append(notification)
        channels = enabled_channels()
        deliveries = [
            Delivery(notification_id=notification.pk, channel=channel.name)
            for notification in created
            for channel in channels
            if channel.wants(notification)
        ]
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    to_send = sorted({delivery.notification_id for delivery in deliveries})
    if to_send:
        transaction.on_commit(lambda: queue_deliveries(to_send))
    return created


def queue_deliveries(notification_ids):
    """Hand the sending to Celery, a batch of notifications per task. When the broker is down the
    deliveries stay pending in the database and the periodic sweep sends them later: a reminder
    waits, it is not lost."""
    from .tasks import deliver_notification, deliver_notifications

    ids = list(notification_ids)
    for start in range(0, len(ids), DELIVERY_BATCH):
        batch = ids[start : start + DELIVERY_BATCH]
        try:
            if len(batch) == 1:
                deliver_notification.delay(batch[0])
            else:
                deliver_notifications.delay(batch)
        except Exception:
            logger.warning("Broker unavailable; notifications %s… wait for the sweep", batch[0], exc_info=True)


def deliver(notification_id, *, now=None):
    """Send every pending delivery of one notification. Each delivery is claimed first, with a
    conditional UPDATE, so a second worker running the same task skips it."""
    now = now or timezone.now()
    pending = Delivery.objects.filter(notification_id=notification_id, status=DeliveryStatus.PENDING)
    for delivery in pending.select_related("notification__recipient"):
        claimed = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if not claimed:
            continue
        delivery.refresh_from_db(fields=["attempts"])
        channel = channel_named(delivery.channel)
        if channel is None:
            Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SKIPPED, error="channel disabled")
            continue
        try:
            channel.send(delivery.notification)
        except Exception as error:
            logger.exception("Delivery %s through %s failed", delivery.pk, delivery.channel)
            retry = delivery.attempts < MAX_ATTEMPTS
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.PENDING if retry else DeliveryStatus.FAILED, error=str(error)[:2000]
            )
        else:
            Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")


def deliver_pending(*, now=None):
    """Send what is still pending: deliveries whose queueing failed, failed attempts to retry, and
    claims left behind by a worker that died. Returns the number of notifications worked on."""
    now = now or timezone.now()
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM).update(status=DeliveryStatus.PENDING)
    waiting = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .values_list("notification_id", flat=True)
        .distinct()
        .order_by("notification_id")
    )
    notification_ids = list(waiting[:1000])
    for notification_id in notification_ids:
        deliver(notification_id, now=now)
    return len(notification_ids)
