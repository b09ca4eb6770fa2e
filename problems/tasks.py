from celery import shared_task
from django.utils import timezone

from . import holidays, notices


# Safe to run again after its worker died: the run is one transaction (nothing written, or everything), and
# a second run skips every official who already has the day's reminder (unique recipient and key).
@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_problem_deadline_reminders():
    # Works across every region: each holder hears about the problems they hold, and the superiors
    # (united-front staff of the handling region and the region above) about the overdue ones, in one
    # reminder per official and day, written in bulk. Safe to run twice a day: the key names the day.
    return len(notices.send_deadline_reminders(today=timezone.localdate()))


# Safe to run again: the warning's key names the year, unique per administrator.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def warn_unknown_holidays():
    # The calendar is one for every region: administrators hear once per year whose holidays it lacks.
    return len(holidays.warn_administrators(today=timezone.localdate()))
