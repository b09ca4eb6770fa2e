from celery import shared_task

from . import services


@shared_task
def deliver_notification(notification_id):
    services.deliver(notification_id)


@shared_task
def deliver_pending_notifications():
    # Works across every region: it only sends what notify() already addressed to someone.
    return services.deliver_pending()
