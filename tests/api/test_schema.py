"""The OpenAPI schema validates, the docs are served locally, and a schema-driven fuzz run finds no 500."""

import pytest
import schemathesis
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from quizsite.wsgi import application


@pytest.mark.django_db
def test_the_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/flashcards/{slug}/review/" in out.read_text()


@pytest.mark.django_db
def test_the_interactive_docs_use_local_assets_only(client):
    html = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in html and "cdn." not in html and "unpkg" not in html


schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def fuzz_user(django_db_blocker, django_db_setup):
    """A learner with a token and the small content loaded, kept for the whole fuzz run."""
    from django.contrib.auth.models import User

    with django_db_blocker.unblock():
        user, _ = User.objects.get_or_create(username="fuzz")
        token, _ = Token.objects.get_or_create(user=user)
    return token.key


@pytest.fixture
def keep_db_connection():
    """schemathesis calls the WSGI app itself, whose request signals close "old" database connections.

    Inside a test's transaction that closes the test's own connection for good on
    PostgreSQL (SQLite's in-memory database ignores it); Django's test client
    disconnects the same handler for the same reason.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_endpoint_answers_500_to_generated_input(case, fuzz_user, keep_db_connection):
    response = case.call(headers={"Authorization": f"Token {fuzz_user}"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
