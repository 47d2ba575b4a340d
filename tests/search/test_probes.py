"""The questions issue 13 found answered "not covered" (or wrongly) are answered by their card,
and broad questions get their family's cards, in the order to read them."""

import pytest


def answer(shipped_index, query):
    index, slugs = shipped_index
    ranking = index.rank(query)
    return ranking, [slugs[h.concept_id] for h in ranking.hits if h.answer]


@pytest.mark.parametrize("query, slugs", [
    ("CNN", {"cnn-building-blocks"}),
    ("tell me about RNNs", {"rnn-sequence"}),
    ("what are the downsides of ReLU", {"relu"}),
    ("how do you prevent overfitting", {"overfitting-underfitting"}),
    ("Explain Adam like I'm new to it", {"adam"}),
    ("cross validation 꼭 해야 돼요?", {"k-fold-cross-validation"}),
    ("sigmoid 문제점", {"sigmoid", "why-relu-over-sigmoid"}),
    ("딥러닝 모델이 학습하는 원리", {"backpropagation-chain-rule", "gradient-descent"}),
])
def test_each_probe_of_the_issue_is_answered_by_its_card(shipped_index, query, slugs):
    ranking, answers = answer(shipped_index, query)
    assert ranking.covered and answers and answers[0] in slugs


def test_a_bare_family_name_is_answered_by_the_familys_cards(shipped_index):
    ranking, answers = answer(shipped_index, "손실 함수")
    assert ranking.covered and ranking.family == "loss-functions"
    assert {"mae-vs-mse", "cross-entropy-softmax", "binary-cross-entropy"} <= set(answers)
    assert answers[0] in ("loss-functions-overview", "mae-vs-mse")  # the overview card first, once it exists


def test_naming_three_of_a_familys_cards_answers_with_those_cards_in_order(shipped_index):
    ranking, answers = answer(shipped_index, "SGD, RMSprop, Adam을 비교해 보세요")
    assert ranking.covered and ranking.family == "optimizers"
    assert answers == ["sgd-momentum", "adagrad-rmsprop", "adam"]


@pytest.mark.parametrize("query, family, first_cards", [
    ("optimizers", "optimizers", ["sgd-momentum", "adagrad-rmsprop", "adam"]),
    ("list the variants of RNN", "rnn", ["rnn-sequence", "lstm-gru"]),
    ("가중치 초기화 종류", "weight-initialization", ["zero-initialization", "random-initialization"]),
])
def test_broad_questions_list_the_family_in_reading_order(shipped_index, query, family, first_cards):
    ranking, answers = answer(shipped_index, query)
    overview = [f"{family}-overview"] if answers and answers[0].endswith("-overview") else []
    assert ranking.covered and ranking.family == family
    assert answers[len(overview):len(overview) + len(first_cards)] == first_cards


@pytest.mark.parametrize("query, slug", [
    ("Adam 옵티마이저 설명해 주세요", "adam"),  # a family's name with one of its cards: that card
    ("활성화 함수를 왜 쓰나요?", "why-nonlinear-activation"),  # a why-question is about one thing
    ("Sigmoid 대신 ReLU를 쓰는 이유는?", "why-relu-over-sigmoid"),  # two names that one card joins
])
def test_a_specific_question_is_not_taken_for_a_broad_one(shipped_index, query, slug):
    ranking, answers = answer(shipped_index, query)
    assert ranking.covered and ranking.family is None and answers[0] == slug


def test_related_cards_after_the_answer_are_marked_as_related(shipped_index):
    index, slugs = shipped_index
    ranking = index.rank("what are the downsides of ReLU")
    assert ranking.hits[0].answer and len(ranking.hits) > 1
    assert [h.answer for h in ranking.hits] == sorted((h.answer for h in ranking.hits), reverse=True)
    assert not all(h.answer for h in ranking.hits)


def test_an_off_topic_question_has_no_answer_only_related_cards(shipped_index):
    index, _ = shipped_index
    ranking = index.rank("랜덤 포레스트의 배깅은 어떻게 분산을 줄이나요?")
    assert ranking.hits and not ranking.covered and not any(h.answer for h in ranking.hits)


def test_every_family_name_is_made_of_search_terms():
    """A name leaning on a stop word ("신경망 종류", "초기화 방법") would match far too much."""
    from concepts import search
    from concepts.search import terms as search_terms

    for family in search.load_families():
        for name in family.names:
            for word in name.split():
                if word.casefold() not in search_terms.STOPWORDS_EN:
                    for korean in search_terms.KOREAN_TOKENIZERS:
                        assert search_terms.analyze(word, korean)[0], (family.slug, name, word, korean)


def test_every_family_lists_shipped_cards_and_an_overview_slug_at_most_still_to_come(shipped_index):
    from concepts import search

    _, slugs = shipped_index
    shipped = set(slugs.values())
    for family in search.load_families():
        assert set(family.cards) <= shipped, family.slug
        assert family.overview is None or family.overview.endswith("-overview"), family.slug
