"""Token authentication reads the learner's profile with the token (study/api/authentication.py):
no query of its own for the profile, the same profile as a separate read, the same errors as DRF's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from study import scheduling
from study.api.authentication import TokenAuthentication
from study.models import LearnerProfile

pytestmark = pytest.mark.django_db


def _with_token(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _profile_queries(queries) -> list[str]:
    """The queries that read a profile's row (not the due queue's counts, which only filter on the table)."""
    return [q["sql"] for q in queries if '"concepts_learnerprofile"."desired_retention"' in q["sql"]]


def test_the_due_queue_with_a_token_reads_the_profile_in_the_tokens_query(alice, content):
    LearnerProfile.objects.create(user=alice, new_cards_per_day=1)
    client = _with_token(alice)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("api:due"), {"lang": "en"}).json()
    assert len(body["cards"]) == 1 and body["new"] == 1  # the profile's limit, not the default 20
    profile_reads = _profile_queries(queries)
    assert len(profile_reads) == 1 and "authtoken_token" in profile_reads[0]


def test_a_profile_changed_by_one_request_is_what_the_next_reads(alice, content):
    client = _with_token(alice)
    assert client.get(reverse("api:profile")).json()["new_cards_per_day"] == 20  # made on first use
    assert LearnerProfile.objects.filter(user=alice).count() == 1
    assert client.patch(reverse("api:profile"), {"new_cards_per_day": 2}, format="json").status_code == 200
    assert client.get(reverse("api:profile")).json()["new_cards_per_day"] == 2
    assert len(client.get(reverse("api:due"), {"lang": "en"}).json()["cards"]) == 2


def test_profile_for_returns_the_joined_profile_or_reads_and_makes_one(alice, bob):
    LearnerProfile.objects.create(user=alice, desired_retention=0.8)
    user, _ = TokenAuthentication().authenticate_credentials(Token.objects.create(user=alice).key)
    with CaptureQueriesContext(connection) as queries:
        assert scheduling.profile_for(user).desired_retention == 0.8
    assert len(queries) == 0
    user, _ = TokenAuthentication().authenticate_credentials(Token.objects.create(user=bob).key)
    assert user.profile_from_token is None
    assert scheduling.profile_for(user) == LearnerProfile.objects.get(user=bob)  # none joined: made


def test_a_user_object_from_elsewhere_reads_its_profile_afresh_every_time(alice):
    scheduling.profile_for(alice)  # made: Django caches it on `alice` (user.learner), which is not used
    LearnerProfile.objects.filter(user=alice).update(new_cards_per_day=3)
    with CaptureQueriesContext(connection) as queries:
        assert scheduling.profile_for(alice).new_cards_per_day == 3
    assert len(queries) == 1


def test_a_bad_token_and_an_inactive_learners_token_are_refused_as_drf_refuses_them(alice, content):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")
    response = client.get(reverse("api:due"))
    # 403, not 401: the first authenticator (the session's) names no WWW-Authenticate scheme, as before
    assert response.status_code == 403 and response.json() == {"detail": "Invalid token."}
    client = _with_token(alice)
    alice.is_active = False
    alice.save()
    response = client.get(reverse("api:due"))
    assert response.status_code == 403 and response.json() == {"detail": "User inactive or deleted."}


def test_the_compiled_token_query_gives_what_the_orm_gives_in_one_query(alice):
    from study.api.authentication import token_with_user_and_profile

    LearnerProfile.objects.create(user=alice, desired_retention=0.85, timezone="Asia/Seoul")
    key = Token.objects.create(user=alice).key
    with CaptureQueriesContext(connection) as queries:
        token = token_with_user_and_profile(key)
        user, profile = token.user, token.user.learner  # joined: no query of their own
    assert len(queries) == 1
    expected = Token.objects.select_related("user", "user__learner").get(key=key)
    assert (token.key, token.user_id, token.created) == (expected.key, expected.user_id, expected.created)
    assert token.created.tzinfo is not None  # converted as the ORM converts (SQLite stores text)
    assert [getattr(user, f.attname) for f in user._meta.concrete_fields] == \
        [getattr(expected.user, f.attname) for f in user._meta.concrete_fields]
    assert (profile.pk, profile.desired_retention, profile.timezone) == (expected.user.learner.pk, 0.85, "Asia/Seoul")
    assert token._state.adding is False and token._state.db == "default"
    assert token_with_user_and_profile("no such key") is None
