"""A worker killed in the middle of a reminder run: every reminder still reaches its official exactly once.

A real `celery worker` (prefork, one pool process, the reminders queue) runs the day's problem deadline reminders
for a county with a thousand handlers against the test database, on Redis. It is killed twice:

1. the whole worker, while it holds the run: the run is acknowledged late, so Redis keeps it and gives it to the
   next worker once the visibility timeout has passed (the test lets it pass at once); the run is one
   transaction, so the killed one wrote nothing;
2. the pool process alone, in the middle of a batch of e-mails: the task rejects itself on the worker's loss, so
   the batch goes back to the queue at once, and the new pool process sends what the dead one had not.

Each handler then has the day's reminder once, and one e-mail (the file backend's outbox). PostgreSQL and Redis
only: a worker in another process needs a database server and a broker; CI has both and never skips it.
"""

import os
import random
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts.models import Department, User
from accounts.roles import Role
from liaison.celery import app
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services import DELIVERY_BATCH, STALE_CLAIM, deliver_pending
from problems import tasks
from problems.models import Problem, ProblemStatus, Source
from tests.reference_data import restore_reference_data

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

COUNTY = "370102"
DEPARTMENTS = 50
# Enough that a run's e-mails take seconds (a few milliseconds each in one pool process), yet the test stays well
# under a minute.
HANDLERS = 1000
QUEUE = "reminders"
WAIT = 90  # seconds before a step is declared stuck; a step takes a few
APPLICATION_NAME = "liaison-killed-worker"  # the workers' connections, as pg_stat_activity names them


def _cannot_run(reason):
    if os.environ.get("REQUIRE_REDIS"):
        pytest.fail(f"CI must run this test, but {reason}")
    pytest.skip(reason)


@pytest.fixture
def redis_broker():
    if connection.vendor != "postgresql":
        _cannot_run("a worker in another process needs the test database on PostgreSQL (DATABASE_URL)")
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        _cannot_run("a worker killed with its task needs Redis as the broker (REDIS_URL)")
    with app.connection_for_write() as broker:
        try:
            broker.ensure_connection(max_retries=1)
        except Exception as error:  # noqa: BLE001 - any failure to reach Redis is a reason to skip, named
            _cannot_run(f"Redis does not answer at {settings.CELERY_BROKER_URL}: {error}")
        channel = broker.default_channel
        # What earlier tests or runs left in this test database of Redis is not this test's.
        channel.queue_purge(QUEUE)
        channel.client.delete(channel.unacked_key, channel.unacked_index_key)
        yield channel


def seed_overdue_problems(*, today):
    """HANDLERS handlers of DEPARTMENTS departments of a county, each department holding two overdue problems:
    every handler is due one reminder today. Written in bulk: a data size, not a story."""
    from enterprises.tests.factories import EnterpriseFactory
    from problems.tests.factories import category

    restore_reference_data()
    departments = Department.objects.bulk_create(
        Department(region_id=COUNTY, name=f"测试承办单位{number}") for number in range(DEPARTMENTS)
    )
    handlers = User.objects.bulk_create(
        User(
            username=f"handler{number}",
            email=f"handler{number}@example.cn",
            password="!",
            region_id=COUNTY,
            department=departments[number % DEPARTMENTS],
        )
        for number in range(HANDLERS)
    )
    role = Group.objects.get(name=Role.HANDLER)
    User.groups.through.objects.bulk_create(User.groups.through(user_id=handler.pk, group_id=role.pk) for handler in handlers)
    enterprise = EnterpriseFactory(region_id=COUNTY)
    Problem.objects.bulk_create(
        Problem(
            enterprise=enterprise,
            region_id=COUNTY,
            office_region_id=COUNTY,
            handling_region_id=COUNTY,
            handling_department=department,
            source=Source.OTHER,
            category=category(),
            description=f"逾期问题 {number}",
            raised_by=handlers[0],
            status=ProblemStatus.IN_PROGRESS,
            dispatched_at=timezone.now(),
            deadline=today - timedelta(days=3),
        )
        for department in departments
        for number in range(2)
    )
    return handlers


class Worker:
    """`celery worker` in a process group of its own, so the test can stop and kill it, or its pool process."""

    def __init__(self, log_path, outbox):
        self.log_path = log_path
        database = connection.settings_dict  # the test database, as pytest-django renamed it
        password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
        address = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        options = {name: value for name, value in database["OPTIONS"].items() if isinstance(value, str)}
        options["application_name"] = APPLICATION_NAME
        environment = {
            name: value for name, value in os.environ.items() if name not in ("DATABASE_REPLICA_URL", "CELERY_TASK_ALWAYS_EAGER")
        }
        environment.update(
            DATABASE_URL=(
                f"postgres://{quote(database['USER'], safe='')}{password}@{address}/{database['NAME']}?{urlencode(options)}"
            ),
            CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            EMAIL_URL=f"filemail:///{outbox}",
            NOTIFICATION_CHANNELS="notifications.channels.EmailChannel",
            SITE_URL="https://liaison.example.cn",
            SECRET_KEY=settings.SECRET_KEY,
            DEBUG="0",
        )
        command = [
            sys.executable, "-m", "celery", "-A", "liaison", "worker",
            "--pool=prefork", "--concurrency=1", "-Q", QUEUE, "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--hostname", f"killed-{uuid.uuid4().hex[:8]}@%h",
        ]  # fmt: skip
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_for(self, text):
        wait_until(lambda: text in self.log(), f"the worker's log to say {text!r}", worker=self)

    def pool_process(self):
        """The pid of the worker's one pool process (the child that runs the tasks)."""
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat") as stat:
                        parent = int(stat.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if parent == self.process.pid:
                    return int(entry.name)
        return None

    def kill(self):
        """SIGKILL the worker and its pool process together, as a machine lost or `kill -9` of the group."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGCONT)
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def wait_until(condition, what, *, worker=None, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            tail = worker.log()[-3000:] if worker else ""
            pytest.fail(f"waited {timeout} s for {what}\n--- worker log ---\n{tail}")
        time.sleep(0.05)


def pool_process_reads_the_database():
    """Whether the worker's pool process is connected to the test database: it connects when it starts a task
    (the worker's main process never does)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [APPLICATION_NAME],
        )
        return cursor.fetchone()[0] > 0


def emails_sent(outbox):
    """The recipients of the e-mails in the file backend's outbox, one entry per e-mail on disk."""
    recipients = []
    for path in outbox.glob("*.log"):
        recipients += re.findall(r"^To: (\S+)$", path.read_text(errors="replace"), flags=re.MULTILINE)
    return recipients


def kill_pool_process_mid_batch(worker, outbox, *, total):
    """Freeze the pool process while it is in the middle of a batch of e-mails and kill it there; returns the
    delivery it had claimed but not sent, if any.

    A moment is taken only if a few batches are out but not all, the count is not a whole number of batches (so
    a batch is under way), and no e-mail is out whose delivery is not yet marked sent: that one moment, between
    handing an e-mail to the mail server and recording it, no system can tell from an unsent one, and a resend
    would send it twice. Elsewhere, the claimed delivery waits for the sweep (STALE_CLAIM) and all others for
    the batch put back by the killed task."""
    for _attempt in range(400):
        pool = worker.pool_process()
        if pool is None:
            time.sleep(0.05)
            continue
        os.kill(pool, signal.SIGSTOP)
        try:
            sent = emails_sent(outbox)
            claimed = list(Delivery.objects.filter(status=DeliveryStatus.SENDING).select_related("notification__recipient"))
            ambiguous = any(delivery.notification.recipient.email in sent for delivery in claimed)
            if 2 * DELIVERY_BATCH < len(sent) < total and len(sent) % DELIVERY_BATCH and not ambiguous:
                os.kill(pool, signal.SIGKILL)
                return claimed, len(sent)
        finally:
            try:
                os.kill(pool, signal.SIGCONT)
            except ProcessLookupError:
                pass
        assert len(sent) < total, "every e-mail went out before the pool process could be killed mid-batch"
        time.sleep(random.uniform(0.005, 0.03))
    pytest.fail("found no moment in the middle of a batch to kill the pool process")


def test_a_worker_killed_mid_run_delivers_every_reminder_exactly_once(redis_broker, tmp_path):
    today = timezone.localdate()
    handlers = seed_overdue_problems(today=today)
    outbox = tmp_path / "outbox"
    outbox.mkdir()

    # 1. The whole worker dies while it holds the run.
    first = Worker(tmp_path / "first.log", outbox)
    second = None
    try:
        first.wait_for(" ready.")
        app.conf.task_always_eager = False
        tasks.send_problem_deadline_reminders.delay()
        first.wait_for("send_problem_deadline_reminders[")  # received
        wait_until(pool_process_reads_the_database, "the pool process to start the run", worker=first)
        os.killpg(first.process.pid, signal.SIGSTOP)
        assert not Notification.objects.exists(), "the run ended before the worker could be killed: seed more handlers"
        first.kill()
        # Acknowledged late, the run is still Redis's, taken and unacknowledged; nothing of it was written.
        assert redis_broker.client.hlen(redis_broker.unacked_key) == 1, "the run was acknowledged before it ran"
        assert not Notification.objects.exists()
        # As any worker does once the visibility timeout (an hour) has passed: the run goes back to its queue.
        with app.connection_for_write(transport_options={"visibility_timeout": 0}) as broker:
            broker.default_channel.qos.restore_visible(num=100)
        assert redis_broker.client.hlen(redis_broker.unacked_key) == 0

        # 2. A new worker runs it; its pool process is killed in the middle of a batch of e-mails.
        second = Worker(tmp_path / "second.log", outbox)
        wait_until(lambda: emails_sent(outbox), "the first e-mails", worker=second)
        claimed, sent_at_kill = kill_pool_process_mid_batch(second, outbox, total=HANDLERS)
        second.wait_for("exited with 'signal 9 (SIGKILL)'")
        # The batch went back to the queue: the new pool process sends everything but the claimed delivery.
        unsent = Delivery.objects.exclude(status=DeliveryStatus.SENT).exclude(pk__in=[delivery.pk for delivery in claimed])
        wait_until(lambda: not unsent.exists(), "every delivery to be sent", worker=second)
    finally:
        app.conf.task_always_eager = True
        first.stop()
        if second is not None:
            second.stop()

    assert 2 * DELIVERY_BATCH < sent_at_kill < HANDLERS
    assert len(claimed) <= 1, "one pool process claims one delivery at a time"
    assert list(Delivery.objects.filter(status=DeliveryStatus.SENDING)) == claimed
    if claimed:
        # Claimed by the dead process, unsent, skipped by the batch's second run; the sweep sends it once the
        # claim is stale, as the periodic task does STALE_CLAIM later.
        assert claimed[0].notification.recipient.email not in emails_sent(outbox)
        mail = {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(outbox)}
        with override_settings(**mail, SITE_URL="https://liaison.example.cn"):
            deliver_pending(now=timezone.now() + STALE_CLAIM + timedelta(minutes=1))

    key = f"problem-deadlines:{today.isoformat()}"
    reminders = Counter(Notification.objects.values_list("recipient_id", "key"))
    assert reminders == {(handler.pk, key): 1 for handler in handlers}
    assert Counter(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT: HANDLERS}
    assert Counter(emails_sent(outbox)) == {handler.email: 1 for handler in handlers}
