"""Text no column can store is a 400 naming the field, and nothing is stored.

The twelve inputs the hardening run (issue 12) answered with 500 on PostgreSQL:
lone surrogates in JSON bodies, NUL characters in query parameters and forms, and
values longer than their column or outside its check constraint.
"""

import json

import pytest
from django.utils import translation
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from study.models import CardState, LearnerProfile, QuizSession, ReviewLog
from quizsite.inputs import text_problem

SURROGATE = "x\ud800"


@translation.override("en")
def test_text_problem_names_nul_surrogates_and_length():
    assert text_problem("ok") is None and text_problem("é한") is None
    assert "Null characters" in text_problem("a\x00b")
    assert "surrogate" in text_problem(SURROGATE)
    assert text_problem("a" * 65, 64) == "Ensure this value has at most 64 characters (it has 65)."
    assert text_problem("a" * 64, 64) is None


def _json(api, method, url, body):
    # Escaped as an attacker sends it: "\ud800" is valid JSON that decodes to a lone surrogate.
    return getattr(api, method)(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def quiz_of_alice(as_alice, content):
    response = as_alice.post("/api/quizzes/", {"kinds": ["short", "numeric"], "length": 2}, format="json")
    assert response.status_code == 201
    return response.data


@pytest.mark.django_db
def test_a_lone_surrogate_in_the_token_username_is_a_400(api, alice):
    response = _json(api, "post", "/api/auth/token/", {"username": SURROGATE, "password": "x"})
    assert response.status_code == 400 and list(response.json()) == ["username"]


def test_a_lone_surrogate_in_the_profile_timezone_is_a_400_and_not_stored(as_alice):
    response = _json(as_alice, "patch", "/api/profile/", {"timezone": SURROGATE})
    assert response.status_code == 400 and list(response.json()) == ["timezone"]
    assert LearnerProfile.objects.filter(timezone__contains="x").count() == 0


def test_a_lone_surrogate_in_quiz_kinds_is_a_400_and_no_quiz_is_made(as_alice, content):
    response = _json(as_alice, "post", "/api/quizzes/", {"kinds": [SURROGATE]})
    assert response.status_code == 400 and list(response.json()) == ["kinds"]
    assert not QuizSession.objects.exists()


@pytest.mark.parametrize("kind", ["short", "numeric"])
def test_a_lone_surrogate_in_a_short_or_numeric_answer_is_a_400_and_not_stored(as_alice, quiz_of_alice, kind):
    item = next(i for i in quiz_of_alice["items"] if i["question"]["kind"] == kind)
    response = _json(as_alice, "post", f"/api/quizzes/{quiz_of_alice['id']}/answers/",
                     {"position": item["position"], "response": "4" + SURROGATE})
    assert response.status_code == 400 and list(response.json()) == ["response"]
    assert not ReviewLog.objects.exists()


def test_a_nul_in_the_due_queue_topic_is_a_400(as_alice, content):
    response = as_alice.get("/api/flashcards/due/", {"topic": "mi\x00ni"})
    assert response.status_code == 400 and list(response.json()) == ["topic"]


@pytest.mark.django_db
def test_a_nul_in_the_public_library_topic_is_a_400_naming_it(client):
    response = client.get("/concepts/", {"topic": "mi\x00ni"})
    assert response.status_code == 400 and "topic" in response.content.decode()


def test_a_nul_in_the_review_page_topic_is_a_400(client, alice, content):
    client.force_login(alice)
    response = client.get("/review/", {"topic": "mi\x00ni"})
    assert response.status_code == 400 and "topic" in response.content.decode()


@pytest.mark.parametrize("field, value", [
    ("topic", "mi\x00ni"),
    ("key", "k" * 100),  # the column is varchar(64)
    ("key", "k\x00"),
    ("duration_ms", "-5"),  # a check constraint: not negative
])
def test_bad_fields_on_the_web_review_are_a_400_naming_the_field_and_nothing_is_stored(
        client, alice, content, field, value):
    client.force_login(alice)
    response = client.post("/review/mini-relu/grade/", {"rating": "3", field: value})
    assert response.status_code == 400 and field in response.content.decode()
    assert not ReviewLog.objects.exists() and not CardState.objects.exists()


@pytest.mark.django_db
def test_an_over_long_sign_up_email_is_a_400_not_a_column_overflow(api):
    response = _json(api, "post", "/api/auth/signup/",
                     {"username": "minji", "password": "a long passphrase 42", "email": "a" * 250 + "@example.com"})
    assert response.status_code == 400 and list(response.json()) == ["email"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_over_long_token_username_is_a_400(api):
    response = _json(api, "post", "/api/auth/token/", {"username": "u" * 300, "password": "x"})
    assert response.status_code == 400 and list(response.json()) == ["username"]


def test_a_nul_in_a_json_key_is_refused_too(as_alice):
    response = _json(as_alice, "patch", "/api/profile/", {"time\x00zone": "UTC"})
    assert response.status_code == 400


def test_clean_text_still_goes_through(as_alice, content):
    response = as_alice.get("/api/flashcards/due/", {"topic": "mini", "lang": "ko"})
    assert response.status_code == 200
    assert APIClient().get("/api/concepts/", {"q": "렐루 ReLU"}).status_code == 200


@pytest.mark.django_db
def test_an_over_long_username_on_the_web_log_in_is_a_failed_log_in_not_a_column_overflow(client):
    # Django's log-in form passes it to authenticate(); django-axes records the failure with the name cut to its column.
    response = client.post("/accounts/login/", {"username": "u" * 300, "password": "x"})
    assert response.status_code == 200 and "username" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/topics/mini%00/", "/api/concepts/mini-relu%00/"])
def test_a_nul_in_the_path_is_a_404(api, path):
    response = api.get(path)
    assert response.status_code == 404 and list(response.json()) == ["detail"]
