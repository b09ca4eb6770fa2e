import pytest
from django.conf import settings
from django.core.cache import caches


def forget_failures():
    """Empty the door's failure counts: every key of the door's cache (only the door's, in a Redis database
    the broker may share)."""
    cache = caches[settings.DOOR_CACHE]
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):  # Django's RedisCache
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match=f"*{cache.make_key('door:')}*"):
            client.delete(key)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def fresh_door_cache():
    forget_failures()
    yield
    forget_failures()
