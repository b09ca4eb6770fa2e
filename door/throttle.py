"""Failures at the door, counted per client address and per mobile number in the cache.

A bad or tampered link, an ended one, a wrong or expired code: each counts one failure for the address
it came from (and for the number, for a code). Past DOOR_FAILURE_LIMIT failures within
DOOR_FAILURE_WINDOW seconds, the address (or number) is refused before anything is looked up, until the
window that began with its first failure is over. A success clears nothing: one valid link in hand must
not reset the count of guesses at others.

The counts live in the cache named DOOR_CACHE: Redis when REDIS_URL is set, so that every process of
the portal counts together; the process's memory otherwise (development, tests).
"""

import hashlib

from django.conf import settings
from django.core.cache import caches


def _cache():
    return caches[settings.DOOR_CACHE]


def _key(kind, value):
    # Hashed: the cache holds no address or number in clear.
    return f"door:failures:{kind}:{hashlib.sha256(str(value).encode()).hexdigest()[:32]}"


def _keys(*, address=None, mobile=None):
    keys = [_key("address", address or "unknown")]
    if mobile:
        keys.append(_key("mobile", mobile))
    return keys


def is_throttled(*, address=None, mobile=None):
    counts = _cache().get_many(_keys(address=address, mobile=mobile))
    return any(count >= settings.DOOR_FAILURE_LIMIT for count in counts.values())


def note_failure(*, address=None, mobile=None):
    cache = _cache()
    for key in _keys(address=address, mobile=mobile):
        # The window starts with the first failure; incr keeps the key's expiry.
        cache.add(key, 0, timeout=settings.DOOR_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.DOOR_FAILURE_WINDOW)
