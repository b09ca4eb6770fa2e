"""Exactly one Celery beat: the lock its scheduler takes, on Redis and (without Redis) on a file."""

import logging
import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
from celery.beat import PersistentScheduler
from django.conf import settings

from liaison import beat_lock
from liaison.beat_lock import AnotherBeatIsRunning, FileBeatLock, LockedScheduler, RedisBeatLock, lock_for
from liaison.celery import app


def test_a_second_file_lock_is_refused_until_the_first_is_released(tmp_path):
    path = tmp_path / "celerybeat-schedule.lock"
    first, second = FileBeatLock(path), FileBeatLock(path)
    assert first.acquire()
    try:
        assert not second.acquire()
        assert second.holder() == first.owner
        assert first.renew()
    finally:
        first.release()
    assert second.acquire()
    second.release()


def test_without_redis_the_lock_is_a_file_beside_the_schedule(settings, tmp_path):
    settings.REDIS_URL = ""
    lock = lock_for(broker_url="filesystem://", schedule_filename=str(tmp_path / "celerybeat-schedule"))
    assert isinstance(lock, FileBeatLock) and lock.path == tmp_path / "celerybeat-schedule.lock"
    assert isinstance(lock_for(broker_url="redis://127.0.0.1:6379/3", schedule_filename="x"), RedisBeatLock)


def _cannot_run(reason):
    if os.environ.get("REQUIRE_REDIS"):
        pytest.fail(f"CI must run this test, but {reason}")
    pytest.skip(reason)


@pytest.fixture
def redis_url():
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        _cannot_run("the installation's beat lock is in Redis (REDIS_URL)")
    try:
        RedisBeatLock(url).client.ping()
    except redis.RedisError as error:
        _cannot_run(f"Redis does not answer at {url}: {error}")
    return url


def test_the_redis_lock_is_held_renewed_lapses_and_is_released_only_by_its_holder(redis_url):
    key = f"test:celery-beat:{uuid.uuid4().hex}"
    first, second = RedisBeatLock(redis_url, key=key, seconds=0.5), RedisBeatLock(redis_url, key=key, seconds=0.5)
    try:
        assert first.acquire()
        assert not second.acquire()
        assert second.holder() == first.owner
        second.release()  # not its own: nothing happens
        assert first.holder() == first.owner
        for _tick in range(3):  # renewed on each tick, it outlives its time
            time.sleep(0.25)
            assert first.renew()
        assert not second.acquire()

        time.sleep(0.7)  # the first beat stopped ticking (killed): the lock lapses
        assert second.acquire()
        assert not first.renew(), "the first beat, back, finds the lock taken and stops"

        second.client.delete(key)  # Redis restarted empty: the holder takes it again at its next tick
        assert second.renew() and second.holder() == second.owner
        second.release()
        assert second.holder() is None
    finally:
        first.client.delete(key)


def scheduler(tmp_path, name="celerybeat-schedule"):
    return LockedScheduler(app=app, schedule_filename=str(tmp_path / name))


def test_a_second_beat_refuses_to_start_and_says_why(tmp_path, caplog):
    """Whichever lock the settings imply: Redis's in CI, a file's with the filesystem broker (make run)."""
    assert settings.CELERY_BEAT_SCHEDULER == "liaison.beat_lock:LockedScheduler"
    first = scheduler(tmp_path)
    try:
        with caplog.at_level(logging.CRITICAL, logger="liaison.beat_lock"), pytest.raises(AnotherBeatIsRunning) as refused:
            scheduler(tmp_path)
        assert refused.value.code == 1
        assert "not starting: another beat is running" in caplog.text
        assert first.beat_lock.owner in caplog.text
    finally:
        first.close()
    scheduler(tmp_path).close()  # the first beat stopped: the next one starts


def test_a_beat_renews_its_lock_on_each_tick_and_stops_when_another_took_it(redis_url, tmp_path, monkeypatch):
    monkeypatch.setattr(PersistentScheduler, "tick", lambda self, *args, **kwargs: 1.0)
    beat = scheduler(tmp_path)
    try:
        client, key = beat.beat_lock.client, beat.beat_lock.key
        client.pexpire(key, 1000)
        assert beat.tick() == 1.0
        assert client.pttl(key) > 1000 * beat_lock.TICK_SECONDS
        assert beat.max_interval <= beat_lock.TICK_SECONDS < beat_lock.LOCK_SECONDS
        client.set(key, "another beat")
        with pytest.raises(AnotherBeatIsRunning):
            beat.tick()
    finally:
        beat.close()
    assert client.get(key) == b"another beat", "a beat releases only its own lock"
    client.delete(key)


def test_celery_beat_exits_with_status_1_while_another_beat_runs(tmp_path):
    schedule = tmp_path / "celerybeat-schedule"
    held = lock_for(broker_url=settings.CELERY_BROKER_URL, schedule_filename=str(schedule))
    try:
        assert held.acquire()
    except redis.RedisError as error:
        _cannot_run(f"Redis does not answer at {settings.CELERY_BROKER_URL}: {error}")
    try:
        beat = subprocess.run(
            [sys.executable, "-m", "celery", "-A", "liaison", "beat", "--loglevel=INFO", "--schedule", str(schedule)],
            cwd=settings.BASE_DIR,
            env={**os.environ, "SECRET_KEY": settings.SECRET_KEY},
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        held.release()
    assert beat.returncode == 1, beat.stdout + beat.stderr
    assert f"another beat is running ({held.owner} holds {held.where})" in beat.stdout + beat.stderr
