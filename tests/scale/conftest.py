"""Helpers for the scale-out tests: real parallel threads (PostgreSQL or SQLite), a fake queue."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from sandbox import jobs


def in_parallel(*calls):
    """Run each callable in its own thread, all released at once by a barrier; return their results in order.

    Each thread has its own database connection (Django's are per thread), closed
    when it is done, so that the test database can be dropped at the end.
    """
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait(timeout=10)
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [f.result(timeout=60) for f in futures]


class FakeQueue:
    """Stands in for Celery: records what would be sent, and runs a job when told to."""

    def __init__(self):
        self.sent: list[tuple[str, dict, str]] = []
        self.fail_to_send = False
        self._lock = threading.Lock()

    def enqueue(self, run, job, ttl):
        if self.fail_to_send:
            raise ConnectionError("broker down")
        with self._lock:
            self.sent.append((run.key, run.params, job))

    def work(self):
        """Run every job sent so far, as a worker would."""
        while self.sent:
            key, params, job = self.sent.pop(0)
            jobs.execute_job(key, params, job)


@pytest.fixture
def fake_queue(settings, monkeypatch):
    """SANDBOX_QUEUE=celery, with the queue replaced by a FakeQueue (no broker, no worker)."""
    settings.SANDBOX_QUEUE = "celery"
    queue = FakeQueue()
    monkeypatch.setattr(jobs, "enqueue", queue.enqueue)
    return queue
