"""Read-only topics, concepts and questions: filters, search, language, pagination, query counts."""

import pytest
from django.urls import reverse

from concepts.content import load_content
from concepts.models import Concept, Status

pytestmark = pytest.mark.django_db


def test_topics_list_with_published_concept_counts(api, content):
    Concept.objects.filter(slug="mini-sigmoid").update(status=Status.DRAFT)
    body = api.get(reverse("api:topic-list"), {"lang": "en"}).json()
    assert body["results"] == [{"slug": "mini", "order": 1, "title": "Mini", "description": "A topic for tests",
                                "concept_count": 1}]


@pytest.mark.parametrize("params, slugs", [
    ({"q": "렐루"}, ["mini-relu"]), ({"q": "sigmoid"}, ["mini-sigmoid"]), ({"topic": "mini"}, ["mini-relu", "mini-sigmoid"]),
    ({"difficulty": 1}, ["mini-relu", "mini-sigmoid"]), ({"topic": "other"}, []),
])
def test_concepts_filter_and_search_in_both_languages(api, content, params, slugs):
    body = api.get(reverse("api:concept-list"), params).json()
    assert [c["slug"] for c in body["results"]] == slugs


def test_a_concept_detail_has_the_whole_card_in_the_asked_language(api, content):
    body = api.get(reverse("api:concept-detail", args=["mini-relu"]), {"lang": "en"}).json()
    assert body["title"] == "ReLU" and body["follow_ups"] == ["What about Leaky ReLU?"]
    assert body["related"] == ["mini-sigmoid"]
    korean = api.get(reverse("api:concept-detail", args=["mini-relu"]), {"lang": "ko"}).json()
    assert korean["pitfalls"] == ["죽은 뉴런"]


def test_questions_hide_answers_and_filter_by_kind(api, content):
    body = api.get(reverse("api:question-list"), {"kind": "single"}).json()
    assert [q["slug"] for q in body["results"]] == ["mini-single"]
    assert "is_correct" not in str(body) and "explanation" not in body["results"][0]


@pytest.mark.parametrize("params, field", [({"kind": "essay"}, "kind"), ({"difficulty": "9"}, "difficulty")])
def test_bad_filters_are_400_with_the_field(api, content, params, field):
    response = api.get(reverse("api:question-list"), params)
    assert response.status_code == 400 and field in response.json()


def test_unknown_slugs_are_404_json(api, content):
    response = api.get(reverse("api:concept-detail", args=["nope"]))
    assert response.status_code == 404 and "detail" in response.json()


@pytest.mark.parametrize("name", ["api:concept-list", "api:question-list", "api:topic-list"])
def test_list_endpoints_use_a_bounded_number_of_queries(api, name, django_assert_max_num_queries, mini_content,
                                                        write_content):
    # Forty concepts with five questions each: the query count must not grow with them.
    concepts = []
    for n in range(40):
        concept = {**mini_content["concepts"][0], "slug": f"c{n}", "related": []}
        concept["questions"] = [{**q, "slug": f"c{n}-{q['slug']}"} for q in concept["questions"]]
        concepts.append(concept)
    load_content(write_content({**mini_content, "concepts": concepts}))
    with django_assert_max_num_queries(4):
        response = api.get(reverse(name), {"page_size": 100})
    assert response.status_code == 200 and response.json()["count"] > 0
