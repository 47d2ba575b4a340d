"""Backends chosen by environment variables alone, and a production environment that `check --deploy` passes."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The production variables README.md lists ("Running with PostgreSQL and Redis").
PRODUCTION = {
    "SECRET_KEY": "k7Qx-3vLw9_Zp2R8mT5nB1yC6hF0jD4sG8aE2uV7iO3lK9qW5xN1bM6cZ0rY4tS8",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "prep.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://prep.example.com",
    "BEHIND_PROXY": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_COOKIES": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_PRELOAD": "1",
    "DATABASE_URL": "postgres://dlprep:secret@db.internal:5432/dlprep",
    "CACHE_URL": "redis://cache.internal:6379/1",
    "CELERY_BROKER_URL": "redis://cache.internal:6379/2",
    "SANDBOX_QUEUE": "celery",
}


def settings_value(expression: str, **env) -> str:
    code = f"import quizsite.settings as s; print({expression})"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={"PATH": "/usr/bin:/bin", **env},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_with_no_variables_the_embedded_backends_are_used():
    assert settings_value("s.DATABASES['default']['ENGINE']") == "django.db.backends.sqlite3"
    assert settings_value("s.CACHES['default']['BACKEND']") == "django.core.cache.backends.locmem.LocMemCache"
    assert settings_value("repr(s.SANDBOX_QUEUE)") == "''"


def test_database_url_selects_postgresql_through_psycopg_3():
    engine = settings_value("s.DATABASES['default']['ENGINE'] + ' ' + s.DATABASES['default']['HOST']",
                            DATABASE_URL="postgres://u:p@db.internal:5432/dlprep")
    assert engine == "django.db.backends.postgresql db.internal"
    assert settings_value("__import__('django.db.backends.postgresql.psycopg_any', fromlist=['x']).is_psycopg3") == "True"


def test_cache_url_or_redis_url_selects_the_redis_cache():
    redis = "quizsite.redis_cache.RedisCache"  # Django's, one client per pool
    assert settings_value("s.CACHES['default']['BACKEND']", CACHE_URL="redis://127.0.0.1:6379/1") == redis
    assert settings_value("s.CACHES['default']['LOCATION']", REDIS_URL="redis://r:6379/3") == "redis://r:6379/3"


def test_a_queue_without_a_broker_is_refused_with_the_variable_named():
    result = subprocess.run([sys.executable, "-c", "import quizsite.settings"], cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "SANDBOX_QUEUE": "celery"}, capture_output=True, text=True)
    assert result.returncode != 0 and "CELERY_BROKER_URL" in result.stderr


def test_check_deploy_is_clean_with_the_documented_production_variables():
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", **PRODUCTION}, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_gunicorn_does_not_preload_the_app_nor_start_a_demo_forkserver_per_worker():
    config = (ROOT / "gunicorn.conf.py").read_text()
    namespace: dict = {}
    exec(compile(config, "gunicorn.conf.py", "exec"), namespace)
    assert namespace.get("preload_app", False) is False
    assert "post_fork" not in namespace and "warm_up" not in config  # torch only for a learner's own run


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements_unless_turned_off():
    url = "postgres://u:p@db.internal:5432/dlprep"
    options = "sorted(s.DATABASES['default'].get('OPTIONS', {}).items())"
    assert settings_value(options, DATABASE_URL=url) == "[('prepare_threshold', 2), ('server_side_binding', True)]"
    assert settings_value(options, DATABASE_URL=url, DB_PREPARE_THRESHOLD="0") == \
        "[('prepare_threshold', 0), ('server_side_binding', True)]"
    assert settings_value(options, DATABASE_URL=url, DB_SERVER_SIDE_BINDING="0") == "[]"
    assert settings_value(options, DATABASE_URL="sqlite:////tmp/x.sqlite3") == "[]"  # PostgreSQL's alone
    bad = subprocess.run([sys.executable, "-c", "import quizsite.settings"], cwd=ROOT, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "DB_PREPARE_THRESHOLD": "-1"})
    assert bad.returncode != 0 and "DB_PREPARE_THRESHOLD must be at least 0, got '-1'" in bad.stderr


def test_the_redis_cache_bounds_every_call_by_cache_timeout_s():
    kwargs = "s.CACHES['default']['OPTIONS']"
    assert settings_value(kwargs, CACHE_URL="redis://r:6379/1") == \
        "{'socket_connect_timeout': 1.0, 'socket_timeout': 1.0}"
    assert settings_value(kwargs, CACHE_URL="redis://r:6379/1", CACHE_TIMEOUT_S="2.5") == \
        "{'socket_connect_timeout': 2.5, 'socket_timeout': 2.5}"
    for bad in ("0", "soon", "nan"):
        result = subprocess.run([sys.executable, "-c", "import quizsite.settings"], cwd=ROOT, capture_output=True,
                                text=True, env={"PATH": "/usr/bin:/bin", "CACHE_URL": "redis://r:6379/1",
                                                "CACHE_TIMEOUT_S": bad})
        assert result.returncode != 0 and "CACHE_TIMEOUT_S must be" in result.stderr and repr(bad) in result.stderr
