"""Broad questions on the newer topics (regularization, training practice, modern architectures,
classification metrics, large-scale training) are answered by their family's cards, in the
order fixtures/search/families.yaml gives (the card one would explain first leads), every one
of them an answer rather than a related card."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from concepts import search

BROAD = [
    ("regularization", "규제 기법을 아는 대로 설명해 주세요"),
    ("regularization", "what regularization techniques do you know?"),
    ("normalization-layers", "정규화 레이어 종류"),
    ("normalization-layers", "compare normalization layers"),
    ("training-practice", "학습 기법 정리해 주세요"),
    ("training-practice", "an overview of training techniques"),
    ("transformer", "트랜스포머 구조 설명해 주세요"),
    ("transformer", "explain the transformer architecture"),
    ("modern-architectures", "최신 신경망 구조 정리"),
    ("modern-architectures", "modern architectures overview"),
    ("generative-models", "생성 모델 종류"),
    ("generative-models", "types of generative models"),
    ("classification-metrics", "분류 평가 지표 종류"),
    ("classification-metrics", "classification metrics"),
    ("large-scale-training", "대규모 학습 기법 종류"),
    ("large-scale-training", "large-scale training techniques"),
]


def family(slug):
    return next(f for f in search.load_families() if f.slug == slug)


@pytest.mark.parametrize("slug, query", BROAD)
def test_a_broad_question_on_a_newer_topic_gets_its_family_in_reading_order(shipped_index, slug, query):
    index, slugs = shipped_index
    ranking = index.rank(query)
    answers = [slugs[h.concept_id] for h in ranking.hits if h.answer]
    expected = ([family(slug).overview] if family(slug).overview else []) + list(family(slug).cards)
    assert ranking.covered and ranking.family == slug, (query, ranking.family, answers)
    assert answers == expected[:len(answers)] and len(answers) >= min(len(expected), 2), answers
    assert [h.answer for h in ranking.hits] == sorted((h.answer for h in ranking.hits), reverse=True)


@pytest.mark.parametrize("query, slug", [
    ("L2 규제는 왜 가중치를 작게 만드나요?", "l1-vs-l2-regularization"),  # one member named: that card, no family
    ("what does dropout do at test time?", "dropout"),
    ("트랜스포머에서 위치 인코딩이 필요한 이유", "positional-encoding"),
    ("F1 score 계산", "f1-score"),
    ("mixed precision에서 loss scaling을 하는 이유", "mixed-precision-loss-scaling"),
])
def test_a_question_on_one_member_of_a_new_family_is_answered_by_that_card(shipped_index, query, slug):
    index, slugs = shipped_index
    ranking = index.rank(query)
    assert ranking.covered and ranking.family is None, (query, ranking.family)
    assert slugs[ranking.hits[0].concept_id] == slug and ranking.hits[0].answer


@pytest.mark.parametrize("query, slug", [
    ("규제 기법 종류", "regularization"),
    ("what classification metrics are there?", "classification-metrics"),
])
def test_the_api_lists_a_new_family_as_answers_in_order(db, shipped_content, query, slug):
    body = APIClient().get(reverse("api:search"), {"q": query}).json()
    expected = list(family(slug).cards)
    assert body["covered"] is True and body["family"] == slug
    assert [m["slug"] for m in body["results"]] == expected[:len(body["results"])]
    assert len(body["results"]) == len(expected)
    assert {m["role"] for m in body["results"]} == {"answer"}
    assert all(m["role"] == "related" for m in body["related"])
