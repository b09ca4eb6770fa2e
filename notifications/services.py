"""Sending notifications: the one layer every reminder goes through."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .channels import channel_named, enabled_channels
from .models import Delivery, DeliveryStatus, Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A delivery claimed longer ago than this belongs to a worker that died; it is tried again.
STALE_CLAIM = timedelta(minutes=15)


def notify(*, recipients, key, title, body="", link=""):
    """Create the notification `key` for each recipient who does not have it yet, and queue its sending.

    Returns the notifications created now; a recipient who already has `key` is skipped, so calling
    this twice (a periodic task run twice, two racing workers) delivers nothing twice.
    """
    created, to_send = [], []
    for recipient in recipients:
        try:
            # A savepoint per recipient: a duplicate key fails alone, not the caller's transaction.
            with transaction.atomic():
                notification = Notification.objects.create(recipient=recipient, key=key, title=title, body=body, link=link)
                deliveries = Delivery.objects.bulk_create(
                    Delivery(notification=notification, channel=channel.name)
                    for channel in enabled_channels()
                    if channel.wants(notification)
                )
        except IntegrityError:
            continue
        created.append(notification)
        if deliveries:
            to_send.append(notification.pk)
    if to_send:
        transaction.on_commit(lambda: queue_deliveries(to_send))
    return created


def queue_deliveries(notification_ids):
    """Hand the sending to Celery. When the broker is down the deliveries stay pending in the
    database and the periodic sweep sends them later: a reminder waits, it is not lost."""
    from .tasks import deliver_notification

    for notification_id in notification_ids:
        try:
            deliver_notification.delay(notification_id)
        except Exception:
            logger.warning("Broker unavailable; notification %s waits for the sweep", notification_id, exc_info=True)


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
