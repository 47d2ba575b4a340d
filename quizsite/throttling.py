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


class AnonRateThrottle(FailOpen, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpen, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FailOpen, throttling.ScopedRateThrottle):
    pass
