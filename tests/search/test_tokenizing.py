"""How text becomes search terms, in both languages."""

from concepts.search import analyze, trigrams


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
