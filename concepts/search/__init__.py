"""Ranked search over concept cards and their questions, Korean and English at once.

Pure ranking on plain data (`CardText` in, `Ranking` out), then a thin Django layer that
builds the index from the database, keeps it in-process while content is unchanged, and
serves `search_cards` (API, library page) and `ranked_concept_ids` (admin).

How a query is scored (bench/search_eval.py measures every choice; see its figures):

- *Terms*: Latin words lower-cased, British spelling folded, Snowball-stemmed (PyStemmer),
  interview phrasing ("what is", "explain") and chat ("honestly", "요즘", "면접") dropped;
  adjacent words are also joined ("mini batch" -> "minibatch") so compounds meet. Korean
  words go through Kiwi (kiwipiepy, its model from the kiwipiepy-model package: nothing is
  downloaded), which cuts particles and endings where the grammar says ("초기화하면" ->
  초기화); the stems then become character bigrams (초기, 기화), so that compounds written
  apart or together meet. `Config.korean` can choose Kiwi's morphemes alone, or the older
  hand-written suffix stripping + bigrams (bench/search_eval.py --korean compares them). A word
  no card uses is replaced by the closest one that is, when close enough (rapidfuzz; Korean
  compared jamo by jamo): typos still match. Words that ask for an aspect ("downsides",
  "문제점") count a quarter.
- *Score*: BM25 (the `bm25s` library) over four views of each card, weighted: its core
  (titles, search aliases, flashcard fronts), its questions (each prompt alone; the best
  one counts and is returned), its body (answers, key points), and character trigrams of
  the core's Latin words (typos again). Scores are divided by the median score of a card
  for its own title, so 1.0 means "as strong as a title match" for any number of cards.
- *Coverage*: the IDF-weighted share of the query's terms the card contains: full credit
  in its core, less in a question or its body. Cards are ordered by score times the square
  root of coverage (Lucene's old "coord" factor), lifted when one of the card's names (title,
  alias) stands whole in the query.
- *Covered*: a logistic model over features of the ranking (`FEATURES`: the first card's
  score, coverage and margin over the second, how much of the query the cards are about at
  all, whether a name of the first card stands whole in it, its length) says whether the
  first card answers the query. Its weights are data (search_covered.json), fitted on the
  tune half of the independent eval set by bench/search_fit.py, so that chatty filler does
  not turn a covered question away and an off-topic one near the content still gets an
  honest "not covered".
- *Broad questions* ("옵티마이저 종류", "SGD, RMSprop, Adam을 비교해 보세요") are answered by a
  family of cards (fixtures/search/families.yaml), the overview card first.
- Every hit says whether it is an *answer* or only *related*.

The modules, each importable alone (only `service` needs Django, and only when called):

- `terms`: how text becomes terms (normalizing, stemming, Korean tokenizers, stop words);
- `morphology`, `analyser`: Kiwi's tokens of Korean words, from one Kiwi process per host that
  every worker asks (so no web worker carries Kiwi's ~300 MB), or from Kiwi in-process;
- `model`: the plain data (`CardText` in, `Config`, `Hit` and `Ranking` out);
- `covered`: the covered decision's logistic model, its weights in search_covered.json;
- `families`: broad questions and the family file;
- `typos`: correcting words no card uses;
- `index`: `SearchIndex`, the ranking itself;
- `service`: the database's index, cached while content is unchanged, and the services
  (`search_cards`, `ranked_concept_ids`) the API, the pages and the admin call.

This package's namespace is the public API (`from concepts import search`; `search.search_cards`,
`search.SearchIndex`, `search.analyze`, ...), as it was when search was one module.
"""


from concepts.search.covered import COVERED_MODEL_FILE, FEATURES, CoveredModel, covered_model
from concepts.search.families import BROAD_MARKERS, FAMILIES_FILE, WHY, Family, load_families
from concepts.search.index import SearchIndex
from concepts.search.model import MAX_QUERY_LENGTH, CardText, Config, Hit, Ranking
from concepts.search.service import (
    RELATED_LIMIT,
    RELATED_MIN_SCORE,
    CardMatch,
    SearchResult,
    card_text,
    card_texts,
    content_version,
    current_index,
    ranked_concept_ids,
    search_cards,
    warm_up_in_background,
)
from concepts.search.terms import (
    ASPECT_TERMS,
    ASPECT_WEIGHT,
    HANGUL,
    KOREAN_TOKENIZERS,
    RUN,
    STOPWORDS_EN,
    STOPWORDS_KO,
    analyze,
    jamo,
    latin_words,
    normalize,
    strip_suffix,
    tokens,
    trigrams,
    vocabulary,
)

__all__ = [
    "ASPECT_TERMS", "ASPECT_WEIGHT", "BROAD_MARKERS", "COVERED_MODEL_FILE", "FAMILIES_FILE", "FEATURES", "HANGUL",
    "KOREAN_TOKENIZERS", "MAX_QUERY_LENGTH", "RELATED_LIMIT", "RELATED_MIN_SCORE", "RUN", "STOPWORDS_EN",
    "STOPWORDS_KO", "WHY", "CardMatch", "CardText", "Config", "CoveredModel", "Family", "Hit", "Ranking",
    "SearchIndex", "SearchResult", "analyze", "card_text", "card_texts", "content_version", "covered_model",
    "current_index", "jamo", "latin_words", "load_families", "normalize", "ranked_concept_ids", "search_cards",
    "strip_suffix", "tokens", "trigrams", "vocabulary", "warm_up_in_background",
]
