"""How text becomes search terms, in both languages."""

from concepts.search.terms import analyze, trigrams


def test_particles_glued_to_english_words_are_dropped():
    assert analyze("ReLU를 쓰는 이유")[0] == ["relu"]
    assert analyze("CNN에서 풀링")[0] == ["cnn", "풀링"]


def test_korean_words_lose_their_ending_and_become_bigrams():
    assert analyze("기울기가")[0] == ["기울", "울기"]
    assert analyze("초기화하면")[0] == ["초기", "기화"]
    assert analyze("층을")[0] == ["층"]


def test_english_words_are_stemmed_and_question_words_dropped():
    terms, _ = analyze("What is the vanishing gradients problem?")
    assert terms == ["vanish", "gradient", "problem"]


def test_british_and_american_spellings_meet():
    assert analyze("initialisation")[0] == analyze("initialization")[0]


def test_adjacent_words_are_also_joined_so_compounds_meet():
    assert "minibatch" in analyze("mini-batch")[1]
    assert analyze("minibatch")[0] == ["minibatch"]


def test_trigrams_cover_each_english_word_with_its_edges():
    assert trigrams("ReLU 렐루") == [" re", "rel", "elu", "lu "]


def test_kiwi_cuts_particles_and_endings_where_the_grammar_says():
    assert analyze("기울기가", "kiwi")[0] == ["기울기"]
    assert analyze("ReLU를 쓰는 이유", "kiwi")[0] == ["relu"]
    assert analyze("초기화하면", "kiwi-bigram")[0] == ["초기", "기화"]


def test_with_kiwi_bigrams_compounds_split_differently_still_meet():
    spaced, joined = analyze("경사 하강법은", "kiwi-bigram")[0], analyze("경사하강법", "kiwi-bigram")[0]
    assert set(spaced) <= set(joined)


def test_chatty_filler_is_not_a_search_term():
    assert analyze("요즘 면접에서 많이 물어보던데 ReLU 쉽게 설명해 주실 수 있나요", "kiwi-bigram")[0] == ["relu"]
    assert analyze("honestly, can you quickly explain dropout in an interview?")[0] == ["dropout"]


def test_an_unknown_korean_tokenizer_is_refused():
    import pytest

    with pytest.raises(ValueError, match="bigram"):
        analyze("기울기", "mecab")


def test_he_initialization_is_not_the_stop_word_he():
    assert analyze("Kaiming")[0][0] in analyze("He 초기화는 언제 쓰나요")[0]
    assert analyze("he wrote so")[0] == ["wrote"]


def test_kiwi_keeps_a_term_making_suffix_on_its_stem():
    # 학습률 (learning rate) is not 학습 (learning), nor 가중치 (weight) 가중; -화 still goes, so 정규화 meets 정규
    assert analyze("학습률은 보통 어떻게 정하세요", "kiwi")[0] == ["학습률"]
    assert analyze("재현율이 뭐예요", "kiwi")[0] == ["재현율"]
    assert analyze("가중치를 0으로", "kiwi")[0] == ["가중치", "0"]


def test_chatty_asides_about_how_to_explain_are_not_search_terms():
    assert analyze("역전파를 일상 예시로 설명해 주실 수 있을까요? 비전공자라서요", "kiwi")[0] == ["역전파"]
    assert analyze("옵티마이저 뭐 써야 할지 모르겠어요 추천해 주실 수 있나요", "kiwi")[0] == ["옵티마이저"]
