"""The forum reminders as they run in production: sent by Celery beat, run by a real worker on the
broker (Redis in CI), and run concurrently without sending anything twice.

These tests commit for real (the worker and the threads have their own database connections), so they
are transactional and put back the reference rows the flush after each of them removes.
"""

import time
from datetime import date, timedelta

import pytest
from celery.beat import EmbeddedService, Scheduler
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from forums.models import ForumCadence
from forums.reminders import send_forum_reminders
from liaison.celery import app
from notifications.models import Delivery, DeliveryStatus, Notification
from tests.concurrency import run_at_once
from tests.reference_data import restore_reference_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data():
    restore_reference_data()


@pytest.fixture
def not_eager():
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


class InMemoryScheduler(Scheduler):
    """Beat's own scheduler, keeping its state in memory instead of the schedule file."""


def test_beat_and_a_real_worker_deliver_a_due_forum_reminder(not_eager):
    staff = UserFactory(username="beat_lx_staff", region_id="370102", roles=[Role.STAFF], email="lx@example.org")
    # Whatever today's date, the current period of a county ends within 400 days: its reminder is due.
    ForumCadence.objects.filter(level="county").update(lead_days="400")
    entry = settings.CELERY_BEAT_SCHEDULE["daily-forum-reminders"]
    assert entry["task"] == "forums.tasks.send_forum_reminders"

    saved_schedule = app.conf.beat_schedule
    # The production entry's task, on a schedule that falls due at once instead of at 07:30.
    app.conf.beat_schedule = {"forum-reminders-now": {"task": entry["task"], "schedule": timedelta(seconds=1)}}
    beat = EmbeddedService(app, thread=True, scheduler_cls=InMemoryScheduler, max_interval=1)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
            beat.start()
            notification = delivered = None
            for _attempt in range(60):
                notification = Notification.objects.filter(recipient=staff, key__startswith="forum-due:370102:").first()
                if notification is not None:
                    delivered = Delivery.objects.filter(notification=notification, status=DeliveryStatus.SENT).exists()
                    if delivered:
                        break
                time.sleep(0.5)
    finally:
        beat.stop()
        beat.join(timeout=10)
        app.conf.beat_schedule = saved_schedule
    assert notification is not None, "beat sent no task, or the worker did not run it, within 30 seconds"
    assert notification.key.endswith(":400d") and notification.link == "/forums/new/"
    assert delivered, "the worker did not deliver the reminder by e-mail"
    assert Notification.objects.filter(recipient=staff, key=notification.key).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_concurrent_runs_send_each_reminder_once():
    staff = [UserFactory(username=f"race_staff_{code}", region_id=code, roles=[Role.STAFF]) for code in ("370102", "370103")]
    errors = run_at_once(lambda: send_forum_reminders(today=date(2026, 12, 1)))
    assert errors == []
    for official in staff:
        keys = list(Notification.objects.filter(recipient=official).values_list("key", flat=True))
        assert keys == [f"forum-due:{official.region_id}:2026Q4:30d"]
