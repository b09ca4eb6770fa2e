from celery import shared_task
from django.utils import timezone

from . import digest


# The name it had as `visits.tasks.send_weekly_visit_digests`, so the beat schedule and queued runs still find it.
# The module is not named `<app>.tasks`, so Celery's autodiscovery does not find it: visits/apps.py imports it.
# Safe to run again after its worker died: one transaction, and the week's key skips who already has it.
@shared_task(name="visits.tasks.send_weekly_visit_digests", acks_late=True, reject_on_worker_lost=True)
def send_weekly_visit_digests():
    # Works across every region: each cadre hears only about the enterprises they liaise with.
    # Safe to run twice in a week: the notification key names the cadre and the ISO week.
    return len(digest.send_weekly_digests(today=timezone.localdate()))
