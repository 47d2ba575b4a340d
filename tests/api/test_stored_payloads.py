"""Payloads computed on write (concepts/stored_payloads/): the due queue and the concept page read
them back, say exactly what the former per-request path said, and never serve a stale one."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from concepts.content import load_content
from concepts.demos import attach
from concepts.models import Concept, Question, Topic
from concepts.payload_models import StoredPayload
from sandbox.models import StoredResult
from study import due_queue_reads, scheduling
from study.api.flashcards import DueQueueOutput

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoting_content(mini_content, write_content):
    """The mini topic, its first card linking a demo and quoting one of its values."""
    concept = mini_content["concepts"][0]
    concept["demo"] = {"key": "linear-collapse", "params": {"depth": 3, "width": 4}}
    concept["explanation"]["en"] = "Three layers collapse to [[collapsed_params]] parameters."
    concept["explanation"]["ko"] = "세 층은 [[collapsed_params]]개의 파라미터로 줄어든다."
    load_content(write_content(mini_content))


def former_due_queue(user, *, now, lang, limit=20):
    """The due queue's body as the view built it before the stored payloads (whole cards, DRF)."""
    entries = scheduling.due_queue(user, now=now, limit=limit, lang=lang)
    counts = scheduling.queue_counts(user, now=now)
    scheduler = scheduling.scheduler_for(scheduling.profile_for(user))
    attach((e.concept for e in entries), values_only=True)
    cards = [{
        "concept": e.concept, "is_new": e.state is None,
        "state": None if e.state is None else {
            "state": e.state.get_state_display(), "due": e.state.due, "stability": e.state.stability,
            "difficulty": e.state.difficulty, "reps": e.state.reps, "lapses": e.state.lapses},
        "next_due": scheduling.preview(user, e.concept, now=now, state=e.state, scheduler=scheduler),
    } for e in entries]
    return DueQueueOutput({**counts, "cards": cards}, context={"lang": lang}).data


def rendered(data) -> bytes:
    return JSONRenderer().render(data)


def test_load_content_stores_every_published_cards_payload_and_page_in_both_languages(
        mini_content, write_content, settings):
    settings.SANDBOX_PRERENDER_CHARTS = True  # as deployed: pages (and their charts) are built with the content
    concept = mini_content["concepts"][0]
    concept["demo"] = {"key": "linear-collapse", "params": {"depth": 3, "width": 4}}
    load_content(write_content(mini_content))
    published = Concept.objects.filter(status="published").count()
    assert published == 2
    for kind in ("card", "page"):
        assert sorted(StoredPayload.objects.filter(kind=kind).values_list("lang", flat=True)) == \
            ["en"] * published + ["ko"] * published


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_due_queue_is_byte_for_byte_what_the_former_path_gave(alice, quoting_content, lang):
    now = timezone.now()
    relu = Concept.objects.get(slug="mini-relu")
    scheduling.review_card(user=alice, concept=relu, rating=1, now=now - timedelta(days=3))  # one due, one new
    for zone in ("UTC", "Asia/Seoul"):  # dates are written in the active timezone, as DRF writes them
        with timezone.override(zone):
            for limit in (1, 20):
                ours = due_queue_reads.due_queue_data(alice, now=now, topic=None, limit=limit, lang=lang)
                assert rendered(ours) == rendered(former_due_queue(alice, now=now, lang=lang, limit=limit))
    assert rendered(ours).count(b"+09:00") > 4
    ours = due_queue_reads.due_queue_data(alice, now=now, topic=None, limit=20, lang=lang)
    assert [c["is_new"] for c in ours["cards"]] == [False, True] and (ours["due"], ours["new"]) == (1, 1)
    assert "20" in ours["cards"][0]["concept"]["explanation"]  # the quoted demo value, filled in


def test_the_due_queue_reads_stored_payloads_in_few_queries_and_no_whole_card(alice, quoting_content):
    now = timezone.now()
    due_queue_reads.due_queue_data(alice, now=now, topic=None, limit=20, lang="en")  # makes the profile
    with CaptureQueriesContext(connection) as queries:
        body = due_queue_reads.due_queue_data(alice, now=now, topic=None, limit=20, lang="en")
    assert len(body["cards"]) == 2
    assert len(queries) <= 4, [q["sql"][:120] for q in queries]
    assert not any('"concepts_concept"."explanation_en"' in q["sql"] for q in queries)


def test_a_stored_payload_is_what_is_served(as_alice, alice, quoting_content):
    """Proof that the queue reads the store: a doctored row (same fingerprint) is what comes out."""
    row = StoredPayload.objects.get(concept__slug="mini-relu", kind="card", lang="en")
    row.body = row.body.replace('"title":"ReLU"', '"title":"ReLU (stored)"')
    row.save()
    titles = [c["concept"]["title"] for c in as_alice.get(reverse("api:due"), {"lang": "en"}).json()["cards"]]
    assert "ReLU (stored)" in titles


def test_an_edited_card_is_served_edited_and_its_payload_rebuilt(as_alice, quoting_content):
    before = StoredPayload.objects.get(concept__slug="mini-relu", kind="card", lang="en")
    concept = Concept.objects.get(slug="mini-relu")
    concept.title_en = "Rectified linear unit"
    concept.save()  # as the admin saves it
    titles = [c["concept"]["title"] for c in as_alice.get(reverse("api:due"), {"lang": "en"}).json()["cards"]]
    assert "Rectified linear unit" in titles and "ReLU" not in titles
    after = StoredPayload.objects.get(concept__slug="mini-relu", kind="card", lang="en")
    assert after.fingerprint != before.fingerprint and "Rectified linear unit" in after.body


def test_an_update_that_bumps_updated_at_outdates_the_row_without_any_signal(as_alice, quoting_content):
    Concept.objects.filter(slug="mini-relu").update(title_en="Edited in bulk", updated_at=timezone.now())
    titles = [c["concept"]["title"] for c in as_alice.get(reverse("api:due"), {"lang": "en"}).json()["cards"]]
    assert "Edited in bulk" in titles


def test_a_renamed_topic_and_a_new_link_reach_the_stored_payload(as_alice, quoting_content):
    topic = Topic.objects.get(slug="mini")
    topic.slug = "mini-renamed"
    topic.save()
    relu, other = Concept.objects.get(slug="mini-relu"), Concept.objects.exclude(slug="mini-relu").get()
    relu.related.clear()
    relu.related.add(other)
    cards = {c["concept"]["slug"]: c["concept"] for c in as_alice.get(reverse("api:due"), {"lang": "en"}).json()["cards"]}
    assert {c["topic"] for c in cards.values()} == {"mini-renamed"}
    assert cards["mini-relu"]["related"] == [other.slug]


def test_a_second_load_content_with_an_edit_rebuilds_the_payload(as_alice, mini_content, write_content):
    load_content(write_content(mini_content))
    mini_content["concepts"][0]["title"]["en"] = "ReLU, edited in the content file"
    load_content(write_content(mini_content))
    row = StoredPayload.objects.get(concept__slug="mini-relu", kind="card", lang="en")
    assert "ReLU, edited in the content file" in row.body
    titles = [c["concept"]["title"] for c in as_alice.get(reverse("api:due"), {"lang": "en"}).json()["cards"]]
    assert "ReLU, edited in the content file" in titles


# -- the concept page ----------------------------------------------------------------------

def normalized(response) -> str:
    """The page without what differs between any two requests: the CSRF token, a demo's read time."""
    page = response.content.decode()
    page = re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1TOKEN", page)
    return re.sub(r"· [0-9.,]+ ms", "· N ms", page)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_stored_page_is_the_page_the_view_renders(client, quoting_content, lang):
    for slug in Concept.objects.values_list("slug", flat=True):
        url = reverse("concepts:concept", args=[slug])
        StoredPayload.objects.filter(kind="page").delete()
        live = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)  # rendered whole, and its blocks kept
        assert StoredPayload.objects.filter(kind="page", lang=lang, concept__slug=slug).exists()
        with CaptureQueriesContext(connection) as queries:
            stored = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
        assert len(queries) == 1  # the stored blocks, with the card's fingerprint
        assert stored.status_code == live.status_code == 200
        assert stored["Content-Type"] == live["Content-Type"]
        assert normalized(stored) == normalized(live)
    page = client.get(reverse("concepts:concept", args=["mini-relu"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    if lang == "en":
        assert "collapse to 20 parameters" in page and re.search(r"· [0-9.]+ ms", page)


def test_a_stored_page_follows_its_questions_links_and_demo(client, quoting_content):
    url = reverse("concepts:concept", args=["mini-relu"])
    client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    relu = Concept.objects.get(slug="mini-relu")
    other = Concept.objects.exclude(pk=relu.pk).get()
    relu.related.set([other])
    other.title_en = "A renamed neighbour"
    other.save()
    assert "A renamed neighbour" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    practise = re.compile(r"Practise (\d+) question")
    count = int(practise.search(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()).group(1))
    Question.objects.filter(concept=relu, status="published").first().delete()
    assert int(practise.search(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()).group(1)) == count - 1

    StoredResult.objects.all().delete()  # its demo result gone: the stored page with its chart must go too
    assert not StoredPayload.objects.filter(concept=relu).exists()


def test_a_draft_card_has_no_stored_page_served(client, quoting_content):
    url = reverse("concepts:concept", args=["mini-relu"])
    client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    Concept.objects.filter(slug="mini-relu").update(status="draft")
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 404


# -- the quiz answer (study/quizzes.item_to_answer) -------------------------------------------

def _quiz(client, **payload):
    return client.post(reverse("api:quizzes"), {"length": 5, **payload}, format="json").json()


def _answer(client, quiz_id, position, response):
    return client.post(reverse("api:quiz-answer", args=[quiz_id]), {"position": position, "response": response},
                       format="json")


def test_a_true_false_answer_reads_no_choices_and_takes_one_query_for_item_and_session(as_alice, content):
    quiz = _quiz(as_alice, kinds=["true_false"], length=1)
    with CaptureQueriesContext(connection) as queries:
        response = _answer(as_alice, quiz["id"], 1, True)
    assert response.status_code == 201 and set(response.json()) >= {"correct", "expected", "explanation"}
    sql = [q["sql"] for q in queries]
    assert not any("concepts_choice" in s or "concepts_acceptedanswer" in s for s in sql)
    assert sum(s.startswith("SELECT") and "concepts_quizsession" in s for s in sql) == 1  # item and session at once
    assert not any(s.startswith('SELECT "auth_user"') for s in sql)  # the learner is the request's


def test_single_and_short_answers_still_grade_with_their_choices_and_accepted_answers(as_alice, content):
    quiz = _quiz(as_alice, practice=True)
    by_slug = {i["question"]["slug"]: i for i in quiz["items"]}
    single = by_slug["mini-single"]
    right = next(c for c in Question.objects.get(slug="mini-single").choices.all() if c.is_correct)
    body = _answer(as_alice, quiz["id"], single["position"], right.pk).json()
    assert body["correct"] is True and body["expected"] == {"choice": right.pk}
    short = by_slug["mini-short"]
    body = _answer(as_alice, quiz["id"], short["position"], "nothing like it").json()
    assert body["correct"] is False and body["expected"]["accepted"]["en"]


def test_another_learners_quiz_is_404_even_with_a_bad_body_and_a_missing_position_is_400(as_alice, as_bob, content):
    quiz = _quiz(as_alice)
    response = as_bob.post(reverse("api:quiz-answer", args=[quiz["id"]]), {"position": "x"}, format="json")
    assert response.status_code == 404
    response = as_alice.post(reverse("api:quiz-answer", args=[quiz["id"]]), {"position": "x"}, format="json")
    assert response.status_code == 400 and "position" in response.json()
    assert _answer(as_alice, quiz["id"], 99, True).status_code == 400


def test_a_second_load_content_that_changes_nothing_keeps_the_stored_rows(mini_content, write_content):
    load_content(write_content(mini_content))
    before = dict(StoredPayload.objects.values_list("pk", "built_at"))
    assert before
    load_content(write_content(mini_content))
    assert dict(StoredPayload.objects.values_list("pk", "built_at")) == before  # nothing rebuilt
    mini_content["topic"]["title"]["en"] = "Mini, renamed"  # no card row changes; the pages show it
    load_content(write_content(mini_content))
    assert min(StoredPayload.objects.values_list("built_at", flat=True)) > max(before.values())  # built again
