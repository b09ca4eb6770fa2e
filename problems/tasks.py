from celery import shared_task
from django.utils import timezone

from . import holidays, notices


@shared_task
def send_problem_deadline_reminders():
    # Works across every region: each holder hears about the problems they hold, and the superiors
    # (united-front staff of the handling region and the region above) about the overdue ones, in one
    # reminder per official and day, written in bulk. Safe to run twice a day: the key names the day.
    return len(notices.send_deadline_reminders(today=timezone.localdate()))


@shared_task
def warn_unknown_holidays():
    # The calendar is one for every region: administrators hear once per year whose holidays it lacks.
    return len(holidays.warn_administrators(today=timezone.localdate()))
