"""Demo runs through a task queue (SANDBOX_QUEUE=celery), with the queue faked.

Runs on either cache: local memory in the default pass, Redis in the scaled one
(where `cache.add` is Redis SET NX). The real worker has its own test (test_worker.py).
"""

import threading
import time

import pytest
from django.core.cache import cache

from sandbox import jobs, registry, runner
from tests.scale.conftest import in_parallel

RUN = "/api/demos/perceptron/run/?epochs=20"

pytestmark = pytest.mark.django_db  # results and failures are stored in the database (sandbox/store.py)


@pytest.fixture
def stub(monkeypatch):
    monkeypatch.setitem(registry.DEMOS, "stub", "tests.sandbox.stub_demo")
    return "stub"


def test_a_cached_result_is_returned_at_once_and_nothing_is_queued(fake_queue, client):
    runner.run_demo("perceptron", {"epochs": 20})

    response = client.get(RUN)

    assert response.status_code == 200 and response.json()["cached"] is True
    assert fake_queue.sent == []


def test_a_miss_answers_202_computing_with_a_url_to_poll(fake_queue, client):
    response = client.get(RUN + "&lang=en")

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "computing" and body["params"]["epochs"] == 20
    assert body["poll"].endswith(f"epochs=20&lang=en&job={body['job']}") and response["Location"] == body["poll"]
    assert "no-store" in response["Cache-Control"]
    assert fake_queue.sent == [("perceptron", body["params"], body["job"])]


def test_many_learners_asking_at_once_queue_one_job(transactional_db, fake_queue):
    outcomes = in_parallel(*[lambda: jobs.request_run("perceptron", {"epochs": 20})] * 12)

    assert len(fake_queue.sent) == 1
    assert {o.job for o in outcomes} == {fake_queue.sent[0][2]}


def test_polling_gets_the_result_once_the_worker_is_done(fake_queue, client):
    poll = client.get(RUN).json()["poll"]
    assert client.get(poll).status_code == 202  # still queued: no second job
    assert len(fake_queue.sent) == 1

    fake_queue.work()

    response = client.get(poll)
    assert response.status_code == 200
    assert response.json()["values"] == runner.run_demo("perceptron", {"epochs": 20}).values
    assert cache.get(jobs.lock_key(runner.prepare("perceptron", {"epochs": 20}).cache_key)) is None


def test_a_failed_job_gives_its_message_to_pollers_and_is_not_queued_again_within_its_back_off(
        fake_queue, client, stub, settings):
    settings.SANDBOX_FAILURE_BACKOFF_S = 300
    poll = client.get("/api/demos/stub/run/?fail=true").json()["poll"]
    fake_queue.work()

    failed = client.get(poll)
    assert failed.status_code == 500
    assert "stub demo asked to fail" in failed.json()["detail"]

    retry = client.get("/api/demos/stub/run/?fail=true")  # remembered: answered at once, nothing queued
    assert retry.status_code == 500 and "asked to fail" in retry.json()["detail"]
    assert fake_queue.sent == []


def test_a_job_that_timed_out_in_its_worker_says_so(fake_queue, client, stub, settings):
    settings.SANDBOX_IN_PROCESS, settings.SANDBOX_TIMEOUT_S = False, 1  # as a worker runs: a forkserver child
    poll = client.get("/api/demos/stub/run/?seconds=30").json()["poll"]
    fake_queue.work()

    response = client.get(poll)

    assert response.status_code == 503
    assert "did not finish within 1 s" in response.json()["detail"]


def test_a_job_lost_with_its_worker_is_queued_again_once_then_gives_a_clear_message(fake_queue, client):
    lock = jobs.lock_key(runner.prepare("perceptron", {"epochs": 20}).cache_key)
    poll = client.get(RUN).json()["poll"]
    fake_queue.sent.clear()  # the worker died with the job
    cache.delete(lock)  # and its heartbeat stopped renewing the lock, which expired

    again = client.get(poll)
    assert again.status_code == 202 and len(fake_queue.sent) == 1  # queued once more, under a new job
    assert again.json()["job"] != poll.rsplit("job=", 1)[1]

    fake_queue.sent.clear()  # lost a second time
    cache.delete(lock)
    response = client.get(again.json()["poll"])
    assert response.status_code == 503 and "did not finish" in response.json()["detail"]
    assert fake_queue.sent == []
    assert client.get(RUN).status_code == 202 and len(fake_queue.sent) == 1  # a new request starts afresh


def test_a_broker_that_is_down_gives_503_and_leaves_no_lock(fake_queue, client):
    fake_queue.fail_to_send = True

    response = client.get(RUN)

    assert response.status_code == 503 and "not available" in response.json()["detail"]
    fake_queue.fail_to_send = False
    assert client.get(RUN).status_code == 202


def test_bad_parameters_are_refused_before_anything_is_queued(fake_queue, client):
    response = client.get("/api/demos/perceptron/run/?epochs=0")

    assert response.status_code == 400 and "epochs" in response.json()["errors"]
    assert fake_queue.sent == []


def test_the_web_panel_shows_computing_and_polls_every_second_until_the_result_fills_in(fake_queue, client):
    page = client.get("/demos/perceptron/?epochs=20", headers={"HX-Request": "true"}).content.decode()

    assert "data-demo-computing" in page and 'hx-trigger="every 1s"' in page
    job = fake_queue.sent[0][2]
    poll = f"/demos/perceptron/?epochs=20&job={job}"
    assert poll.replace("&", "&amp;") in page
    still = client.get(poll, headers={"HX-Request": "true"}).content.decode()
    assert "data-demo-computing" in still and "<form" not in still  # a poll answers with the result area alone

    fake_queue.work()

    done = client.get(poll, headers={"HX-Request": "true"}).content.decode()
    assert "data-demo-summary" in done and "every 1s" not in done


def test_without_a_queue_the_api_runs_the_demo_in_the_request_in_process_mode(client, settings):
    settings.SANDBOX_QUEUE = ""

    response = client.get(RUN)

    assert response.status_code == 200 and response.json()["cached"] is False


def test_a_running_job_keeps_its_lock_alive_with_a_heartbeat_and_releases_it_when_done(fake_queue, client, stub,
                                                                                       settings):
    settings.SANDBOX_JOB_HEARTBEAT_S = 1
    lock = jobs.lock_key(runner.prepare("stub", {"seconds": 2}).cache_key)
    client.get("/api/demos/stub/run/?seconds=2")
    job = fake_queue.sent[0][2]
    seen = []

    def watch():
        deadline = time.monotonic() + 1.8
        while time.monotonic() < deadline:
            seen.append(cache.get(lock))
            time.sleep(0.1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    fake_queue.work()  # the stub keeps torch busy for 2 s, longer than the 1 s lock expiry
    watcher.join()
    assert seen and set(seen) == {job}  # renewed while running, never expired
    assert cache.get(lock) is None
