"""Demo runs through a task queue (SANDBOX_QUEUE=celery), with the queue faked.

Runs on either cache: local memory in the default pass, Redis in the scaled one
(where `cache.add` is Redis SET NX). The real worker has its own test (test_worker.py).
"""

import pytest
from django.core.cache import cache

from sandbox import jobs, registry, runner
from tests.scale.conftest import in_parallel

RUN = "/api/demos/perceptron/run/?epochs=20"


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


def test_many_learners_asking_at_once_queue_one_job(fake_queue):
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


def test_a_failed_job_gives_its_message_to_pollers_and_the_next_request_queues_again(fake_queue, client, stub):
    poll = client.get("/api/demos/stub/run/?fail=true").json()["poll"]
    fake_queue.work()

    failed = client.get(poll)
    assert failed.status_code == 500
    assert "stub demo asked to fail" in failed.json()["detail"]

    retry = client.get("/api/demos/stub/run/?fail=true")
    assert retry.status_code == 202 and len(fake_queue.sent) == 1


def test_a_job_that_timed_out_in_its_worker_says_so(fake_queue, client, stub, settings):
    settings.SANDBOX_IN_PROCESS, settings.SANDBOX_TIMEOUT_S = False, 1  # as a worker runs: a forkserver child
    poll = client.get("/api/demos/stub/run/?seconds=30").json()["poll"]
    fake_queue.work()

    response = client.get(poll)

    assert response.status_code == 503
    assert "did not finish within 1 s" in response.json()["detail"]


def test_a_job_lost_with_its_worker_gives_a_clear_message_once_its_lock_expires(fake_queue, client):
    poll = client.get(RUN).json()["poll"]
    fake_queue.sent.clear()  # the worker died with the job
    cache.delete(jobs.lock_key(runner.prepare("perceptron", {"epochs": 20}).cache_key))  # the lock expired

    response = client.get(poll)

    assert response.status_code == 503
    assert "did not finish" in response.json()["detail"]
    assert fake_queue.sent == []  # a poll never queues; the next plain request does
    assert client.get(RUN).status_code == 202 and len(fake_queue.sent) == 1


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


def test_without_a_queue_the_api_runs_the_demo_in_the_request(client, settings):
    settings.SANDBOX_QUEUE = ""

    response = client.get(RUN)

    assert response.status_code == 200 and response.json()["cached"] is False
