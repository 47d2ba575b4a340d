"""GET /api/search/: public, ranked, honest about what is not covered, strict about its input."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

URL = reverse("api:search")


@pytest.fixture
def api():
    return APIClient()


def test_it_answers_anonymous_learners_with_the_ranked_card(api, loaded):
    response = api.get(URL, {"q": "What is ReLU(-2)?", "lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert body["covered"] is True and body["related"] == []
    first = body["results"][0]
    assert first["slug"] == "mini-relu" and first["topic"] == "mini" and first["score"] > 0
    assert (first["title"], first["front"], first["answer"]) == ("ReLU", "What is ReLU?", "It is max(0, x).")
    assert first["role"] == "answer"
    assert first["question"] == {"slug": "mini-single", "kind": "single", "prompt": "ReLU(-2)?"}


def test_texts_come_in_the_requested_language(api, loaded):
    first = api.get(URL, {"q": "relu", "lang": "ko"}).json()["results"][0]
    assert first["title"] == "렐루" and first["front"] == "ReLU란?"
    first = api.get(URL, {"q": "relu"}, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert first["title"] == "ReLU"


def test_a_question_no_card_covers_is_answered_not_covered(api, loaded):
    body = api.get(URL, {"q": "What is a transformer's self-attention?"}).json()
    assert body == {"query": "What is a transformer's self-attention?", "covered": False, "results": [],
                    "related": [], "family": None}


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "x" * 301}])
def test_an_empty_or_overlong_query_is_a_400_naming_the_field(api, db, params):
    response = api.get(URL, params)
    assert response.status_code == 400 and list(response.json()) == ["q"]


@pytest.mark.parametrize("q", ["", "   "])
def test_an_empty_query_is_refused_in_korean_without_english(api, db, q):
    response = api.get(URL, {"q": q}, HTTP_ACCEPT_LANGUAGE="ko")
    assert response.json() == {"q": ["이 필드는 비워 둘 수 없습니다."]}


def test_a_query_of_300_characters_is_accepted(api, loaded):
    assert api.get(URL, {"q": "relu " * 60}).status_code == 200


def test_bad_lang_and_limit_are_400s(api, loaded):
    assert list(api.get(URL, {"q": "relu", "lang": "fr"}).json()) == ["lang"]
    assert list(api.get(URL, {"q": "relu", "limit": 0}).json()) == ["limit"]


def test_the_shipped_content_answers_real_interview_questions(api, shipped_content):
    body = api.get(URL, {"q": "Sigmoid 대신 ReLU를 쓰는 이유는?"}).json()
    assert body["covered"] and body["results"][0]["slug"] == "why-relu-over-sigmoid"
    body = api.get(URL, {"q": "How do you calculate the GPU memory needed to train a model?"}).json()
    assert body["covered"] and body["results"][0]["slug"] == "gpu-memory-training"
    body = api.get(URL, {"q": "배치 정규화(batch normalization)는 왜 쓰나요?"}).json()
    assert body["covered"] and body["results"][0]["slug"] == "batch-normalization"  # a topic added in wave 2
    body = api.get(URL, {"q": "SVM의 커널 트릭(kernel trick)은 무엇인가요?"}).json()
    assert not body["covered"] and body["results"] == [] and len(body["related"]) <= 3
    assert all(match["role"] == "related" for match in body["related"])


def test_each_card_says_whether_it_answers_or_is_only_related(api, shipped_content):
    body = api.get(URL, {"q": "what are the downsides of ReLU"}).json()
    assert body["covered"] and body["results"][0]["slug"] == "relu" and body["results"][0]["role"] == "answer"
    assert body["related"] and {m["role"] for m in body["related"]} == {"related"}


def test_a_broad_question_gets_its_familys_cards_as_answers(api, shipped_content):
    body = api.get(URL, {"q": "SGD, RMSprop, Adam을 비교해 보세요"}).json()
    assert body["covered"] and body["family"] == "optimizers"
    assert [m["slug"] for m in body["results"]] == ["sgd-momentum", "adagrad-rmsprop", "adam"]
