#!/usr/bin/env python3
"""Set-up in one command, on a machine with nothing but Python 3.11.

    python3.11 dev.py serve          # install, migrate, load the content, serve on http://127.0.0.1:8000/
    python3.11 dev.py test           # install the test requirements and run the whole test suite
    python3.11 dev.py test --scaled  # the suite again on PostgreSQL + Redis + a Celery worker

Creates `.venv/` beside this file on first use and reinstalls only when a
requirements file changes. Extra arguments after `test` go to pytest.

`test --scaled` needs PostgreSQL and Redis running (README, "Running with
PostgreSQL and Redis"; CI's .ci/run starts them). It creates a database for the
run (dropped at the end), points the cache and a Celery broker at Redis
databases 14 and 15, starts a worker in the background, and runs the suite
without the browser tests (they drive the same views as the first pass; the
second pass is about the database, the cache and the queue).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"


def sh(*args: str | Path, **kwargs) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, **kwargs)


def ensure_env(requirements: str) -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Python 3.11 is required (the pinned torch build is for 3.11); this is {sys.version.split()[0]}.")
    if not PY.exists():
        print(f"Creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256()
    for name in ("requirements.txt", "requirements-dev.txt"):
        digest.update((ROOT / name).read_bytes())
    stamp = VENV / f".installed-{requirements}-{digest.hexdigest()[:16]}"
    if not stamp.exists():
        sh(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", requirements)
        for old in VENV.glob(f".installed-{requirements}-*"):
            old.unlink()
        stamp.touch()


def serve() -> None:
    ensure_env("requirements.txt")
    manage = [PY, "manage.py"]
    # The database checks (stored links to demos that no longer exist or accept their parameters) run after
    # load_content has brought the shipped content up to date with the code, not before it can.
    sh(*manage, "migrate", "--no-input", "-v", "0", "--skip-checks")
    sh(*manage, "collectstatic", "--no-input", "-v", "0")
    sh(*manage, "load_content")
    sh(*manage, "check", "--database", "default", "--fail-level", "ERROR")
    port = os.environ.get("PORT", "8000")
    print(f"\nDL Interview Prep is serving on http://127.0.0.1:{port}/  (admin: /admin/, API schema: /api/schema/)\n"
          "Stop with Ctrl+C.\n", flush=True)
    os.execv(str(PY), [str(PY), "manage.py", "runserver", f"127.0.0.1:{port}"])


def test(pytest_args: list[str]) -> None:
    ensure_env("requirements-dev.txt")
    if "--scaled" in pytest_args:
        sys.exit(test_scaled([a for a in pytest_args if a != "--scaled"]))
    os.environ.update({name: "1" for name in BLAS_THREADS})  # demos run on one thread, as in the runner's children
    os.execv(str(PY), [str(PY), "-m", "pytest", *pytest_args])


SCALED_DB = f"dlprep_scaled_{os.getpid()}"  # per run, so two runs on one server never share a database
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def _psql(url: str, statement: str) -> None:
    code = "import psycopg, sys\nwith psycopg.connect(sys.argv[1], autocommit=True) as c: c.execute(sys.argv[2])"
    subprocess.run([str(PY), "-c", code, url, statement], cwd=ROOT, check=True)


def test_scaled(pytest_args: list[str]) -> int:
    """The suite against PostgreSQL, Redis and a Celery worker; returns pytest's exit code."""
    admin_url = os.environ.get("SCALED_PG_ADMIN_URL", PG_ADMIN)
    env = {
        **os.environ,
        "DATABASE_URL": admin_url.rsplit("/", 1)[0] + "/" + SCALED_DB,
        "CACHE_URL": os.environ.get("SCALED_CACHE_URL", "redis://127.0.0.1:6379/14"),
        "CELERY_BROKER_URL": os.environ.get("SCALED_BROKER_URL", "redis://127.0.0.1:6379/15"),
        "SANDBOX_QUEUE": "celery",
        # generous: on a busy CI machine a reply may take longer than production's 1 s, and a throttle
        # test must see Redis answer, not the fail-open path a slow reply would take
        "CACHE_TIMEOUT_S": os.environ.get("CACHE_TIMEOUT_S", "10"),
        **{name: "1" for name in BLAS_THREADS},
    }
    print(f"Scaled pass: {env['DATABASE_URL']}, cache {env['CACHE_URL']}, broker {env['CELERY_BROKER_URL']}", flush=True)
    _psql(admin_url, f'CREATE DATABASE "{SCALED_DB}"')
    log = tempfile.NamedTemporaryFile(prefix="dlprep-worker-", suffix=".log", delete=False)
    # The worker stores demo results in the database the tests read: pytest-django's test
    # database ("test_" + name), which exists by the time a test queues a job.
    worker_env = {**env, "DATABASE_URL": admin_url.rsplit("/", 1)[0] + "/test_" + SCALED_DB, "DB_CONN_MAX_AGE": "0"}
    # --pool=threads: never fork a process that may have run torch; each job runs in the
    # runner's forkserver child. --purge drops jobs a stopped run left in the broker.
    worker = subprocess.Popen(
        [str(PY), "-m", "celery", "-A", "quizsite.celery", "worker", "--pool=threads", "--concurrency=2",
         "--queues=demos", "--purge", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=worker_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        args = ["--ignore=tests/browser", *pytest_args]
        print("+ pytest", " ".join(args), f"(worker pid {worker.pid}, log {log.name})", flush=True)
        code = subprocess.run([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env).returncode
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)  # the worker's own group: it and its forkserver children
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        _psql(admin_url, f'DROP DATABASE IF EXISTS "{SCALED_DB}"')
    if code != 0:
        print(f"--- last lines of the worker's log ({log.name}) ---", flush=True)
        print("".join(Path(log.name).read_text(errors="replace").splitlines(keepends=True)[-40:]), flush=True)
    return code


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("serve", "test"):
        sys.exit(__doc__)
    os.chdir(ROOT)
    if sys.argv[1] == "serve":
        serve()
    else:
        test(sys.argv[2:])


if __name__ == "__main__":
    main()
