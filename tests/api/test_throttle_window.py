"""With Redis as the cache, the throttles count requests in one round trip (quizsite.throttling.SlidingWindow):
a window's counter and the previous window's count, weighted by how much of it is still within the rate's
period. Run against a real Redis: the scaled pass's (CACHE_URL), or the one on loopback."""

import os
from types import SimpleNamespace

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

from quizsite import throttling

URL = os.environ.get("CACHE_URL", "") if os.environ.get("CACHE_URL", "").startswith("redis") else \
    "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {URL}: {error}")
    caches = {"default": {"BACKEND": "quizsite.redis_cache.RedisCache", "LOCATION": URL,
                          "KEY_PREFIX": "dlprep-throttle-test"}}
    with override_settings(CACHES=caches):
        cache.clear()
        yield
        cache.clear()


class FivePerMinute(throttling.UserRateThrottle):
    rate = "5/min"
    clock = 6_000_000.0  # the start of a minute

    def timer(self):
        return self.clock


def ask(at: float, user: int = 1) -> tuple[bool, float | None]:
    FivePerMinute.clock = 6_000_000.0 + at
    throttle = FivePerMinute()
    allowed = throttle.allow_request(SimpleNamespace(user=SimpleNamespace(is_authenticated=True, pk=user)), None)
    return allowed, (None if allowed else throttle.wait())


def test_five_a_minute_then_refused_and_refusals_are_not_counted(redis_cache):
    assert [ask(at=i)[0] for i in range(5)] == [True] * 5
    allowed, wait = ask(at=30)
    assert not allowed and wait == pytest.approx(30 + 60 * (1 - 4 / 5))  # this minute's end, then 12 s more
    assert not ask(at=31)[0]
    assert ask(at=5, user=2)[0]  # per learner
    counters = [key for key in redis.Redis.from_url(URL).keys("*dlprep-throttle-test*") if b"_1:w" in key]
    assert [int(redis.Redis.from_url(URL).get(key)) for key in counters] == [5]  # the refused two taken back


def test_the_previous_minute_weighs_as_much_as_it_still_overlaps(redis_cache):
    assert all(ask(at=50 + i * 0.1)[0] for i in range(5))  # five late in the first minute
    # 6 s into the next minute, 90 % of the previous one still counts: 5 x 0.9 + 1 = 5.5 > 5
    allowed, wait = ask(at=66)
    assert not allowed and wait == pytest.approx(6.0)  # at 20 %: 5 x 0.8 + 1 = 5
    assert ask(at=72)[0]
    # and the one allowed now counts in this minute: 5 x 0.7 + 2 = 5.5 > 5
    assert not ask(at=78)[0]


def test_with_the_local_memory_cache_the_throttle_is_drfs_own():
    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle-test"}}
    with override_settings(CACHES=local):
        cache.clear()
        assert [ask(at=i)[0] for i in range(6)] == [True] * 5 + [False]
        assert ask(at=61)[0]  # DRF's history: the first request left the last 60 s


def test_the_redis_cache_builds_one_client_and_every_call_and_thread_shares_it(redis_cache):
    """quizsite.redis_cache: Django's Redis cache built a redis.Redis per call (0.24-0.33 ms each)."""
    import threading

    backend = cache._cache
    clients = [backend.get_client(), backend.get_client(write=True)]
    threading_clients = []
    threads = [threading.Thread(target=lambda: threading_clients.append(backend.get_client())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(threading_clients) == 4 and all(c is clients[0] for c in clients + threading_clients)
    # and it is a working cache through that one client
    cache.set("answer", {"n": 42})
    assert cache.get("answer") == {"n": 42}
    assert cache.add("hits", 1) and cache.incr("hits") == 2
    assert cache.get_many(["answer", "missing"]) == {"answer": {"n": 42}}
