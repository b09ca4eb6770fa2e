"""Exactly one Celery beat: a lock the beat takes before it reads its schedule and renews on every tick.

A second beat would queue every scheduled job twice. The reminders would still reach each official once (their
keys), but the nightly refresh, the bulletins and the cleanups would run twice, and every run is work for
nothing. So the beat's scheduler, `LockedScheduler` (CELERY_BEAT_SCHEDULER, for `celery beat` and for a
worker's embedded `--beat` alike), takes the lock first; a beat that finds it held logs who holds it and exits
with status 1, and a beat that finds its lock taken by another stops.

- On Redis (the broker, or REDIS_URL): the key `liaison:celery-beat`, holding the beat's host and process, set
  for LOCK_SECONDS and renewed on every tick (a beat wakes at least every TICK_SECONDS). One lock for every
  machine of the installation; a beat that dies without releasing it (kill -9, a machine lost) frees it within
  LOCK_SECONDS. While Redis does not answer, the beat keeps running (it cannot queue anything either) and
  renews the lock when Redis is back, unless another beat took it meanwhile.
- On the filesystem broker (`make run`, no Redis): an exclusive `flock` of `<schedule file>.lock` (under var/),
  which the system releases when the process ends. It guards one machine, which is all such a setup has.
"""

import fcntl
import logging
import os
import socket
import uuid
from pathlib import Path

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "liaison:celery-beat"
# A beat wakes at least this often (the scheduler's max_interval), and renews the lock each time.
TICK_SECONDS = 30
# A lock not renewed for this long is free: four ticks, so a slow tick or two never loses it.
LOCK_SECONDS = 4 * TICK_SECONDS

# Take or renew the lock for ARGV[1], for ARGV[2] milliseconds, unless someone else holds it. One step, so two
# beats starting at the same moment cannot both take it.
_HOLD = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
    return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""
# Release it only if it is still ours.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""


def _this_process():
    return f"{socket.gethostname()} pid {os.getpid()} ({uuid.uuid4().hex[:8]})"


class RedisBeatLock:
    """The installation's beat lock in Redis, shared by every machine."""

    def __init__(self, url, *, key=LOCK_KEY, seconds=LOCK_SECONDS):
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.key = key
        self.milliseconds = int(seconds * 1000)
        self.owner = _this_process()
        self.where = f"the Redis key {key}"

    def acquire(self):
        """Take the lock; False when another beat holds it."""
        return bool(self.client.eval(_HOLD, 1, self.key, self.owner, self.milliseconds))

    def renew(self):
        """Keep the lock another LOCK_SECONDS; False when another beat has taken it (if it lapsed with nobody
        taking it, say after Redis restarted empty, this beat takes it again)."""
        return self.acquire()

    def holder(self):
        held = self.client.get(self.key)
        return held.decode() if held else None

    def release(self):
        self.client.eval(_RELEASE, 1, self.key, self.owner)


class FileBeatLock:
    """The beat lock of one machine: an exclusive flock, held while the process lives."""

    def __init__(self, path):
        self.path = Path(path)
        self.owner = _this_process()
        self.where = f"the file {self.path}"
        self._file = None

    def acquire(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        locked = open(self.path, "a+")  # noqa: SIM115 - held open as long as the beat runs
        try:
            fcntl.flock(locked, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            locked.close()
            return False
        locked.seek(0)
        locked.truncate()
        locked.write(self.owner)
        locked.flush()
        self._file = locked
        return True

    def renew(self):
        return self._file is not None

    def holder(self):
        try:
            return self.path.read_text().strip() or None
        except FileNotFoundError:
            return None

    def release(self):
        if self._file is not None:
            self._file.truncate(0)
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def lock_for(*, broker_url, schedule_filename):
    """The lock a beat with this broker and schedule file takes: Redis's when there is a Redis, else a file's."""
    redis_url = broker_url if broker_url.startswith(("redis://", "rediss://")) else settings.REDIS_URL
    if redis_url:
        return RedisBeatLock(redis_url)
    return FileBeatLock(f"{schedule_filename}.lock")


class AnotherBeatIsRunning(SystemExit):
    """Raised to stop this beat, with status 1: `celery beat` exits with it."""

    def __init__(self):
        super().__init__(1)


class LockedScheduler(PersistentScheduler):
    """Celery's schedule kept in a file (PersistentScheduler), run by one beat at a time."""

    max_interval = TICK_SECONDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_interval = min(self.max_interval, TICK_SECONDS)  # even when told to sleep longer: renew in time

    def setup_schedule(self):
        self.beat_lock = lock_for(broker_url=self.app.conf.broker_url or "", schedule_filename=self.schedule_filename)
        try:
            taken = self.beat_lock.acquire()
        except redis.RedisError as error:
            logger.critical("beat: not starting: Redis does not answer, so the beat lock cannot be taken (%s)", error)
            raise AnotherBeatIsRunning from error
        if not taken:
            logger.critical(
                "beat: not starting: another beat is running (%s holds %s). Run exactly one beat in the whole "
                "installation (README, Several machines).",
                self.beat_lock.holder() or "a process",
                self.beat_lock.where,
            )
            raise AnotherBeatIsRunning
        logger.info("beat: holds the beat lock (%s) as %s", self.beat_lock.where, self.beat_lock.owner)
        super().setup_schedule()

    def tick(self, *args, **kwargs):
        self.renew_lock()
        return super().tick(*args, **kwargs)

    def renew_lock(self):
        try:
            ours = self.beat_lock.renew()
        except redis.RedisError as error:
            logger.warning("beat: the beat lock could not be renewed, tried again on the next tick (%s)", error)
            return
        if not ours:
            logger.critical(
                "beat: stopping: another beat (%s) has taken the beat lock (%s), so that only one runs",
                self.beat_lock.holder() or "a process",
                self.beat_lock.where,
            )
            raise AnotherBeatIsRunning

    def close(self):
        try:
            super().close()
        finally:
            try:
                self.beat_lock.release()
            except redis.RedisError:
                logger.warning("beat: the beat lock could not be released; it lapses in %s s", LOCK_SECONDS)
