"""Production safeguards: a Content Security Policy on every page, and log-in lockouts that expire."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_allow_same_origin_scripts_only(client):
    policy = csp(client.get("/"))

    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_api_docs_page_has_no_inline_script_and_may_show_data_images(client):
    response = client.get("/api/docs/")
    html = response.content.decode()

    assert "<script>" not in html and "?script" in html  # its setup script is a same-origin URL
    assert "data:" in csp(response)["img-src"] and csp(response)["script-src"] == ["'self'"]
    script = client.get("/api/docs/?script")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def fail(api_client_or_client, path, username, times, **extra):
    for _ in range(times):
        api_client_or_client.post(path, {"username": username, "password": "wrong guess"}, **extra)


def test_the_token_endpoint_locks_a_username_out_after_five_failures_for_fifteen_minutes(client, alice):
    fail(client, TOKEN, "alice", 5)

    locked = client.post(TOKEN, {"username": "alice", "password": "correct horse 1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.json()["detail"]
    assert int(locked["Retry-After"]) == 15 * 60

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert client.post(TOKEN, {"username": "alice", "password": "correct horse 1"}).status_code == 200


def test_the_web_log_in_locks_out_too_and_the_lockout_is_per_username(client, alice, bob):
    fail(client, "/accounts/login/", "alice", 5)

    assert client.post("/accounts/login/", {"username": "alice", "password": "correct horse 1"}).status_code == 429
    bob_login = client.post("/accounts/login/", {"username": "bob", "password": "correct horse 2"})
    assert bob_login.status_code == 302  # another learner behind the same address is not locked out


def test_four_failures_then_a_success_reset_the_count(client, alice):
    fail(client, TOKEN, "alice", 4)
    assert client.post(TOKEN, {"username": "alice", "password": "correct horse 1"}).status_code == 200

    fail(client, TOKEN, "alice", 4)
    assert client.post(TOKEN, {"username": "alice", "password": "correct horse 1"}).status_code == 200


def test_a_username_with_a_nul_byte_is_a_400_not_a_database_error(client):
    # Found by the schema fuzz run on PostgreSQL, which refuses NUL bytes in text.
    response = client.post(TOKEN, {"username": "ali\x00ce", "password": "x"}, content_type="application/json")
    assert response.status_code == 400 and "username" in response.json()
