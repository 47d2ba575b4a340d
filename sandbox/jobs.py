"""A learner's own demo run: read the store, else run it in the background and answer "computing".

`request_run(key, raw_params, lang=..., job=...)` is what the API and the demo panel
call. It never keeps a request waiting on PyTorch for long:

1. a stored result (sandbox/store.py) is returned at once (`RunOutcome`); a stored
   failure still inside its back-off is raised again without running anything;
2. otherwise ONE run per (key, version, parameters) is started in the background and
   the request waits at most SANDBOX_WAIT_MS (~300 ms) for it. Finished in time: the
   result. Not yet: `Pending` (HTTP 202, "computing"), which the client polls with
   `job=<id>`; the result lands in the store, where every process finds it.

Where the background run happens:
- embedded default: a small pool of threads in this process (`_LocalRunner`), each
  launching a killable forkserver child through `storing.compute`. At most
  SANDBOX_MAX_WORKERS run at once and SANDBOX_MAX_PENDING wait; past that the
  request gets `DemoBusy` (HTTP 503 with Retry-After). Two requests for the same
  run share it. In-process mode (tests, tools) runs synchronously instead.
- SANDBOX_QUEUE=celery: a Celery job, sent by its name (`TASK_NAME`): this module never
  imports `sandbox.tasks`, which imports it (no cycle). One job per run however many learners ask at
  once (a lock key set with `cache.add`, i.e. Redis SET NX). While the worker runs
  the job it renews the lock every few seconds with a short expiry (a heartbeat),
  so a worker that dies is noticed within SANDBOX_JOB_HEARTBEAT_S; the first poll
  after that re-queues the job once, the second loss answers a clear failure.

A cache that fails (Redis down) makes locking fail safe: the run is started anyway
(at worst twice), never a 500.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection

from sandbox import runner, store, storing

log = logging.getLogger(__name__)
#: The Celery task that runs a job (`sandbox.tasks.run_demo_job` registers under it).
TASK_NAME = "sandbox.run_demo"


class JobFailed(runner.SandboxError):
    """A queued run did not produce a result; `temporary` is True where trying again may help."""

    def __init__(self, message: str, *, temporary: bool):
        self.temporary = temporary
        super().__init__(message)


@dataclass(frozen=True)
class Pending:
    """A run started in the background, not finished yet."""

    key: str
    version: int
    params: dict[str, Any]
    lang: str
    job: str

    def as_dict(self) -> dict[str, Any]:
        return {"status": "computing", "key": self.key, "version": self.version, "lang": self.lang,
                "params": self.params, "job": self.job}


def queued() -> bool:
    return getattr(settings, "SANDBOX_QUEUE", "") == "celery"


def lock_key(cache_key: str) -> str:
    return cache_key.replace("sandbox:run:", "sandbox:job:", 1)


def requeued_key(job: str) -> str:
    return f"sandbox:job-requeued:{job}"


def request_run(key: str, raw_params: Mapping[str, Any] | None = None, *, lang: str | None = None,
                job: str | None = None, wait_ms: float | None = None,
                admit: Callable[[], None] | None = None) -> runner.RunOutcome | Pending:
    """A result (stored, or finished within the wait) or a `Pending` run to poll.

    `wait_ms` (default SANDBOX_WAIT_MS) bounds how long a request waits for a background
    run; content pages pass 0: their results are computed when content is loaded.
    `admit` is called before a NEW run is started (not for a stored result, nor for joining
    a run already under way) and may raise to refuse it: the API's per-client budget.
    """
    started = time.perf_counter()
    run = runner.prepare(key, raw_params, lang=lang)
    hit = runner.stored_outcome(run, started=started)  # raises a remembered failure
    if hit is not None:
        return hit
    if queued():
        return _request_queued(run, job, started, admit)
    if settings.SANDBOX_IN_PROCESS:
        if admit is not None:
            admit()
        return run.outcome(storing.compute(run, chart_langs=(run.lang,)), cached=False, started=started)
    if admit is not None and not local_runner().running(run.digest):
        admit()
    future = local_runner().submit(run)
    try:
        wait_ms = settings.SANDBOX_WAIT_MS if wait_ms is None else wait_ms
        stored = future.result(timeout=wait_ms / 1000)
    except FutureTimeout:
        return _pending(run, run.digest[:32])
    return run.outcome(stored, cached=False, started=started)


def ensure(run: runner.PreparedRun) -> None:
    """Start computing `run` in the background if nobody is (content whose result is missing); never raises."""
    try:
        if queued():
            _request_queued(run, None, time.perf_counter())
        elif settings.SANDBOX_IN_PROCESS:
            storing.compute(run)  # no background in this mode (tests, tools): compute on the spot
        else:
            local_runner().submit(run)
    except Exception as exc:  # the reader shows "computing" either way; the next reader tries again
        log.warning("could not start demo %s in the background: %s", run.key, exc)


def _pending(run: runner.PreparedRun, job: str) -> Pending:
    return Pending(key=run.key, version=run.version, params=run.params, lang=run.lang, job=job)


# -- the embedded default: a bounded pool in this process ------------------------------

class _LocalRunner:
    """Background runs for one web process: deduplicated by digest, bounded, each in a killable child."""

    def __init__(self, workers: int, max_pending: int):
        self.max_pending = max_pending
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="demo-run")
        self._lock = threading.Lock()
        self._futures: dict[str, Future] = {}

    def submit(self, run: runner.PreparedRun) -> Future:
        with self._lock:
            future = self._futures.get(run.digest)
            if future is not None:
                return future
            if len(self._futures) >= self.max_pending:
                raise runner.DemoBusy("Too many demos are being computed right now; try again in a moment.")
            future = self._pool.submit(self._compute, run)
            self._futures[run.digest] = future
            future.add_done_callback(lambda _f, digest=run.digest: self._forget(digest))
            return future

    def _forget(self, digest: str) -> None:
        with self._lock:
            self._futures.pop(digest, None)

    def running(self, digest: str) -> bool:
        with self._lock:
            return digest in self._futures

    @staticmethod
    def _compute(run: runner.PreparedRun):
        close_old_connections()
        try:
            return storing.compute(run, chart_langs=(run.lang,))
        finally:
            connection.close()  # this thread's own database connection


_local: _LocalRunner | None = None
_local_lock = threading.Lock()


def local_runner() -> _LocalRunner:
    global _local
    with _local_lock:
        if _local is None:
            _local = _LocalRunner(int(settings.SANDBOX_MAX_WORKERS), int(settings.SANDBOX_MAX_PENDING))
    return _local


# -- with a task queue ----------------------------------------------------------------

def _cache_call(fn: Callable, *args, default=None, **kwargs):
    """A cache operation that degrades to `default` (with a warning) when the cache is down."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        log.warning("demo jobs: cache unavailable (%s)", type(exc).__name__)
        return default


def _request_queued(run: runner.PreparedRun, job: str | None, started: float,
                    admit: Callable[[], None] | None = None) -> runner.RunOutcome | Pending:
    ttl = int(settings.SANDBOX_JOB_TTL_S)
    lock = lock_key(run.cache_key)
    for _ in range(3):  # a job may finish between two of the lookups below; then look again
        current = _cache_call(cache.get, lock)
        if current is not None:
            return _pending(run, current)
        hit = runner.stored_outcome(run, started=started)
        if hit is not None:
            return hit
        if job:  # polled, but neither a result, nor a failure, nor the job's lock is there: its worker died
            if not _cache_call(cache.add, requeued_key(job), 1, timeout=ttl, default=True):
                raise JobFailed("The demo run did not finish: its worker stopped twice. Run it again later.",
                                temporary=True)
            log.warning("demo job %s (%s) lost its worker; queued again", job, run.key)
        if admit is not None and not job:  # a re-queue after a lost worker is not the learner's new run
            admit()
            admit = None
        new_job = uuid.uuid4().hex
        if job:
            _cache_call(cache.add, requeued_key(new_job), 1, timeout=ttl)  # a job is re-queued once, not forever
        if _cache_call(cache.add, lock, new_job, timeout=ttl, default=True):
            try:
                enqueue(run, new_job, ttl)
            except Exception as exc:
                _cache_call(cache.delete, lock)
                log.warning("could not queue demo %s: %s", run.key, exc)
                raise JobFailed("The demo queue is not available right now; try again in a moment.",
                                temporary=True) from exc
            return _pending(run, new_job)
    raise JobFailed("The demo is busy; try again in a moment.", temporary=True)


def enqueue(run: runner.PreparedRun, job: str, ttl: int) -> None:
    """Send the job to the queue, by the task's name; a job still waiting when its lock expires is dropped."""
    from quizsite.celery import app  # imports Celery only where a queue is used

    app.send_task(TASK_NAME, args=[run.key, run.params, job], task_id=job, expires=ttl)


def execute_job(key: str, params: dict[str, Any], job: str) -> None:
    """The worker's side: run and store the result or the failure (storing.compute does), then release the lock.

    While it runs, a heartbeat thread renews the lock with a short expiry: if this worker
    dies, the lock is gone within SANDBOX_JOB_HEARTBEAT_S and the next poll re-queues.
    """
    try:
        run = runner.prepare(key, params)
    except runner.SandboxError:
        return  # the request validated these parameters; a changed demo refuses them now, nothing to run
    lock = lock_key(run.cache_key)
    beat = int(settings.SANDBOX_JOB_HEARTBEAT_S)
    stop = threading.Event()

    def heartbeat():
        while True:
            _cache_call(cache.set, lock, job, timeout=beat)
            if stop.wait(max(beat / 3, 0.5)):
                return

    beater = threading.Thread(target=heartbeat, name=f"demo-heartbeat-{job[:8]}", daemon=True)
    beater.start()
    try:
        if runner.cached(run) is None:
            storing.compute(run, chart_langs=(run.lang,))
    except runner.SandboxError:
        pass  # storing.compute stored the failure, which pollers now read from the store
    except Exception:  # a bug: remember it as a failure so pollers get an answer
        log.exception("demo job %s (%s) failed", job, key)
        store.put_failure(run, f"Demo {key!r} failed unexpectedly.", timed_out=False)
    finally:
        stop.set()
        beater.join(timeout=5)
        if _cache_call(cache.get, lock) == job:
            _cache_call(cache.delete, lock)
