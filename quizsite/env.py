"""Reading settings from the environment: typed readers that fail loudly, and the database
and cache chosen by URL. Used by quizsite/settings.py; every variable is listed in README.md."""

import math
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no/on/off, got {raw!r}")


def _envnumber(name: str, default, parse, what: str, minimum):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = parse(raw)
        if not math.isfinite(value):
            raise ValueError(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be {what}, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {raw!r}")
    return value


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    return _envnumber(name, default, int, "an integer", minimum)


def envfloat(name: str, default: float, *, minimum: float | None = None) -> float:
    return _envnumber(name, default, float, "a finite number", minimum)


def envproxies(name: str) -> int:
    """How many reverse proxies in front of the app to trust: 0 (none, the default) or a count; 1/true/yes mean one."""
    raw = (os.environ.get(name) or "").strip().lower()
    if raw in _FALSE:
        return 0
    if raw in _TRUE:
        return 1
    if raw.isdigit():
        return int(raw)
    raise ImproperlyConfigured(f"{name} must be a number of proxies (0, 1, 2, ...) or true/false, got {raw!r}")


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database(base_dir: Path) -> dict:
    """DATABASE_URL, e.g. postgres://dlprep@127.0.0.1:5432/dlprep (psycopg 3), selects the
    database; unset, a SQLite file. Connections are kept for DB_CONN_MAX_AGE seconds
    (health-checked before reuse), one per gunicorn worker process.

    On PostgreSQL, parameters are bound on the server and a statement a connection has run
    DB_PREPARE_THRESHOLD times (default 2) is kept prepared: the hot API requests repeat the same
    few statements, and skipping their parse and plan raised a quiz answer's throughput by ~15%
    and the due queue's by ~35% (bench/scale.py). DB_SERVER_SIDE_BINDING=0 turns it off, e.g.
    behind a connection pooler that does not keep prepared statements (PgBouncer before 1.21 in
    transaction mode)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=envint("DB_CONN_MAX_AGE", 60), conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.postgresql" and envbool("DB_SERVER_SIDE_BINDING", True):
            config.setdefault("OPTIONS", {}).update(
                server_side_binding=True, prepare_threshold=envint("DB_PREPARE_THRESHOLD", 2, minimum=0))
        return config
    # Several writers at once (gunicorn workers, threads): WAL lets readers go on while one
    # writes; IMMEDIATE takes the write lock when a transaction begins, so two writers queue
    # there instead of one failing "database is locked" when it upgrades a read lock; and a
    # writer waits up to SQLITE_BUSY_TIMEOUT_S for the lock rather than failing at once.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SQLITE_PATH") or base_dir / "db.sqlite3",
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": envint("SQLITE_BUSY_TIMEOUT_S", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def cache() -> dict:
    """CACHE_URL (or REDIS_URL), e.g. redis://127.0.0.1:6379/1, selects Django's own Redis
    cache, shared by every app server (demo results, throttle counters, job locks);
    unset, a per-process local-memory cache. Give the cache a Redis database of its
    own: the test suite clears it with FLUSHDB.

    A cache that stops answering (a host gone, packets dropped) must not hang requests: connecting
    and each reply are bounded by CACHE_TIMEOUT_S (default 1 s), after which the caller degrades as
    for a refused connection (the throttle lets the request through, results come from the database)."""
    url = (os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "").strip()
    if url.startswith(("redis://", "rediss://", "unix://")):
        timeout = envfloat("CACHE_TIMEOUT_S", 1.0, minimum=0.001)
        return {"BACKEND": "quizsite.redis_cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "dlprep",
                "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout}}
    if url:
        raise ImproperlyConfigured(f"CACHE_URL must be a redis://, rediss:// or unix:// URL, got {url!r}")
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "quizsite"}
