"""A cache outage degrades, never fails: with Redis unreachable, the catalogue, sign-up and reviews still answer.

The cache is pointed at a port where nothing listens (the Redis cache that
CACHE_URL selects), so every cache call raises a connection error; the throttles
let requests through with a logged warning.
"""

import logging
import socket
import threading

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from study.models import CardState, ReviewLog

DEAD_REDIS = {"default": {"BACKEND": "quizsite.redis_cache.RedisCache",
                          "LOCATION": "redis://127.0.0.1:6399/5", "KEY_PREFIX": "dlprep"}}


@pytest.fixture
def dead_cache():
    with override_settings(CACHES=DEAD_REDIS):
        with pytest.raises(Exception):  # noqa: B017 - the precondition: the cache really is unreachable
            cache.get("anything")
        yield


def test_catalogue_signup_and_a_review_answer_while_the_cache_is_unreachable(content, dead_cache, caplog):
    api = APIClient()
    with caplog.at_level(logging.WARNING, logger="quizsite.throttling"):
        topics = api.get("/api/topics/")
        concepts = api.get("/api/concepts/?lang=en")
        signup = api.post("/api/auth/signup/", {"username": "minji", "password": "a long passphrase 42"},
                          format="json")
        api.credentials(HTTP_AUTHORIZATION=f"Token {signup.data['token']}")
        due = api.get("/api/flashcards/due/?limit=3")
        review = api.post("/api/flashcards/mini-relu/review/", {"rating": 3}, format="json")
        undo = api.post("/api/flashcards/undo/")
        review_again = api.post("/api/flashcards/mini-relu/review/", {"rating": 4}, format="json")

    assert [r.status_code for r in (topics, concepts, signup, due, review, undo, review_again)] == [
        200, 200, 201, 200, 201, 200, 201]
    assert [t["slug"] for t in topics.data["results"]] == ["mini"]
    assert ReviewLog.objects.filter(user__username="minji", undone_at__isnull=True).count() == 1
    assert CardState.objects.get(user__username="minji").reps == 1
    assert any("cache is unreachable" in r.getMessage() for r in caplog.records)


def test_a_cache_that_accepts_connections_but_never_answers_costs_a_timeout_not_a_hang(content, monkeypatch,
                                                                                        caplog):
    """A Redis host that has gone silent (packets dropped, a stuck server): the kernel completes the TCP
    handshake for this listening socket, and nothing ever replies. Each cache call gives up after
    CACHE_TIMEOUT_S (redis-py's own default is 5 s, per call) and the request degrades."""
    from quizsite import env

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    monkeypatch.setenv("CACHE_URL", f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
    monkeypatch.setenv("CACHE_TIMEOUT_S", "0.2")
    statuses: list[int] = []

    def browse():
        api = APIClient()
        statuses.extend(api.get(path).status_code for path in ("/api/topics/", "/api/concepts/?lang=en"))

    try:
        with override_settings(CACHES={"default": env.cache()}), \
                caplog.at_level(logging.WARNING, logger="quizsite.throttling"):
            pool = cache._cache.get_client().connection_pool
            assert (pool.connection_kwargs["socket_timeout"], pool.connection_kwargs["socket_connect_timeout"]) == \
                (0.2, 0.2)
            worker = threading.Thread(target=browse, daemon=True)
            worker.start()
            worker.join(timeout=300)  # generous: a busy machine; a hang never ends
            assert not worker.is_alive(), "a request hung on a cache that does not answer"
    finally:
        silent.close()  # and with it, any connection still waiting
    assert statuses == [200, 200]
    assert any("cache is unreachable" in r.getMessage() and "Timeout" in r.getMessage() for r in caplog.records)


def test_web_pages_answer_while_the_cache_is_unreachable(content, dead_cache, alice, client):
    assert client.get("/").status_code == 200
    assert client.get("/concepts/?q=relu").status_code == 200
    client.force_login(alice)
    assert client.get("/review/").status_code == 200
    response = client.post("/review/mini-relu/grade/", {"rating": "3", "key": "k1"})
    assert response.status_code == 302
    assert ReviewLog.objects.filter(user=alice).count() == 1
