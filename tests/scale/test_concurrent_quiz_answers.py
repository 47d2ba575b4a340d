"""Quiz answers sent at the same moment: each question recorded once, each card reviewed once.

Real threads, released together by a barrier, on PostgreSQL and on SQLite (see test_concurrent_reviews).
"""

import random
from datetime import datetime, timezone

import pytest
from rest_framework.test import APIClient

from study import quizzes
from concepts.content import load_content
from study.models import CardState, QuizItem, QuizSession, ReviewLog, ReviewSource
from tests.scale.conftest import in_parallel

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def quiz(alice, mini_content, write_content):
    """Alice's scheduled quiz over the five mini-relu questions (one concept, a new card)."""
    load_content(write_content(mini_content))
    return quizzes.start_quiz(user=alice, topics=["mini"], length=5, rng=random.Random(0))


def item_of(quiz, slug) -> QuizItem:
    return quiz.items.select_related("question").get(question__slug=slug)


def answer(quiz_pk, item_pk, response):
    def call():
        session = QuizSession.objects.get(pk=quiz_pk)
        item = QuizItem.objects.select_related("question").get(pk=item_pk)
        return quizzes.answer(session=session, item=item, response=response, now=NOW)
    return call


def test_one_question_answered_twice_at_once_is_recorded_once(quiz):
    item = item_of(quiz, "mini-tf")

    outcomes = in_parallel(answer(quiz.pk, item.pk, True), answer(quiz.pk, item.pk, False))

    assert sorted(o.created for o in outcomes) == [False, True]
    item.refresh_from_db()
    winner = next(o for o in outcomes if o.created)
    assert item.response == (winner.grade.correct is True)  # the stored answer is the winner's
    assert {o.grade.correct for o in outcomes} == {item.is_correct}  # and the loser is told the same result
    assert ReviewLog.objects.filter(source=ReviewSource.QUIZ).count() == 1


def test_two_questions_on_one_new_card_answered_at_once_review_the_card_once(quiz, alice):
    tf, numeric = item_of(quiz, "mini-tf"), item_of(quiz, "mini-numeric")

    outcomes = in_parallel(answer(quiz.pk, tf.pk, True), answer(quiz.pk, numeric.pk, 4))

    assert [o.created for o in outcomes] == [True, True]
    assert QuizItem.objects.filter(session=quiz, answered_at__isnull=False).count() == 2
    assert ReviewLog.objects.filter(user=alice, source=ReviewSource.QUIZ).count() == 1
    assert CardState.objects.get(user=alice, concept__slug="mini-relu").reps == 1


def test_the_same_answer_posted_twice_at_once_through_the_api_gives_201_then_200(quiz, alice):
    position = item_of(quiz, "mini-tf").position

    def post():
        client = APIClient()
        client.force_authenticate(alice)
        return client.post(f"/api/quizzes/{quiz.pk}/answers/", {"position": position, "response": True},
                           format="json").status_code

    assert sorted(in_parallel(post, post)) == [200, 201]
    assert QuizItem.objects.filter(session=quiz, answered_at__isnull=False).count() == 1
