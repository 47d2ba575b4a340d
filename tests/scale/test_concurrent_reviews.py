"""Two reviews of one card by one learner at the same moment: both recorded, one after the other.

Real threads (each its own connection and transaction), released together by a
barrier, on PostgreSQL (row locks) and on SQLite (IMMEDIATE transactions queue behind
the database's write lock, with a busy timeout, in WAL mode).
"""

from datetime import datetime, timezone

from django.utils import timezone as django_timezone

import pytest
from rest_framework.test import APIClient

from study import scheduling
from concepts.content import load_content
from concepts.models import Concept
from study.models import CardState, ReviewLog
from tests.scale.conftest import in_parallel

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def relu(mini_content, write_content):
    load_content(write_content(mini_content))
    return Concept.objects.get(slug="mini-relu")


def review(user, concept, rating, **kwargs):
    return lambda: scheduling.review_card(user=user, concept=concept, rating=rating, now=NOW, **kwargs)


def test_two_simultaneous_first_reviews_make_one_card_state_and_two_log_entries(alice, relu):
    results = in_parallel(review(alice, relu, 3), review(alice, relu, 1))

    assert [created for _, created in results] == [True, True]
    assert CardState.objects.filter(user=alice, concept=relu).count() == 1
    logs = list(ReviewLog.objects.filter(user=alice, concept=relu).order_by("id"))
    assert len(logs) == 2
    # One of them met the new card; the other was applied to the state the first left.
    assert [log.was_new for log in logs] == [True, False]
    assert logs[0].state_before is None and logs[1].state_before["reps"] == 1
    assert CardState.objects.get(user=alice, concept=relu).reps == 2


def test_simultaneous_reviews_of_a_reviewed_card_are_applied_in_turn(alice, relu):
    scheduling.review_card(user=alice, concept=relu, rating=3, now=NOW)

    in_parallel(*(review(alice, relu, rating) for rating in (2, 3, 4, 3)))

    logs = list(ReviewLog.objects.filter(user=alice, concept=relu).order_by("id"))
    assert len(logs) == 5
    assert [log.state_before["reps"] for log in logs[1:]] == [1, 2, 3, 4]  # a chain: no review read a stale state
    assert CardState.objects.get(user=alice, concept=relu).reps == 5


def test_undo_after_three_simultaneous_reviews_reverts_the_one_applied_last(alice, relu):
    scheduling.review_card(user=alice, concept=relu, rating=3, now=NOW)
    for attempt in range(5):
        # Each request takes its own time before waiting for the card's row lock, as the API does.
        in_parallel(*(lambda: scheduling.review_card(user=alice, concept=relu, rating=3, now=django_timezone.now())
                      for _ in range(3)))
        live = list(ReviewLog.objects.filter(user=alice, undone_at__isnull=True).order_by("id"))
        chain = sorted(live, key=lambda log: (log.state_before or {}).get("reps", 0))

        undone = scheduling.undo_last_review(user=alice, now=django_timezone.now())

        assert undone.pk == chain[-1].pk, f"attempt {attempt}: undid a review that was not applied last"
        state = CardState.objects.get(user=alice, concept=relu)
        assert state.reps == chain[-1].state_before["reps"] == len(live) - 1
        assert ReviewLog.objects.filter(user=alice, undone_at__isnull=True).count() == len(live) - 1


def test_the_same_idempotency_key_sent_twice_at_once_records_one_review(alice, relu):
    results = in_parallel(review(alice, relu, 3, idempotency_key="tap-1"), review(alice, relu, 3, idempotency_key="tap-1"))

    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert ReviewLog.objects.filter(user=alice).count() == 1
    assert CardState.objects.get(user=alice, concept=relu).reps == 1


def test_two_learners_reviewing_the_same_new_card_at_once_each_get_their_own_state(alice, bob, relu):
    in_parallel(review(alice, relu, 3), review(bob, relu, 3))

    assert CardState.objects.filter(concept=relu).count() == 2
    assert ReviewLog.objects.filter(concept=relu, was_new=True).count() == 2


def test_simultaneous_review_requests_through_the_api_are_both_recorded(alice, relu):
    def post(rating):
        def call():
            client = APIClient()
            client.force_authenticate(alice)
            return client.post("/api/flashcards/mini-relu/review/", {"rating": rating}, format="json").status_code
        return call

    statuses = in_parallel(post(3), post(4))

    assert statuses == [201, 201]
    assert ReviewLog.objects.filter(user=alice, concept=relu).count() == 2
    assert CardState.objects.get(user=alice, concept=relu).reps == 2
