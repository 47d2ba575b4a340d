"""End to end with a real Celery worker: many requests, one job, the result through the shared cache.

Runs in the scaled pass (`python3.11 dev.py test --scaled`), which starts a worker
and sets SANDBOX_QUEUE=celery, CELERY_BROKER_URL and a Redis CACHE_URL for it.
"""

import os
import time

import pytest
from django.core.cache import cache

from sandbox import jobs, runner
from tests.scale.conftest import in_parallel

pytestmark = pytest.mark.skipif(
    os.environ.get("SANDBOX_QUEUE") != "celery" or not os.environ.get("CACHE_URL", "").startswith("redis"),
    reason="needs a running Celery worker and a shared Redis cache (python3.11 dev.py test --scaled starts them)",
)

RUN = "/api/demos/perceptron/run/?epochs=37&hidden=5&lang=en"
pytestmark = [pytestmark, pytest.mark.django_db(transaction=True)]  # the worker writes results to the database


@pytest.fixture
def queued(settings):
    settings.SANDBOX_QUEUE = "celery"


def test_concurrent_requests_queue_one_job_that_a_worker_runs_and_every_poller_then_reads(queued, client):
    responses = in_parallel(*[lambda: client.get(RUN)] * 8)

    assert {r.status_code for r in responses} == {202}
    assert len({r.json()["job"] for r in responses}) == 1
    poll = responses[0].json()["poll"]

    deadline = time.monotonic() + 90  # the worker's first job also starts its forkserver (torch import)
    while (done := client.get(poll)).status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.25)

    assert done.status_code == 200, done.content
    body = done.json()
    assert body["params"] == {"epochs": 37, "perceptron_lr": 1.0, "learning_rate": 0.05, "hidden": 5}
    assert body["values"] == runner.run_demo("perceptron", {"epochs": 37, "hidden": 5}).values  # same numbers here
    assert client.get(RUN).json()["cached"] is True  # later learners get it at once
    assert cache.get(jobs.lock_key(runner.prepare("perceptron", {"epochs": 37, "hidden": 5}).cache_key)) is None
