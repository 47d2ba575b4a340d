"""Ranking on the shipped cards: Korean, English, mixed and misspelt questions find their card;
questions the cards do not cover are answered "not covered"."""

import pytest

from concepts import search


def top(shipped_index, query):
    index, slugs = shipped_index
    ranking = index.rank(query)
    return ranking, [slugs[h.concept_id] for h in ranking.hits]


@pytest.mark.parametrize("query, slug", [
    ("Sigmoid 대신 ReLU를 쓰는 이유는?", "why-relu-over-sigmoid"),
    ("기울기 소실이 왜 생기나요", "vanishing-exploding-gradients"),
    ("가중치를 0으로 초기화하면 안 되는 이유", "zero-initialization"),
    ("교차 검증은 왜 하나요?", "k-fold-cross-validation"),
    ("과적합을 막는 방법", "overfitting-underfitting"),
])
def test_korean_questions_find_their_card(shipped_index, query, slug):
    ranking, slugs = top(shipped_index, query)
    assert ranking.covered and slugs[0] == slug


@pytest.mark.parametrize("query, slug", [
    ("How do you calculate the GPU memory needed to train a model?", "gpu-memory-training"),
    ("What is the vanishing gradient problem?", "vanishing-exploding-gradients"),
    ("Which weight initialization should I use with ReLU?", "he-initialization"),
    ("What is data leakage?", "test-set-contamination"),
    ("How does the Adam optimizer work?", "adam"),
])
def test_english_questions_find_their_card(shipped_index, query, slug):
    ranking, slugs = top(shipped_index, query)
    assert ranking.covered and slugs[0] == slug


@pytest.mark.parametrize("query, slug", [
    ("vanishing gradient 문제 해결 방법", "vanishing-exploding-gradients"),
    ("Xavier 초기화는 어떤 activation에 쓰나요", "xavier-initialization"),
    ("LSTM의 forget gate 역할", "lstm-gru"),
    ("weight initialization 종류", "weight-initialization-overview"),  # the map of the family
    ("dying ReLU 해결책", "dying-relu"),
])
def test_mixed_korean_and_english_questions_find_their_card(shipped_index, query, slug):
    ranking, slugs = top(shipped_index, query)
    assert ranking.covered and slug in slugs[:3]


@pytest.mark.parametrize("query, slug", [
    ("sigmiod derivative", "sigmoid"),
    ("how does backpropogation work", "backpropagation-chain-rule"),
    ("vanshing gradient", "vanishing-exploding-gradients"),
    ("overfiting vs underfitting", "overfitting-underfitting"),
    ("역전퍄 원리", "backpropagation-chain-rule"),  # one wrong vowel: Korean words are compared jamo by jamo
    ("경사하강볍", "gradient-descent"),
])
def test_typos_still_find_the_card(shipped_index, query, slug):
    ranking, slugs = top(shipped_index, query)
    assert ranking.covered and slugs[0] == slug


def test_two_words_that_join_into_a_cards_word_are_no_typo(shipped_index):
    index, _ = shipped_index
    assert index.correct("rms prop 공식") == "rms prop 공식"  # "prop" is not corrected to "crop"
    assert top(shipped_index, "rms prop 공식")[1][0] == "adagrad-rmsprop"


@pytest.mark.parametrize("query", [
    "How does Q-learning update its value estimates?",
    "XGBoost와 LightGBM의 차이는?",
    "SQL에서 GROUP BY와 HAVING의 차이",
    "SVM의 커널 트릭(kernel trick)은 무엇인가요?",
    "객체 탐지에서 NMS는 어떻게 동작하나요?",
    "What is a p-value in hypothesis testing?",
    "How does k-means clustering work?",
])
def test_questions_the_cards_do_not_cover_are_not_covered(shipped_index, query):
    ranking, _ = top(shipped_index, query)
    assert not ranking.covered


def test_the_best_matching_question_of_the_card_is_named(shipped_index):
    index, slugs = shipped_index
    hit = index.rank("sigmoid 도함수의 최댓값은?").hits[0]
    assert slugs[hit.concept_id] == "sigmoid" and hit.question_id is not None


def test_queries_without_words_find_nothing(shipped_index):
    index, _ = shipped_index
    for query in ("???", "   ", "the what is"):
        ranking = index.rank(query)
        assert ranking.hits == [] and not ranking.covered


def test_an_index_without_cards_answers_not_covered():
    ranking = search.SearchIndex([]).rank("ReLU")
    assert ranking.hits == [] and not ranking.covered


def test_only_allowed_cards_are_returned(shipped_index):
    index, slugs = shipped_index
    sigmoid = next(i for i, s in slugs.items() if s == "sigmoid")
    ranking = index.rank("ReLU", allowed={sigmoid})
    assert [slugs[h.concept_id] for h in ranking.hits] in ([], ["sigmoid"])
