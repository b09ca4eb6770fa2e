"""How far an on-demand refresh has got, kept in the cache so any web worker can answer the page's poll.

A refresh that is not under way has no entry; `start` claims the period so two clicks start one refresh.
"""

from django.core.cache import cache

TIMEOUT = 60 * 30  # a refresh that died leaves no claim behind for longer than this


def _key(period_id):
    return f"assessment:refresh:{period_id}"


def start(period_id):
    """Claim the refresh of a period; False when one is already under way."""
    return cache.add(_key(period_id), {"done": 0, "steps": 0}, TIMEOUT)


def report(period_id, done, steps):
    cache.set(_key(period_id), {"done": done, "steps": steps}, TIMEOUT)


def finish(period_id):
    cache.delete(_key(period_id))


def state(period_id):
    """{"running": bool, "percent": 0–100}."""
    found = cache.get(_key(period_id))
    if found is None:
        return {"running": False, "percent": 100}
    percent = round(found["done"] * 100 / found["steps"]) if found["steps"] else 0
    return {"running": True, "percent": percent}
