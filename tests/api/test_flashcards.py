"""Flashcards over the API: due queue, previews, reviews, undo, idempotency, isolation."""

import pytest
import time_machine
from django.urls import reverse

from study.models import CardState, ReviewLog

pytestmark = pytest.mark.django_db


def review(client, slug="mini-relu", **payload):
    return client.post(reverse("api:review", args=[slug]), {"rating": 3, **payload}, format="json")


@time_machine.travel("2026-03-02 03:00Z", tick=False)
def test_the_due_queue_lists_new_cards_with_the_interval_of_each_rating(as_alice, content):
    body = as_alice.get(reverse("api:due"), {"lang": "en"}).json()
    assert (body["due"], body["new"]) == (0, 2)
    first = body["cards"][0]
    assert first["is_new"] is True and first["concept"]["title"] == "ReLU"
    assert first["next_due"]["again"] == "2026-03-02T03:01:00Z"
    assert first["next_due"]["good"] == "2026-03-02T03:10:00Z"
    assert set(first["next_due"]) == {"again", "hard", "good", "easy"}


def test_the_queue_speaks_korean_by_accept_language(as_alice, content):
    body = as_alice.get(reverse("api:due"), HTTP_ACCEPT_LANGUAGE="ko").json()
    assert body["cards"][0]["concept"]["title"] == "렐루"


def test_a_review_reschedules_the_card_and_is_logged(as_alice, alice, content):
    with time_machine.travel("2026-03-02 03:00Z", tick=False):
        response = review(as_alice, rating=3, duration_ms=4200)
    assert response.status_code == 201
    body = response.json()
    assert body["created"] is True and body["review"]["due_after"] == "2026-03-02T03:10:00Z"
    assert ReviewLog.objects.get(user=alice).duration_ms == 4200
    with time_machine.travel("2026-03-02 03:11Z", tick=False):
        queue = as_alice.get(reverse("api:due")).json()
    assert queue["due"] == 1 and queue["cards"][0]["is_new"] is False


def test_a_repeated_submit_with_the_same_key_records_one_review(as_alice, content):
    first = review(as_alice, idempotency_key="tap-1")
    second = review(as_alice, idempotency_key="tap-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["created"] is False and first.json()["review"]["id"] == second.json()["review"]["id"]
    assert ReviewLog.objects.count() == 1


def test_undo_restores_the_previous_state(as_alice, content):
    review(as_alice, rating=3)
    review(as_alice, rating=1)
    response = as_alice.post(reverse("api:undo"))
    assert response.status_code == 200 and response.json()["rating"] == 1
    assert CardState.objects.get().reps == 1
    as_alice.post(reverse("api:undo"))
    assert as_alice.post(reverse("api:undo")).status_code == 404
    assert not CardState.objects.exists()


@pytest.mark.parametrize("payload, field", [
    ({"rating": 5}, "rating"), ({"rating": 0}, "rating"), ({"rating": "good"}, "rating"), ({}, "rating"),
    ({"rating": 3, "duration_ms": -5}, "duration_ms"), ({"rating": 3, "idempotency_key": "x" * 65}, "idempotency_key"),
])
def test_bad_reviews_are_refused_with_the_field_and_nothing_is_stored(as_alice, content, payload, field):
    response = as_alice.post(reverse("api:review", args=["mini-relu"]), payload, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not ReviewLog.objects.exists() and not CardState.objects.exists()


def test_reviewing_an_unknown_card_is_404(as_alice, content):
    assert review(as_alice, slug="no-such-card").status_code == 404


@pytest.mark.parametrize("params, field", [({"limit": "0"}, "limit"), ({"limit": "abc"}, "limit"),
                                           ({"lang": "fr"}, "lang")])
def test_bad_queue_parameters_are_400(as_alice, content, params, field):
    response = as_alice.get(reverse("api:due"), params)
    assert response.status_code == 400 and field in response.json()


def test_a_queue_of_an_unknown_topic_is_404_naming_it(as_alice, content):
    response = as_alice.get(reverse("api:due"), {"topic": "nope"})
    assert response.status_code == 404 and list(response.json()) == ["topic"]


def test_another_learner_sees_none_of_alices_reviews(as_alice, as_bob, content):
    review(as_alice, rating=3)
    assert as_bob.get(reverse("api:reviews")).json()["count"] == 0
    assert as_bob.post(reverse("api:undo")).status_code == 404
    assert as_bob.get(reverse("api:flashcard", args=["mini-relu"])).json()["is_new"] is True
    assert as_alice.get(reverse("api:reviews")).json()["count"] == 1
