"""Rate limits that survive a cache outage, keyed by an address the client cannot choose.

The cache is an accelerator (DESIGN.md): when Redis is unreachable, a throttle
lets the request through and logs a warning, rather than answering 500 to every
request. The client's address is REMOTE_ADDR unless BEHIND_PROXY says how many
proxies in front of the app to trust (then DRF's NUM_PROXIES picks the address
from X-Forwarded-For); django-axes' lockouts use the same address (`client_ip`).
"""

from __future__ import annotations

import logging

from rest_framework import throttling

logger = logging.getLogger(__name__)

try:  # the embedded default has no Redis client to fail
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = OSError

# What an unreachable or broken cache raises through Django's cache API.
CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)


def client_ip(request) -> str | None:
    """The client's address as DRF's throttles see it (NUM_PROXIES); axes' AXES_CLIENT_IP_CALLABLE."""
    return throttling.BaseThrottle().get_ident(request)


class FailOpen:
    """Mixin: a cache error lets the request through, with a logged warning, instead of a 500."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            logger.warning("Throttle %s skipped: the cache is unreachable (%s)", type(self).__name__, exc)
            return True


def _redis_client(cache):
    """The cache's Redis client when the cache is Django's Redis cache, else None."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache
    from django.utils.connection import ConnectionProxy

    if isinstance(cache, ConnectionProxy):  # DRF's `default_cache`: the backend it stands for now
        cache = caches[cache._alias]
    return cache._cache.get_client(write=True) if isinstance(cache, RedisCache) else None


class SlidingWindow(throttling.SimpleRateThrottle):
    """With Redis as the cache, a rate limit in one round trip: a counter per fixed window (INCR, EXPIRE)
    and the previous window's count in the same pipeline, the previous one weighted by how much of it
    still lies within the last `duration` seconds (the "sliding window counter"). DRF's own throttle
    reads a list of every request's time, up to `num_requests` of them, and writes it back: two round
    trips and a list pickled each way, on every API request. A refused request is taken back out of
    the count, as DRF does not count it either. With the local-memory cache: DRF's throttle."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True  # as DRF's
        client = _redis_client(self.cache)
        if client is None:
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:  # e.g. the anonymous rate, for a signed-in learner
            return True
        self.now = self.timer()
        window, into = divmod(self.now, self.duration)
        current = self.cache.make_and_validate_key(f"{self.key}:w{int(window)}")
        previous = self.cache.make_and_validate_key(f"{self.key}:w{int(window) - 1}")
        pipe = client.pipeline(transaction=False)
        pipe.incr(current)
        pipe.expire(current, 2 * self.duration)
        pipe.get(previous)
        count, _, before = pipe.execute()
        before, into = int(before or 0), into / self.duration
        if before * (1 - into) + count <= self.num_requests:
            return True
        client.decr(current)
        self.window = (before, count - 1, into)
        return False

    def wait(self):
        window = getattr(self, "window", None)
        if window is None:
            return super().wait()
        before, count, into = window
        if count + 1 > self.num_requests:  # this window is full: to its end, then until its weight falls enough
            return ((1 - into) + max(0.0, 1 - (self.num_requests - 1) / count)) * self.duration
        # the previous window's weight must fall until one more request fits
        return max(0.0, 1 - (self.num_requests - count - 1) / before - into) * self.duration


class AnonRateThrottle(FailOpen, throttling.AnonRateThrottle, SlidingWindow):
    pass


class UserRateThrottle(FailOpen, throttling.UserRateThrottle, SlidingWindow):
    pass


class ScopedRateThrottle(FailOpen, throttling.ScopedRateThrottle, SlidingWindow):
    pass
