"""The due queue's JSON response is written with each card's stored payload spliced in as text
(`due_queue_reads.due_queue_json`): byte for byte what JSONRenderer writes for `due_queue_data`,
fresh, stale or missing stored rows alike; other renderings (indent, the browsable API) go the plain way."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from concepts.content import load_content
from concepts.models import Concept
from concepts.payload_models import StoredPayload
from study import due_queue_reads, scheduling

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=654321)


@pytest.fixture
def queue(alice, mini_content, write_content, monkeypatch):
    """One card due, one new; U+2028 in a text (JSONRenderer escapes it; the stored body holds it raw)."""
    mini_content["concepts"][0]["explanation"]["en"] += " Line\u2028separated and \u2029 paragraph; 한국어 too."
    load_content(write_content(mini_content))
    relu = Concept.objects.get(slug="mini-relu")
    scheduling.review_card(user=alice, concept=relu, rating=1, now=NOW - timedelta(days=3))
    monkeypatch.setattr(timezone, "now", lambda: NOW)  # the view's clock
    return alice


def _expected(user, lang, **options) -> bytes:
    data = due_queue_reads.due_queue_data(user, now=NOW, topic=None, limit=20, lang=lang)
    return JSONRenderer().render(data, **options)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_spliced_body_is_what_json_renderer_writes(as_alice, queue, lang):
    response = as_alice.get(reverse("api:due"), {"lang": lang})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.content == _expected(queue, lang)
    assert not hasattr(response, "data")  # the spliced bytes, not a Response rendered from data
    assert b"\\u2028" in response.content or lang == "ko"
    assert [c["is_new"] for c in response.json()["cards"]] == [False, True]


def test_a_stale_or_missing_stored_payload_is_built_and_spliced_the_same(as_alice, queue):
    StoredPayload.objects.filter(concept__slug="mini-relu", lang="en").update(fingerprint="old")
    StoredPayload.objects.filter(concept__slug="mini-sigmoid", lang="en").delete()
    first = as_alice.get(reverse("api:due"), {"lang": "en"}).content
    assert first == _expected(queue, "en") == as_alice.get(reverse("api:due"), {"lang": "en"}).content


def test_the_topic_and_limit_queue_is_spliced_too(as_alice, queue):
    response = as_alice.get(reverse("api:due"), {"lang": "en", "topic": "mini", "limit": 1})
    data = due_queue_reads.due_queue_data(queue, now=NOW, topic="mini", limit=1, lang="en")
    assert response.content == JSONRenderer().render(data) and len(response.json()["cards"]) == 1


def test_an_indented_or_browsable_response_takes_the_plain_way(as_alice, queue):
    indented = as_alice.get(reverse("api:due"), {"lang": "en"}, HTTP_ACCEPT="application/json; indent=2")
    assert indented.content == _expected(queue, "en", accepted_media_type="application/json; indent=2")
    assert b'\n  "due": 1' in indented.content
    page = as_alice.get(reverse("api:due"), {"lang": "en"}, HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
