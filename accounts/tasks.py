"""Keeping the login records (django-axes) for the audit, and no longer.

Every login (`AccessLog`), every failed one (`AccessFailureLog`) and the lockout counters (`AccessAttempt`)
are kept LOGIN_RECORDS_RETENTION_DAYS days (at least MINIMUM_RETENTION_DAYS, checked when the settings load)
and then pruned, every night, by their own time (the attempt's). Nobody deletes them by hand: their admin is
read-only (accounts/admin.py).
"""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from celery import shared_task
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

# What an audit may ask to see: half a year of logins.
MINIMUM_RETENTION_DAYS = 180


def retention_days():
    """LOGIN_RECORDS_RETENTION_DAYS, refused below the minimum (the settings refuse it at start-up already;
    this keeps a value changed later from pruning what must stay)."""
    days = settings.LOGIN_RECORDS_RETENTION_DAYS
    if days < MINIMUM_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"LOGIN_RECORDS_RETENTION_DAYS is {days}: login records are kept at least {MINIMUM_RETENTION_DAYS} days."
        )
    return days


@transaction.atomic
def prune_old_login_records(*, now=None):
    """Delete the login records older than the retention period; returns how many of each went."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    return {
        model._meta.model_name: model.objects.filter(attempt_time__lt=cutoff).delete()[0]
        for model in (AccessLog, AccessFailureLog, AccessAttempt)
    }


# Safe to run again: a second run finds nothing more past the retention.
@shared_task(name="accounts.tasks.prune_login_records", acks_late=True, reject_on_worker_lost=True)
def prune_login_records():
    # Across every region: login records are not region-bound, and only those past the retention go.
    return prune_old_login_records()
