"""The OpenAPI schema validates, the docs are served locally, and a schema-driven fuzz run passes every check."""

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance
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
# Text with a NUL is refused by every endpoint (quizsite/inputs.py, tested on its own in test_input_fuzz.py),
# as the schema's description says; OpenAPI cannot express that per field, so it is not generated as valid.
schema.config.generation.update(allow_x00=False)


@schema.auth()
class FuzzToken:
    """The fuzz learner's token, given through schemathesis so that its auth checks know it is the real one."""

    key: str | None = None

    def get(self, case, context):
        return FuzzToken.key

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


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
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_endpoint_passes_every_schemathesis_check(case, fuzz_user, keep_db_connection):
    """`--checks all`: no 5xx, every status code and body as documented, valid input taken, invalid refused, auth enforced.

    One exception: sign-up's password policy (common passwords, passwords like the
    username) cannot be written in OpenAPI, so a schema-valid password may still be
    refused with a 400 naming `password`; sign-up skips only the check that
    schema-valid input is always accepted.
    """
    FuzzToken.key = fuzz_user
    excluded = [positive_data_acceptance] if case.operation.label == "POST /api/auth/signup/" else []
    case.call_and_validate(excluded_checks=excluded)
