from celery import shared_task
from django.utils import timezone

from . import reminders


# Safe to run again after its worker died: one transaction, and the keys skip what was already sent.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_forum_reminders():
    # Works across every region: each reminder goes to the staff of the region concerned.
    # Safe to run twice a day: every notification key names its region and period, or its forum.
    return len(reminders.send_forum_reminders(today=timezone.localdate()))
