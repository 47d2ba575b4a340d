"""Statistics per learner, and query counts of the study endpoints whatever the data size."""

from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from django.urls import reverse

from study import scheduling
from concepts.content import load_content
from concepts.models import Concept

pytestmark = pytest.mark.django_db


def test_stats_count_reviews_per_day_streak_and_forecast(as_alice, alice, content):
    relu = Concept.objects.get(slug="mini-relu")
    day1 = datetime(2026, 3, 1, 3, 0, tzinfo=timezone.utc)
    scheduling.review_card(user=alice, concept=relu, rating=1, now=day1)
    scheduling.review_card(user=alice, concept=relu, rating=4, now=day1 + timedelta(days=1))
    with time_machine.travel(day1 + timedelta(days=1, hours=1), tick=False):
        stats = as_alice.get(reverse("api:stats")).json()
    assert stats["today"] == "2026-03-02" and stats["streak_days"] == 2
    assert stats["reviews_per_day"][-2:] == [{"date": "2026-03-01", "reviews": 1, "again": 1},
                                             {"date": "2026-03-02", "reviews": 1, "again": 0}]
    assert len(stats["due_forecast"]) == 14 and sum(d["due"] for d in stats["due_forecast"]) == 1
    mini = next(t for t in stats["topics"] if t["topic"] == "mini")
    assert mini["cards_studied"] == 1 and 0.9 <= mini["retention"] <= 1.0


def test_stats_belong_to_their_learner(as_bob, alice, content):
    scheduling.review_card(user=alice, concept=Concept.objects.get(slug="mini-relu"), rating=3,
                           now=datetime.now(timezone.utc))
    stats = as_bob.get(reverse("api:stats")).json()
    assert stats["streak_days"] == 0 and sum(d["reviews"] for d in stats["reviews_per_day"]) == 0


@pytest.fixture
def big_library(mini_content, write_content):
    concepts = []
    for n in range(60):
        concept = {**mini_content["concepts"][0], "slug": f"c{n}", "related": []}
        concept["questions"] = [{**q, "slug": f"c{n}-{q['slug']}"} for q in concept["questions"]]
        concepts.append(concept)
    load_content(write_content({**mini_content, "concepts": concepts}))


def test_the_due_queue_uses_the_same_number_of_queries_for_20_and_60_cards(as_alice, alice, big_library,
                                                                          django_assert_max_num_queries):
    now = datetime.now(timezone.utc) - timedelta(days=30)
    for concept in Concept.objects.all()[:40]:
        scheduling.review_card(user=alice, concept=concept, rating=1, now=now)
    with django_assert_max_num_queries(12):
        body = as_alice.get(reverse("api:due"), {"limit": 100}).json()
    assert body["due"] == 40 and len(body["cards"]) == 60


def test_quiz_endpoints_use_a_bounded_number_of_queries(as_alice, big_library, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        quiz = as_alice.post(reverse("api:quizzes"), {"length": 50}, format="json").json()
    assert len(quiz["items"]) == 50
    with django_assert_max_num_queries(10):
        as_alice.get(reverse("api:quiz", args=[quiz["id"]]))
    # Answering may also review the concept's new card (FSRS state, log, profile): still a fixed count.
    with django_assert_max_num_queries(25):
        as_alice.post(reverse("api:quiz-answer", args=[quiz["id"]]), {"position": 1, "response": True}, format="json")
