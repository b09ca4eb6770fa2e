from celery import shared_task
from django.utils import timezone

from . import cadence


@shared_task
def send_weekly_visit_digests():
    # Works across every region: each cadre hears only about the enterprises they liaise with.
    # Safe to run twice in a week: the notification key names the cadre and the ISO week.
    return len(cadence.send_weekly_digests(today=timezone.localdate()))
