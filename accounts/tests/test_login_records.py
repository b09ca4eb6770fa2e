"""Login records (django-axes) are kept LOGIN_RECORDS_RETENTION_DAYS days, at least 180, then pruned nightly.
Their admin is read-only: portal/tests/test_admin_keeps_history.py."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from accounts.tasks import MINIMUM_RETENTION_DAYS, prune_login_records, prune_old_login_records
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MODELS = (AccessLog, AccessFailureLog, AccessAttempt)


def record(model, age, now):
    """A login record of `model` made `age` ago (its time is set on creation, so it is moved back afterwards)."""
    username = f"{model._meta.model_name}-{age.total_seconds():.0f}"
    extra = {"failures_since_start": 1} if model is AccessAttempt else {}
    row = model.objects.create(username=username, ip_address="10.0.0.1", user_agent="test", **extra)
    model.objects.filter(pk=row.pk).update(attempt_time=now - age)
    return row


def test_a_login_and_a_failed_login_leave_a_record(client):
    official = UserFactory()
    client.post(reverse("login"), {"username": official.username, "password": "wrong"})
    client.post(reverse("login"), {"username": official.username, "password": PASSWORD})
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == [official.username]
    assert list(AccessLog.objects.values_list("username", flat=True)) == [official.username]
    # The lockout counter is axes' own and reset by the successful login; the failure stays on the record.
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("days", [180, 400])
def test_pruning_deletes_only_the_records_older_than_the_retention(settings, days):
    settings.LOGIN_RECORDS_RETENTION_DAYS = days
    now = timezone.now()
    kept = [record(model, timedelta(days=days, hours=-1), now) for model in MODELS]
    old = [record(model, timedelta(days=days, hours=1), now) for model in MODELS]
    assert prune_old_login_records(now=now) == {"accesslog": 1, "accessfailurelog": 1, "accessattempt": 1}
    for model, kept_row, old_row in zip(MODELS, kept, old, strict=True):
        assert set(model.objects.values_list("pk", flat=True)) == {kept_row.pk}, model.__name__
        assert not model.objects.filter(pk=old_row.pk).exists()


def test_the_nightly_task_prunes_by_the_setting():
    now = timezone.now()
    record(AccessLog, timedelta(days=181), now)
    recent = record(AccessLog, timedelta(days=179), now)
    prune_login_records.delay()
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    beat = [entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()]
    assert "accounts.tasks.prune_login_records" in beat


def test_a_retention_below_180_days_prunes_nothing(settings):
    settings.LOGIN_RECORDS_RETENTION_DAYS = MINIMUM_RETENTION_DAYS - 1
    now = timezone.now()
    rows = [record(model, timedelta(days=200), now) for model in MODELS]
    with pytest.raises(ImproperlyConfigured, match="at least 180 days"):
        prune_old_login_records(now=now)
    assert all(type(row).objects.filter(pk=row.pk).exists() for row in rows)


def test_the_settings_refuse_a_retention_below_180_days_at_start_up():
    environment = {**os.environ, "LOGIN_RECORDS_RETENTION_DAYS": "179", "SECRET_KEY": "test"}
    started = subprocess.run(
        [sys.executable, "-c", "import liaison.settings"],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "ImproperlyConfigured: LOGIN_RECORDS_RETENTION_DAYS is 179" in started.stderr
