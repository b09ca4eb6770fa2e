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
