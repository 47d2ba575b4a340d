"""Every URL pattern, fed text no column can store, answers below 500 and stores nothing it cannot.

For each pattern of the URL conf (the API and the pages; the admin aside), Hypothesis
draws a method the pattern takes (GET with a query string; POST as a form for the
pages; POST, PATCH, DELETE as JSON for the API), one field the view reads, and a hostile value for it (a NUL, a lone
surrogate, an over-long string, a negative or fractional number), while the other
fields keep valid values so that they do not mask it; the path's own captures get
hostile values too. The choices are few enough that Hypothesis tries every
combination. The test client re-raises a view's exception, so a 500 fails with
its traceback. The API's fields come from its OpenAPI schema; the pages' are listed.
"""

import functools
import json
import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings, strategies as st
from rest_framework.throttling import SimpleRateThrottle

from study import quizzes

DEMO = "linear-collapse"  # the cheapest demo: a valid run costs milliseconds
HOSTILE = ["mini\x00", "\ud800", "x" * 300, "-5", "1.5"]
# Valid values, so that a hostile value in one field is not masked by an error in another.
VALID = {
    "lang": "en", "topic": "mini", "q": "relu", "limit": "3", "page": "1", "page_size": "5", "difficulty": "1",
    "concept": "mini-relu", "kind": "short", "questions": "true", "format": "json", "rating": "3", "key": "k1",
    "duration_ms": "1200", "idempotency_key": "k2", "position": "1", "response": "dying relu", "answer": "0",
    "username": "minji", "password": "a long passphrase 42", "password1": "a long passphrase 42",
    "password2": "a long passphrase 42", "old_password": "correct horse 1", "new_password1": "another passphrase 7",
    "new_password2": "another passphrase 7", "email": "minji@example.com", "timezone": "Asia/Seoul",
    "desired_retention": "0.9", "new_cards_per_day": "10", "topics": "mini", "kinds": "short", "length": "2",
    "time_limit_s": "60", "time_limit_min": "5", "practice": "true", "language": "en", "next": "/", "restart": "1",
    "depth": "3", "width": "4", "samples": "16", "job": "0" * 32, "main_count": "3", "seed": "1", "aloud": "1", "ticks": "1",
}
PAGES = {  # the methods each page takes and the fields its view or form reads
    "": (["get"], ["lang"]), "concepts/": (["get"], ["topic", "q"]), "concepts/<slug:slug>/": (["get"], ["lang"]),
    "review/": (["get"], ["topic", "restart"]), "review/undo/": (["post"], ["topic"]),
    "review/<slug:slug>/grade/": (["post"], ["rating", "key", "duration_ms", "topic"]),
    "quiz/": (["get", "post"], ["topics", "kinds", "difficulty", "length", "time_limit_min", "practice"]),
    "quiz/<int:pk>/": (["get"], ["lang"]), "quiz/<int:pk>/answer/": (["post"], ["position", "answer"]),
    "quiz/<int:pk>/summary/": (["get", "post"], ["lang"]), "progress/": (["get"], ["lang"]),
    "accounts/signup/": (["post"], ["username", "password1", "password2"]),
    "accounts/login/": (["post"], ["username", "password", "next"]), "accounts/logout/": (["post"], ["next"]),
    "accounts/password_change/": (["post"], ["old_password", "new_password1", "new_password2"]),
    "accounts/password_reset/": (["post"], ["email"]),
    "accounts/reset/<uidb64>/<token>/": (["get", "post"], ["new_password1", "new_password2"]),
    "i18n/setlang/": (["post"], ["language", "next"]),
    "demos/^(?P<key>[^/]+)/$": (["get"], ["depth", "width", "samples", "lang"]),
    "api/demos/^(?P<key>[^/]+)/run/$": (["get"], ["depth", "width", "samples", "lang", "job"]),
    "quiz/<int:pk>/study-missed/": (["post"], ["lang"]),
    "interview/": (["get", "post"], ["topics", "main_count", "time_limit_s", "lang"]),
    "interview/<int:pk>/": (["get"], ["lang"]), "interview/<int:pk>/report/": (["get"], ["lang"]),
    "interview/<int:pk>/answer/": (["post"], ["position", "answer", "aloud"]),
    "interview/<int:pk>/confirm/": (["post"], ["position", "ticks", "rating"]),
    "interview/<int:pk>/undo/": (["post"], ["lang"]),
}
CAPTURE = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


ROUTES = sorted(r for r in _patterns(get_resolver().url_patterns) if not r.startswith("admin/"))


def _fill(route: str, values: dict) -> str:
    path = CAPTURE.sub(lambda m: quote(values[m.group(1) or m.group(2)].encode("utf-8", "surrogatepass"), safe="{}"),
                       route)
    return "/" + path.replace("^", "").replace("$", "")


@functools.cache
def _api_fields() -> dict[str, dict[str, list[str]]]:
    """{path with captures as {}: {method: field names}} from the OpenAPI schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    fields: dict[str, dict[str, list[str]]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content["schema"].get("$ref", "")
                names += list(schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))
            fields.setdefault(re.sub(r"\{\w+\}", "{}", path), {})[method] = sorted(set(names) - {"params"})
    return fields


def _methods_and_fields(route: str) -> tuple[list[str], list[str]]:
    """How a route is called ("get", "post-json", ...) and the fields its view reads."""
    if route in PAGES:
        methods, fields = PAGES[route]
        return [m if m == "get" else f"{m}-form" for m in methods], sorted(set(fields) | {"lang"})
    schema_path = _fill(route, dict.fromkeys(["slug", "pk", "key", "uidb64", "token", "position"], "{}"))
    operations = _api_fields().get(schema_path, {"get": []})
    fields = {name for names in operations.values() for name in names}
    return [m if m == "get" else f"{m}-json" for m in operations], sorted(fields | {"lang"})


def _encode(data: dict) -> str:
    """A query string or form body; a lone surrogate goes as the bytes a client could send."""
    return urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in data.items()})


def _json(data: dict) -> str:
    # Lists where the API takes lists; "\ud800" is valid JSON that decodes to a lone surrogate.
    return json.dumps({k: [v] if k in ("topics", "kinds") else v for k, v in data.items()})


@pytest.fixture
def world(content, alice, monkeypatch):
    """Alice with a quiz; throttles out of the way (a 429 is no 5xx, but it would hide the view)."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        dict.fromkeys(["anon", "user", "auth", "demo-run"], "1000000/min"))
    quiz = quizzes.start_quiz(user=alice, topics=["mini"], length=5)
    return {"slug": "mini-relu", "pk": str(quiz.pk), "key": DEMO, "uidb64": "MQ", "token": "set-password",
            "position": "1"}


def test_every_route_is_walked_with_the_fields_its_view_reads():
    assert len(ROUTES) >= 45
    assert _methods_and_fields("api/flashcards/due/") == (["get"], ["lang", "limit", "topic"])
    assert _methods_and_fields("api/profile/") == (["get", "patch-json"], ["desired_retention", "lang", "language",
                                                                          "new_cards_per_day", "timezone"])
    assert "idempotency_key" in _methods_and_fields("api/flashcards/<slug:slug>/review/")[1]
    for route in ROUTES:
        assert set(_methods_and_fields(route)[1]) <= set(VALID), route


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_route_answers_5xx_to_hostile_text(world, alice, route, data):
    methods, fields = _methods_and_fields(route)
    target = data.draw(st.sampled_from(["(path)", *fields]), label="hostile field")
    hostile = data.draw(st.sampled_from(HOSTILE), label="value")
    method = data.draw(st.sampled_from(methods), label="method")
    captures = {name: hostile if target == "(path)" else value for name, value in world.items()}
    path = _fill(route, captures)
    values = {name: hostile if name == target else VALID[name] for name in fields}
    client = Client()
    client.force_login(alice)
    if method == "get":
        response = client.get(f"{path}?{_encode(values)}")
    elif method.endswith("-form"):
        response = client.post(path, _encode(values), content_type="application/x-www-form-urlencoded")
    else:
        response = getattr(client, method.split("-")[0])(path, _json(values), content_type="application/json")
    assert response.status_code < 500, (method, path, target, response.status_code)
