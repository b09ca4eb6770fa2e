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
        ("surveys.tasks.send_survey_reminders", "reminders"),
        ("notifications.tasks.deliver_pending_notifications", "reminders"),
        ("enterprises.tasks.apply_import", "io"),
        ("exports.tasks.write_export", "io"),
        ("exports.tasks.remove_old_exports", "io"),
        ("accounts.tasks.prune_login_records", "io"),
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


# Whether each task runs again when its worker dies under it: every task is acknowledged when done (acks_late),
# and the decorator says, with its reason, whether a pool process killed under it puts it back (True) or not.
RUNS_AGAIN_WHEN_ITS_WORKER_DIES = {
    "notifications.tasks.deliver_notification": True,
    "notifications.tasks.deliver_notifications": True,
    "notifications.tasks.deliver_pending_notifications": True,
    "problems.tasks.send_problem_deadline_reminders": True,
    "problems.tasks.warn_unknown_holidays": True,
    "forums.tasks.send_forum_reminders": True,
    "reviews.tasks.send_review_reminders": True,
    "visits.tasks.send_weekly_visit_digests": True,
    "surveys.tasks.send_survey_reminders": True,
    "assessment.tasks.refresh_open_periods": True,
    "assessment.tasks.refresh_period_now": True,
    "assessment.tasks.write_bulletins": True,
    "exports.tasks.remove_old_exports": True,
    "accounts.tasks.prune_login_records": True,
    "enterprises.tasks.preview_import": True,
    # Claimed before they run: a second run would find the job claimed and do nothing.
    "exports.tasks.write_export": False,
    "enterprises.tasks.apply_import": False,
    # At most once: a sign-in code sent again would replace the first while the contact types it in.
    "door.tasks.send_sign_in_code": False,
    "liaison.ping": True,
}


def test_every_task_says_whether_it_runs_again_when_its_worker_dies():
    app.loader.import_default_modules()  # every app's tasks, as a worker loads them
    ours = {name for name in app.tasks if not name.startswith("celery.")}
    assert ours == set(RUNS_AGAIN_WHEN_ITS_WORKER_DIES), (
        "a task was added or removed: say in its decorator whether it is safe to run again "
        "(acks_late=True, reject_on_worker_lost=...), with the reason, and list it here"
    )
    for name, runs_again in RUNS_AGAIN_WHEN_ITS_WORKER_DIES.items():
        assert (app.tasks[name].acks_late, app.tasks[name].reject_on_worker_lost) == (True, runs_again), name
    # A task that says nothing is acknowledged when a worker takes it: at most once.
    assert (app.conf.task_acks_late, app.conf.task_reject_on_worker_lost) == (False, False)


def test_redis_gives_a_task_to_another_worker_only_after_an_hour():
    """Longer than the longest task, so a running task is never handed to a second worker (settings)."""
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        pytest.skip("the visibility timeout is Redis's (REDIS_URL)")
    with app.connection_for_write() as broker:
        assert broker.default_channel.visibility_timeout == 60 * 60
