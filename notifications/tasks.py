from celery import shared_task

from . import services


# Safe to run again after its worker died: each delivery is claimed (pending -> sending) before it is sent, so
# a second run sends only what the first had not claimed.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_notification(notification_id):
    services.deliver(notification_id)


# Safe to run again: it sends only what is still pending, each delivery claimed first.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_pending_notifications():
    # Works across every region: it only sends what notify() already addressed to someone.
    return services.deliver_pending()


# Safe to run again after its worker died mid-batch: the deliveries already sent (or claimed) are skipped,
# the rest of the batch is sent.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_notifications(notification_ids):
    # A batch queued by notify_many: each delivery is still claimed before it is sent.
    for notification_id in notification_ids:
        services.deliver(notification_id)
