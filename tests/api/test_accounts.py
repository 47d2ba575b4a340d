"""Sign-up, tokens, sessions, and the profile."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_signup_returns_a_token_that_authenticates(api):
    response = api.post(reverse("api:signup"), {"username": "dana", "password": "long enough pass 9"}, format="json")
    assert response.status_code == 201
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get(reverse("api:profile")).json() == {
        "desired_retention": 0.9, "timezone": "Asia/Seoul", "new_cards_per_day": 20, "language": ""}


@pytest.mark.parametrize("payload, field", [
    ({"username": "dana", "password": "123"}, "password"),
    ({"username": "alice", "password": "long enough pass 9"}, "username"),
    ({"username": "bad name!", "password": "long enough pass 9"}, "username"),
    ({"password": "long enough pass 9"}, "username"),
])
def test_signup_refuses_bad_input_with_the_field_named(api, alice, payload, field):
    response = api.post(reverse("api:signup"), payload, format="json")
    assert response.status_code == 400 and field in response.json()


def test_a_token_is_issued_for_the_right_password_only(api, alice):
    ok = api.post(reverse("api:token"), {"username": "alice", "password": "correct horse 1"}, format="json")
    assert ok.status_code == 200 and ok.json()["token"] == Token.objects.get(user=alice).key
    bad = api.post(reverse("api:token"), {"username": "alice", "password": "nope"}, format="json")
    assert bad.status_code == 401 and "non_field_errors" in bad.json() and bad["WWW-Authenticate"] == "Token"


def test_study_endpoints_need_authentication(api):
    for name in ("profile", "due", "quizzes", "stats"):
        assert api.get(reverse(f"api:{name}")).status_code in (401, 403)


@pytest.mark.parametrize("payload, field", [
    ({"desired_retention": 0.5}, "desired_retention"),
    ({"desired_retention": "high"}, "desired_retention"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"new_cards_per_day": -1}, "new_cards_per_day"),
])
def test_profile_updates_are_validated(as_alice, payload, field):
    response = as_alice.patch(reverse("api:profile"), payload, format="json")
    assert response.status_code == 400 and field in response.json()
    assert as_alice.get(reverse("api:profile")).json()["desired_retention"] == 0.9


def test_profile_update_is_saved(as_alice):
    response = as_alice.patch(reverse("api:profile"), {"desired_retention": 0.85, "timezone": "Europe/Berlin"},
                              format="json")
    assert response.status_code == 200
    assert as_alice.get(reverse("api:profile")).json()["timezone"] == "Europe/Berlin"
