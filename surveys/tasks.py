from celery import shared_task
from django.utils import timezone

from . import services


# Safe to run again after its worker died: the notifications' keys name the period, so nothing is sent twice.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_survey_reminders():
    # Every day; from SURVEY_REMINDER_DAYS before the survey's period ends, each liaison cadre hears once.
    return len(services.remind_before_the_period_ends(today=timezone.localdate()))
