"""A learner downloads their own review history and quiz results, as JSON or CSV, and nobody else's."""

import csv
import io
import json

import pytest
from django.urls import reverse

from study.models import QuizSession, ReviewLog

pytestmark = pytest.mark.django_db


def test_the_json_download_holds_the_learners_reviews_quizzes_and_card_states(studied, api, alice):
    api.force_authenticate(alice)
    response = api.get(reverse("api:me-export"), {"format": "json"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="dlprep-alice-')
    data = json.loads(response.content)
    assert data["account"]["username"] == "alice"
    assert [(r["concept"], r["rating"], r["duration_ms"]) for r in data["reviews"]] == [("mini-relu", 3, 4200)]
    [quiz] = data["quizzes"]
    assert quiz["answers"] == [{"position": 1, "question": "mini-tf", "response": True, "is_correct": True,
                                "score": 1.0, "answered_at": "2025-03-01T09:05:00+00:00"}]
    assert [s["concept"] for s in data["card_states"]] == ["mini-relu"]


def test_json_is_the_default_format(studied, api, alice):
    api.force_authenticate(alice)
    assert json.loads(api.get(reverse("api:me-export")).content)["format"] == "dlprep-learner-export"


def test_the_csv_download_has_one_row_per_review_and_quiz_answer(studied, api, alice):
    api.force_authenticate(alice)
    response = api.get(reverse("api:me-export"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    reviews = [r for r in rows if r["record"] == "review"]
    answers = [r for r in rows if r["record"] == "quiz_answer"]
    assert reviews[0]["concept"] == "mini-relu" and reviews[0]["rating"] == "3" and reviews[0]["duration_ms"] == "4200"
    assert [(a["question"], a["response"], a["is_correct"]) for a in answers] == [("mini-tf", "true", "True")]


def test_one_learner_never_sees_another_learners_data(studied, api, alice, bob):
    api.force_authenticate(bob)
    data = json.loads(api.get(reverse("api:me-export")).content)
    assert data["account"]["username"] == "bob"
    assert {r["id"] for r in data["reviews"]} == set(ReviewLog.objects.filter(user=bob).values_list("pk", flat=True))
    assert {q["id"] for q in data["quizzes"]} == set(QuizSession.objects.filter(user=bob).values_list("pk", flat=True))
    assert "mini-relu" not in json.dumps(data) and "alice" not in json.dumps(data)

    rows = list(csv.DictReader(io.StringIO(api.get(reverse("api:me-export"), {"format": "csv"}).content.decode())))
    assert {r["concept"] for r in rows if r["record"] == "review"} == {"mini-sigmoid"}
    assert {int(r["quiz"]) for r in rows if r["record"] == "quiz_answer"} == {q["id"] for q in data["quizzes"]}


def test_the_download_needs_a_signed_in_learner(studied, api):
    assert api.get(reverse("api:me-export")).status_code in (401, 403)


def test_an_unknown_format_is_refused_with_the_field_named(studied, api, alice):
    api.force_authenticate(alice)
    response = api.get(reverse("api:me-export"), {"format": "xml"})
    assert response.status_code == 400 and response.json() == {"format": ["Use 'json' or 'csv'."]}


def test_a_learner_with_no_history_gets_empty_lists(content, api, carol):
    api.force_authenticate(carol)
    data = json.loads(api.get(reverse("api:me-export")).content)
    assert (data["profile"], data["reviews"], data["quizzes"], data["card_states"]) == (None, [], [], [])
