"""Demo runs on a task queue's workers (setting SANDBOX_QUEUE=celery).

`request_run(key, raw_params, lang=..., job=...)` is what the API and the demo
panel call. Without a queue it is `runner.run_demo` (the in-process / forkserver
default). With one:

1. a cached result is returned at once (`RunOutcome`);
2. on a miss, ONE job is queued per (key, version, parameters), however many
   learners ask at once: the job id is stored under a lock key derived from the
   result's cache key with `cache.add` (Redis `SET NX` with an expiry); whoever
   loses the race gets the winner's job id. The answer is `Pending` (HTTP 202,
   "computing"), which the client polls with `job=<id>`;
3. the worker (`sandbox.tasks.run_demo_job` -> `execute_job`) runs the demo
   through `runner.run_demo`, so the forkserver child and its timeout apply; the
   result lands in the shared cache, or a failure message under the job's id;
   then it releases the lock;
4. a poll for a job that failed gets its message (`JobFailed`); a poll for a job
   that vanished (a worker died, or the job waited past SANDBOX_JOB_TTL_S and its
   lock expired) gets a message saying so. Either way the lock is gone, so the
   next request (without `job`) queues a fresh run.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any, Mapping

from django.conf import settings
from django.core.cache import cache

from sandbox import runner

log = logging.getLogger(__name__)
ERROR_TTL_S = 600  # how long pollers of a failed job can read why it failed


class JobFailed(runner.SandboxError):
    """A queued run did not produce a result; `temporary` is True where trying again may help."""

    def __init__(self, message: str, *, temporary: bool):
        self.temporary = temporary
        super().__init__(message)


@dataclass(frozen=True)
class Pending:
    """A queued run not finished yet."""

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


def error_key(job: str) -> str:
    return f"sandbox:job-error:{job}"


def request_run(key: str, raw_params: Mapping[str, Any] | None = None, *, lang: str | None = None,
                job: str | None = None) -> runner.RunOutcome | Pending:
    """A result (from the cache, or run here when there is no queue) or a `Pending` job to poll."""
    if not queued():
        return runner.run_demo(key, raw_params, lang=lang)
    run = runner.prepare(key, raw_params, lang=lang)
    ttl = int(getattr(settings, "SANDBOX_JOB_TTL_S", 60))
    for _ in range(3):  # a job may finish between two of the lookups below; then look again
        hit = runner.cached(run)
        if hit is not None:
            return hit
        if job:
            failure = cache.get(error_key(job))
            if failure is not None:
                raise JobFailed(failure["message"], temporary=failure["temporary"])
        current = cache.get(lock_key(run.cache_key))
        if current is not None:
            return _pending(run, current)
        if job:  # polled, but neither a result, nor a failure, nor the job's lock is there
            raise JobFailed(
                "The demo run did not finish: its worker stopped, or it waited too long in the queue. "
                "Run it again.", temporary=True)
        new_job = uuid.uuid4().hex
        if cache.add(lock_key(run.cache_key), new_job, timeout=ttl):
            try:
                enqueue(run, new_job, ttl)
            except Exception as exc:
                cache.delete(lock_key(run.cache_key))
                log.warning("could not queue demo %s: %s", key, exc)
                raise JobFailed("The demo queue is not available right now; try again in a moment.",
                                temporary=True) from exc
            return _pending(run, new_job)
    raise JobFailed("The demo is busy; try again in a moment.", temporary=True)


def _pending(run: runner.PreparedRun, job: str) -> Pending:
    return Pending(key=run.key, version=run.version, params=run.params, lang=run.lang, job=job)


def enqueue(run: runner.PreparedRun, job: str, ttl: int) -> None:
    """Send the job to the queue; a job still waiting when its lock expires is dropped (`expires`)."""
    from sandbox.tasks import run_demo_job  # imports Celery only where a queue is used

    run_demo_job.apply_async(args=[run.key, run.params, job], task_id=job, expires=ttl)


def execute_job(key: str, params: dict[str, Any], job: str) -> None:
    """The worker's side: run, cache the result (run_demo does) or the failure, release the lock."""
    ckey = None
    try:
        run = runner.prepare(key, params)
        ckey = run.cache_key
        runner.run_demo(key, params)
    except runner.SandboxError as exc:
        temporary = isinstance(exc, (runner.DemoTimeout, runner.DemoBusy))
        cache.set(error_key(job), {"message": str(exc), "temporary": temporary}, ERROR_TTL_S)
    except Exception as exc:  # anything else is a bug; the learner still gets an answer
        log.exception("demo job %s (%s) failed", job, key)
        cache.set(error_key(job), {"message": f"Demo {key!r} failed: {type(exc).__name__}.", "temporary": False},
                  ERROR_TTL_S)
    finally:
        if ckey is not None and cache.get(lock_key(ckey)) == job:
            cache.delete(lock_key(ckey))
