"""A real Celery worker, on the configured broker (Redis in CI), runs a task sent to it."""

import os
import threading

import pytest
from celery.contrib.testing import tasks as _testing_tasks  # noqa: F401  registers celery.ping
from celery.contrib.testing.worker import start_worker
from celery.signals import task_success
from django.conf import settings

from liaison.celery import app, ping


@pytest.fixture
def not_eager():
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_broker_is_redis_when_ci_asks_for_it():
    if os.environ.get("REQUIRE_REDIS"):
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        assert app.connection_for_write().transport_cls in ("redis", "rediss")


def test_worker_executes_a_task_sent_through_the_broker(not_eager):
    done = threading.Event()
    results = []

    def record(sender=None, result=None, **kwargs):
        if sender is not None and sender.name == "liaison.ping":
            results.append(result)
            done.set()

    task_success.connect(record, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
            ping.delay()
            assert done.wait(timeout=30), "the worker did not run the task within 30 seconds"
    finally:
        task_success.disconnect(record)
    assert results == ["pong"]


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("problems.tasks.send_problem_deadline_reminders", "reminders"),
        ("problems.tasks.warn_unknown_holidays", "reminders"),
        ("forums.tasks.send_forum_reminders", "reminders"),
        ("reviews.tasks.send_review_reminders", "reminders"),
        ("visits.tasks.send_weekly_visit_digests", "reminders"),
        ("notifications.tasks.deliver_pending_notifications", "reminders"),
        ("enterprises.tasks.apply_import", "io"),
        ("exports.tasks.write_export", "io"),
        ("exports.tasks.remove_old_exports", "io"),
        ("assessment.tasks.refresh_open_periods", "assessment"),
        ("assessment.tasks.write_bulletins", "assessment"),
        ("liaison.ping", "default"),
    ],
)
def test_heavy_work_goes_to_its_own_queue(task, queue):
    """A long import or assessment refresh never waits in front of a reminder: each kind has its queue,
    and every task the beat schedules exists and is routed."""
    assert task in app.tasks, f"{task} is not a registered task"
    assert app.amqp.router.route({}, task)["queue"].name == queue


def test_every_scheduled_task_is_registered():
    from django.conf import settings

    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= set(app.tasks)


def test_a_worker_without_queues_named_consumes_them_all():
    assert {queue.name for queue in app.amqp.queues.values()} == {"default", "reminders", "io", "assessment"}
