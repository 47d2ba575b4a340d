"""A learner deletes their account with all its data, after giving the password."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from study.models import CardState, LearnerProfile, QuizItem, QuizSession, ReviewLog

pytestmark = pytest.mark.django_db

OWNED = (CardState, ReviewLog, QuizSession, LearnerProfile, Token)


def _counts(user) -> dict[str, int]:
    counts = {model.__name__: model.objects.filter(user=user).count() for model in OWNED}
    counts["QuizItem"] = QuizItem.objects.filter(session__user=user).count()
    return counts


def test_deleting_the_account_removes_everything_it_owns_and_nothing_else(studied, api, alice, bob):
    assert all(_counts(alice).values())
    bobs = _counts(bob)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=alice).key}")
    response = api.delete(reverse("api:me"), {"password": "correct horse 1"}, format="json")
    assert response.status_code == 204
    assert not User.objects.filter(username="alice").exists()
    assert _counts(alice) == dict.fromkeys(bobs, 0)
    assert _counts(bob) == bobs


def test_the_deleted_accounts_token_no_longer_works(studied, api, alice):
    key = Token.objects.get(user=alice).key
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api.delete(reverse("api:me"), {"password": "correct horse 1"}, format="json")
    response = api.get(reverse("api:me-export"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (401, 403) and response.json() == {"detail": "Invalid token."}


def test_a_wrong_password_deletes_nothing_and_names_the_field(studied, api, alice):
    before = _counts(alice)
    api.force_authenticate(alice)
    response = api.delete(reverse("api:me"), {"password": "correct horse 2"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"password": ["The password is not correct; nothing was deleted."]}
    assert User.objects.filter(username="alice").exists() and _counts(alice) == before


def test_a_missing_password_is_refused(studied, api, alice):
    api.force_authenticate(alice)
    response = api.delete(reverse("api:me"), {}, format="json")
    assert response.status_code == 400 and "password" in response.json()
    assert User.objects.filter(username="alice").exists()


def test_deleting_needs_a_signed_in_learner(studied, api):
    assert api.delete(reverse("api:me"), {"password": "correct horse 1"}, format="json").status_code in (401, 403)
    assert User.objects.filter(username="alice").exists()


def test_deleting_the_account_removes_its_log_in_records_and_sessions_and_no_one_elses(studied, client, alice, bob):
    client.post(reverse("login"), {"username": "alice", "password": "correct horse 1"})  # a session and an access log
    Client().post(reverse("login"), {"username": "alice", "password": "wrong"})  # a failed attempt
    Client().post(reverse("login"), {"username": "bob", "password": "correct horse 2"})
    assert AccessLog.objects.filter(username="alice").exists() and AccessAttempt.objects.filter(username="alice")
    assert Session.objects.count() == 2

    response = client.delete(reverse("api:me"), {"password": "correct horse 1"}, content_type="application/json")

    assert response.status_code == 204
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert not model.objects.filter(username="alice").exists(), model.__name__
    assert [s.get_decoded()[SESSION_KEY] for s in Session.objects.all()] == [str(bob.pk)]
    assert AccessLog.objects.filter(username="bob").exists()
