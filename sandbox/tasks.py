"""Celery tasks (SANDBOX_QUEUE=celery): the worker side of sandbox/jobs.py.

This module imports `sandbox.jobs`, never the other way round: jobs sends the task
by its name (`jobs.TASK_NAME`) through the project's Celery app.
"""

from __future__ import annotations

from quizsite.celery import app
from sandbox import jobs


@app.task(name=jobs.TASK_NAME, ignore_result=True)
def run_demo_job(key: str, params: dict, job: str) -> None:
    """Run one demo job: `jobs.execute_job` runs it in a killable forkserver child and stores what it gives."""
    jobs.execute_job(key, params, job)
