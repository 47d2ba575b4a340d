"""A quiz summary that teaches: the missed questions with the learner's answer, the right one and why,
and "study these", which puts their cards into today's flashcards (web and API, idempotent)."""

import re
from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from study import quizzes, scheduling
from concepts.content import load_content
from concepts.models import Concept
from study.models import CardState, QuizItem, QuizSession

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def quiz(alice, mini_content, write_content):
    """alice's finished quiz: numeric and true/false wrong, single right, short left unanswered."""
    load_content(write_content(mini_content))
    with time_machine.travel(NOW, tick=False):
        session = quizzes.start_quiz(user=alice, kinds=["single", "true_false", "numeric", "short"], length=4,
                                     practice=True)
        items = {i.question.slug: i for i in session.items.select_related("question")}
        for slug, response in (("mini-numeric", "5 MB"), ("mini-tf", False)):
            quizzes.answer(session=session, item=items[slug], response=response, now=NOW)
        right = items["mini-single"].question.choices.get(is_correct=True).pk
        quizzes.answer(session=session, item=items["mini-single"], response=right, now=NOW)
        quizzes.finish(session, now=NOW)
    return session


def test_the_summary_lists_missed_questions_with_both_answers_and_the_explanation(client, alice, quiz):
    client.force_login(alice)
    page = client.get(reverse("concepts:quiz-summary", args=[quiz.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("data-missed=") == 3 and 'data-missed="mini-single"' not in page
    assert "5 MB" in page and "4 MB (± 0.1)" in page and "4 bytes × 10^6" in page
    assert "Your answer:</strong> False" in page and "Right answer:</strong> True" in page
    assert "not answered" in page
    short = re.search(r"Right answer:</strong> ([^<]*)</p>", page[page.index("not answered"):]).group(1)
    assert sorted(short.split(" / ")) == ["dead relu", "dying relu", "죽은 렐루"] and short.endswith("죽은 렐루")
    assert "Study these" in page


def test_study_these_makes_the_cards_due_now_and_is_idempotent(client, alice, quiz):
    relu = Concept.objects.get(slug="mini-relu")
    later = NOW + timedelta(days=9)
    CardState.objects.create(user=alice, concept=relu, due=later, state=CardState.State.REVIEW, reps=3,
                             stability=9.0, difficulty=5.0, last_review=NOW)
    client.force_login(alice)
    study_time = NOW + timedelta(hours=2)
    with time_machine.travel(study_time, tick=False):
        response = client.post(reverse("concepts:quiz-study-missed", args=[quiz.pk]), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302 and response["Location"] == reverse("concepts:review")
        state = CardState.objects.get(user=alice, concept=relu)
        assert state.due == study_time and state.stability == 9.0 and state.reps == 3
        assert [e.concept.slug for e in scheduling.due_queue(alice, now=study_time)][:1] == ["mini-relu"]
        client.post(reverse("concepts:quiz-study-missed", args=[quiz.pk]))
    assert CardState.objects.filter(user=alice).count() == 1
    assert CardState.objects.get(user=alice, concept=relu).due == study_time


def test_study_these_over_the_api_returns_the_cards_and_a_never_studied_card_becomes_due(alice, bob, quiz):
    api = APIClient()
    api.force_authenticate(alice)
    with time_machine.travel(NOW, tick=False):
        first = api.post(reverse("api:quiz-study-missed", args=[quiz.pk])).json()
        again = api.post(reverse("api:quiz-study-missed", args=[quiz.pk])).json()
    assert first["cards"] == again["cards"] == ["mini-relu"]
    state = CardState.objects.get(user=alice)
    assert state.reps == 0 and state.due == NOW  # new card, due now: in the due queue, not behind the new-card limit
    assert scheduling.queue_counts(alice, now=NOW) == {"due": 1, "new": 1}
    api.force_authenticate(bob)
    assert api.post(reverse("api:quiz-study-missed", args=[quiz.pk])).status_code == 404


def test_the_api_summary_names_the_missed_questions(alice, quiz):
    api = APIClient()
    api.force_authenticate(alice)
    summary = api.get(reverse("api:quiz-summary", args=[quiz.pk]), HTTP_ACCEPT_LANGUAGE="ko").json()
    missed = {m["question"]: m for m in summary["missed"]}
    assert set(missed) == {"mini-numeric", "mini-tf", "mini-short"}
    assert missed["mini-numeric"] == {
        "position": missed["mini-numeric"]["position"], "question": "mini-numeric", "concept": "mini-relu",
        "prompt": "fp32 파라미터 100만 개는 몇 MB?", "your_answer": "5 MB", "right_answer": "4 MB (± 0.1)",
        "explanation": "4바이트 × 10^6"}
    assert missed["mini-short"]["your_answer"] is None
    assert QuizItem.objects.filter(session=quiz, answered_at__isnull=False).count() == 3
    assert QuizSession.objects.get(pk=quiz.pk).finished_at == NOW
