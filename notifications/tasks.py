from celery import shared_task

from . import services


@shared_task
def deliver_notification(notification_id):
    services.deliver(notification_id)


@shared_task
def deliver_pending_notifications():
    # Works across every region: it only sends what notify() already addressed to someone.
    return services.deliver_pending()


@shared_task
def deliver_notifications(notification_ids):
    # A batch queued by notify_many: each delivery is still claimed before it is sent.
    for notification_id in notification_ids:
        services.deliver(notification_id)
