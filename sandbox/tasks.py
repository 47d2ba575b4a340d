"""Celery tasks (SANDBOX_QUEUE=celery): the worker side of sandbox/jobs.py."""

from __future__ import annotations

from quizsite.celery import app
from sandbox import jobs


@app.task(name="sandbox.run_demo", ignore_result=True)
def run_demo_job(key: str, params: dict, job: str) -> None:
    """Run one demo through `sandbox.runner.run_demo` (a killable forkserver child); see `jobs.execute_job`."""
    jobs.execute_job(key, params, job)
