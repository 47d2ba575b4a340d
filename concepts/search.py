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
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from concepts.search_terms import (
    ASPECT_TERMS,
    ASPECT_WEIGHT,
    HANGUL,
    KOREAN_TOKENIZERS,
    RUN,
    STOPWORDS_KO,
    analyze,
    jamo,
    latin_words,
    normalize,
    strip_suffix,
    trigrams,
    vocabulary,
)

MAX_QUERY_LENGTH = 300
logging.getLogger("bm25s").setLevel(logging.WARNING)  # the library sets DEBUG and logs every index build

# -- the index ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CardText:
    """What search reads of one card. `core`: titles, aliases, fronts; `body`: answers and
    key points; `questions`: (question id, prompt in both languages); `background`: the
    rest (explanations, pitfalls, follow-ups), used only to learn which words are common;
    `phrases`: its titles, slug and aliases, each a name the card answers to as a whole."""

    concept_id: int
    titles: tuple[str, ...]
    core: str
    body: str
    questions: tuple[tuple[int, str], ...] = ()
    background: str = ""
    slug: str = ""
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    """Weights of the ranking; chosen with bench/search_eval.py on the tuning half."""

    #: Korean tokenizer, one of KOREAN_TOKENIZERS. On the test half of bench/search_eval_v2.yaml,
    #: all its cards in the database, each with its own covered model fitted on the tune half
    #: (right card in the top 3 / first / in-scope "not covered" / off-topic rejected):
    #: kiwi-bigram 89.1 / 84.5 / 8.6 / 93.3 %, kiwi 87.5 / 81.9 / 9.5 / 96.7 %,
    #: bigram 83.2 / 79.6 / 14.8 / 96.7 %
    korean: str = "kiwi-bigram"
    #: weights of the four BM25 views in a card's score
    core: float = 1.0
    question: float = 0.5
    body: float = 0.3
    typo: float = 0.15
    #: coverage credit of a query term found in the card's core (titles, aliases, fronts): 1; only
    #: in one of its questions: this (a card that quizzes a side point is not about it) ...
    question_credit: float = 0.75
    #: ... and only in its body (answers, key points): this
    body_credit: float = 0.3
    #: a term no card uses weighs like one used by this share of the cards: as often a stray
    #: word ("suddenly", a verb ending) as a topic the cards lack
    unknown_share: float = 0.125
    #: order by score x coverage ** coord (0: by score alone)
    coord: float = 0.5
    #: a card whose name (title, alias) stands whole in the query orders as if its score were
    #: (1 + this x the share of the query that name accounts for) times higher
    phrase_boost: float = 0.5
    #: other cards are listed while their score is at least this share of the first one's
    relative_cutoff: float = 0.35
    #: a card after the first is an answer too when its ordering score is at least this share
    #: of the first one's (two cards that answer the question equally)
    answer_share: float = 0.85
    #: a family named in a query is the answer (a broad question) when the query's other terms
    #: weigh at most this share of it, or at most the second share when the query says it wants
    #: an overview ("종류", "compare")
    broad_residual: float = 0.35
    broad_residual_marked: float = 0.6
    #: how close (0-100, rapidfuzz ratio) an unknown word must be to an indexed one to stand for it
    typo_similarity: float = 80.0
    #: the same for a Korean word, compared jamo by jamo (one wrong vowel in three syllables: ~89)
    korean_typo_similarity: float = 85.0
    k1: float = 1.2
    b: float = 0.75


@dataclass(frozen=True)
class Hit:
    concept_id: int
    score: float
    coverage: float
    question_id: int | None  # the best matching question, if one matched
    #: True: this card answers the query; False: it is only related
    answer: bool = False


@dataclass
class Ranking:
    #: answers first (when covered), then related cards
    hits: list[Hit]
    covered: bool
    #: the query's terms after typo correction (for debugging)
    terms: list[str] = field(default_factory=list)
    #: the covered decision's features and probability (bench/search_fit.py fits on them)
    features: dict[str, float] = field(default_factory=dict)
    probability: float = 0.0
    #: the family a broad question asked about, if any
    family: str | None = None


# -- the covered decision: a logistic model over ranking features, fitted by bench/search_fit.py --

COVERED_MODEL_FILE = Path(__file__).resolve().parent / "search_covered.json"
#: what the model reads of a ranking (see `SearchIndex.features`)
FEATURES = ("log_score", "coverage", "margin", "core_share", "known_share", "unknown_share", "phrase_share",
            "log_terms")


@dataclass(frozen=True)
class CoveredModel:
    """P(covered) = sigmoid(bias + sum of weight * standardized feature); covered when >= threshold."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float = 0.5

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(w * (features[name] - m) / s for name, w, m, s
                            in zip(FEATURES, self.weights, self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    @classmethod
    def from_dict(cls, data: dict) -> CoveredModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"covered model was fitted on features {data['features']}, search computes {FEATURES}")
        return cls(weights=tuple(data["weights"]), bias=float(data["bias"]), mean=tuple(data["mean"]),
                   scale=tuple(data["scale"]), threshold=float(data.get("threshold", 0.5)))


@functools.lru_cache(maxsize=8)
def covered_model(korean: str) -> CoveredModel:
    """The committed model for one Korean tokenizer (the file holds one per tokenizer)."""
    models = json.loads(COVERED_MODEL_FILE.read_text(encoding="utf-8"))["models"]
    if korean not in models:
        raise ValueError(f"{COVERED_MODEL_FILE.name} has no model for the {korean!r} tokenizer: "
                         f"run bench/search_fit.py --korean {korean}")
    return CoveredModel.from_dict(models[korean])


# -- families: broad questions ("optimizers", "RNN 종류", "SGD, RMSprop, Adam 비교") --------------

FAMILIES_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "search" / "families.yaml"
#: words by which a question asks for a family at once rather than one of its members
BROAD_MARKERS = re.compile(
    r"종류|비교|나열|아는 대로|아는대로|전반|정리|어떤 것들|뭐가 있|무엇이 있|어떤 게 있|계열|변형들|"
    r"\blist\b|\btypes?\b|\bkinds?\b|\bvariants?\b|\bcompar|\boverview\b|\bfamil|\bsummar")


#: a question about why is about one thing, not a family ("why use ReLU instead of sigmoid")
WHY = re.compile(r"왜|이유|필요|\bwhy\b|\bneed")


@dataclass(frozen=True)
class Family:
    """Cards that together answer a broad question, in the order one would explain them;
    the overview card, when it exists, comes first."""

    slug: str
    names: tuple[str, ...]
    cards: tuple[str, ...]
    overview: str | None = None


def load_families(path: Path = FAMILIES_FILE) -> list[Family]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [Family(slug=slug, names=tuple(entry.get("ko", []) + entry.get("en", [])), cards=tuple(entry["cards"]),
                   overview=entry.get("overview")) for slug, entry in data.items()]


def _bm25(docs: list[list[str]], config: Config) -> bm25s.BM25 | None:
    if not docs:
        return None
    index = bm25s.BM25(k1=config.k1, b=config.b)
    # An empty document would break the library's sparse matrix; a placeholder token scores nothing.
    index.index([d or ["\x00"] for d in docs], show_progress=False)
    return index


class SearchIndex:
    """BM25 indexes over a fixed set of cards; immutable once built, safe to share between threads."""

    def __init__(self, cards: list[CardText], config: Config = Config(), *,
                 model: CoveredModel | None = None, families: list[Family] | None = None):
        self.config = config
        self.model = model or covered_model(config.korean)
        self.cards = cards
        korean = config.korean
        n = len(cards)
        self.concept_ids = np.array([c.concept_id for c in cards], dtype=np.int64)
        core = [analyze(c.core, korean) for c in cards]
        body = [analyze(c.body, korean) for c in cards]
        questions = [(i, qid, analyze(text, korean)) for i, c in enumerate(cards) for qid, text in c.questions]
        self._core = _bm25([t + p for t, p in core], config)
        self._body = _bm25([t + p for t, p in body], config)
        self._typo = _bm25([trigrams(c.core) for c in cards], config)
        self._questions = _bm25([t + p for _, _, (t, p) in questions], config)
        self._question_ids = [qid for _, qid, _ in questions]
        self._question_card = np.array([i for i, _, _ in questions], dtype=np.int64)
        # Coverage: per card, the terms (and joined pairs) of its core and questions (full credit)
        # and of its body.
        self._strong = [set(core[i][0]) | set(core[i][1]) for i in range(n)]
        self._asked = [set() for _ in range(n)]
        for i, _, (terms, pairs) in questions:
            self._asked[i] |= set(terms) | set(pairs)
        self._weak = [set(body[i][0]) | set(body[i][1]) for i in range(n)]
        self._about = set().union(*self._strong, *self._asked, *self._weak)
        # Names each card answers to as a whole (titles, slug, aliases), as sets of terms
        self._phrases = [[frozenset(t + p) for t, p in (analyze(text, korean) for text in c.phrases) if t]
                         for c in cards]
        # Document frequency over everything a card says, so that words many cards use weigh
        # little; and every Latin word the cards use, for typo correction.
        df: dict[str, int] = {}
        known: set[str] = set()
        for i, card in enumerate(cards):
            terms, words = vocabulary("\n".join([card.core, card.body, card.background]
                                                 + [text for _, text in card.questions]), korean)
            for term in terms | self._strong[i] | self._asked[i] | self._weak[i]:
                df[term] = df.get(term, 0) + 1
            known |= words
        self._df = df
        self._known = frozenset(known)
        self._vocabulary = sorted(w for w in known if len(w) > 3)
        self._short_words = [w for w in self._vocabulary if len(w) <= 7]
        # Korean words (particles cut) the cards use, and those of their names, for Korean typos
        korean_words = lambda text: {strip_suffix(run) for run in HANGUL.findall(normalize(text))}  # noqa: E731
        self._korean_known = frozenset().union(*(korean_words("\n".join(
            [c.core, c.body, c.background, *(t for _, t in c.questions)])) for c in cards))
        self._korean_core = sorted(w for w in set().union(*(korean_words("\n".join((c.core, *c.phrases)))
                                                             for c in cards)) if len(w) >= 3)
        self._korean_jamo = [jamo(w) for w in self._korean_core]
        core_words = set().union(*(vocabulary("\n".join((c.core, *c.phrases)), korean)[1] for c in cards))
        self._core_vocabulary = sorted(w for w in core_words if len(w) > 3)
        self._core_short = [w for w in self._core_vocabulary if len(w) <= 7]
        self._slug_index = {c.slug: i for i, c in enumerate(cards) if c.slug}
        self.families = []  # (family, its names as term sets, indices of its cards here, overview first)
        for family in load_families() if families is None else families:
            members = [self._slug_index[s] for s in ((family.overview,) if family.overview else ()) + family.cards
                       if s in self._slug_index]
            names = [frozenset(t + p) for t, p in (analyze(name, korean) for name in family.names) if t]
            if members:
                self.families.append((family, names, list(dict.fromkeys(members))))
        self.scale = self._scale()

    def __len__(self) -> int:
        return len(self.cards)

    def idf(self, term: str) -> float:
        """The term's weight for coverage: rarer across everything the cards say is heavier; a word
        that asks for an aspect of the topic ("downsides", "문제점") weighs a quarter."""
        n = len(self.cards)
        df = self._df.get(term) or self.config.unknown_share * n
        weight = math.log(1 + (n + 0.5) / (df + 0.5))
        return weight * ASPECT_WEIGHT if term in ASPECT_TERMS else weight

    def correct(self, query: str) -> str:
        """The query with each word no card uses replaced by the closest one that is, if close:
        Latin words letter by letter, Korean words jamo by jamo ("역전퍄" -> "역전파")."""
        replaced = {}
        for run in set(HANGUL.findall(normalize(query))):
            stem = strip_suffix(run)
            if len(stem) < 3 or stem in self._korean_known or stem in STOPWORDS_KO:
                continue
            match = process.extractOne(jamo(stem), self._korean_jamo, scorer=fuzz.ratio,
                                       score_cutoff=self.config.korean_typo_similarity)
            if match:
                replaced[run] = self._korean_core[match[2]] + run[len(stem):]
        for word in set(latin_words(query)):
            if word in self._known or len(word) < 4:
                continue
            # the names cards go by first ("swich" is "swish" before "switch"), then every word
            for vocabulary, short in ((self._core_vocabulary, self._core_short), (self._vocabulary, self._short_words)):
                match = self._closest(word, vocabulary, short)
                if match:
                    replaced[word] = match
                    break
        if not replaced:
            return query
        return RUN.sub(lambda m: replaced.get(m.group(), m.group()), normalize(query))

    def _closest(self, word: str, vocabulary: list[str], short: list[str]) -> str | None:
        cutoff = self.config.typo_similarity if len(word) > 5 else max(self.config.typo_similarity, 85.0)
        match = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff)
        if not match and len(word) <= 6:
            # short words: one swap of adjacent letters or one other edit ("adma", "ltsm", "swich")
            match = process.extractOne(word, short, scorer=OSA.distance, score_cutoff=1)
        return match[0] if match else None

    def _scores(self, index: bm25s.BM25, query: list[str]) -> np.ndarray:
        ids = index.get_tokens_ids(list(dict.fromkeys(query)))  # words no card has are left out
        if not ids:
            return np.zeros(index.scores["num_docs"], dtype=np.float32)
        return index.get_scores_from_ids(ids)

    def coverage(self, card_index: int, terms: list[str]) -> float:
        """IDF-weighted share of the query's terms that the card contains (body terms count part)."""
        weights = {t: self.idf(t) for t in terms}
        total = sum(weights.values())
        if not total:
            return 0.0
        strong, asked, weak = self._strong[card_index], self._asked[card_index], self._weak[card_index]
        config = self.config

        def credit(term):
            if term in strong:
                return 1.0
            return config.question_credit if term in asked else config.body_credit if term in weak else 0.0

        return sum(w * credit(t) for t, w in weights.items()) / total

    def _raw_scores(self, query: str) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
        """(the query's terms and pairs, each card's BM25 score, each card's best question or -1)."""
        config = self.config
        terms, pairs = analyze(self.correct(query), config.korean)
        query_tokens = terms + pairs
        total = np.zeros(len(self.cards), dtype=np.float32)
        best_question = np.full(len(self.cards), -1, dtype=np.int64)
        if not self.cards or not (query_tokens or trigrams(query)):
            return terms, pairs, total, best_question
        total += config.core * self._scores(self._core, query_tokens)
        total += config.body * self._scores(self._body, query_tokens)
        total += config.typo * self._scores(self._typo, trigrams(query))
        if self._questions is not None and query_tokens:
            per_question = self._scores(self._questions, query_tokens)
            best = np.zeros(len(self.cards), dtype=np.float32)
            # the best question of each card: visit questions by ascending score, the last write wins
            order = np.argsort(per_question, kind="stable")
            best[self._question_card[order]] = per_question[order]
            best_question[self._question_card[order]] = order
            best_question[best <= 0] = -1
            total += config.question * best
        return terms, pairs, total, best_question

    def _scale(self) -> float:
        """The median score of a card for its own title (each language): scores are divided by it,
        so that 1.0 means "as strong a match as a card's title" whatever the number of cards."""
        own = []
        for index, card in enumerate(self.cards):
            for title in card.titles:
                if title.strip():
                    own.append(float(self._raw_scores(title)[2][index]))
        own = [s for s in own if s > 0]
        return float(np.median(own)) if own else 1.0

    def _share(self, terms, weights: dict[str, float], total: float) -> float:
        return sum(weights[t] for t in terms if t in weights) / total if total else 0.0

    def phrase_share(self, card_index: int, query_terms: frozenset, weights: dict[str, float], total: float) -> float:
        """The weight share of the query that one of the card's names, found whole in it, accounts for."""
        return max((self._share(phrase, weights, total) for phrase in self._phrases[card_index]
                    if phrase <= query_terms), default=0.0)

    def features(self, ranked: list[int], order: dict[int, float], total: np.ndarray, coverage: dict[int, float],
                 unique_terms: list[str], query_terms: frozenset) -> dict[str, float]:
        """What the covered decision reads: how strong the first card is (score, coverage, margin over
        the second), how much of the query is about what the cards are about at all, whether one
        of the first card's names stands whole in the query, and how long the query is."""
        weights = {t: self.idf(t) for t in unique_terms}
        weight = sum(weights.values())
        first = ranked[0]
        second = order[ranked[1]] if len(ranked) > 1 else 0.0
        return {
            "log_score": math.log1p(float(total[first])),
            "coverage": coverage[first],
            "margin": 1.0 - second / order[first] if order[first] > 0 else 0.0,
            "core_share": self._share([t for t in weights if t in self._strong[first]], weights, weight),
            "known_share": self._share([t for t in weights if t in self._about], weights, weight),
            "unknown_share": self._share([t for t in weights if t not in self._df], weights, weight),
            "phrase_share": self.phrase_share(first, query_terms, weights, weight),
            "log_terms": math.log1p(len(unique_terms)),
        }

    def named(self, members: list[int], query_terms: frozenset) -> list[int]:
        """The cards among `members` that the query names by one of their names, except a card whose
        name only combines others' ("why relu over sigmoid" when "sigmoid" and "relu" are named too)."""
        found = {}
        for i in members:
            matched = [p for p in self._phrases[i] if p <= query_terms]
            if matched:
                found[i] = max(matched, key=len)
        return [i for i, phrase in found.items()
                if not phrase <= frozenset().union(*(other for j, other in found.items() if j != i and other < phrase))]



    def _member_before_overview(self, query: str, ranked: list[int], query_terms: frozenset) -> list[int]:
        """An overview card does not come first when the query names one of its family's cards
        and asks for no overview ("Adam 옵티마이저 설명해 주세요" is about Adam)."""
        first = ranked[0]
        for family, names, members in self.families:
            if family.overview and self.cards[first].slug == family.overview:
                if BROAD_MARKERS.search(normalize(query)):
                    return ranked
                specific = [i for i in self.named(members, query_terms) if i != first and not any(
                    max((p for p in self._phrases[i] if p <= query_terms), key=len) <= name for name in names)]
                best = next((i for i in ranked if i in specific), None)
                if best is not None:
                    return [best] + [i for i in ranked if i != best]
        return ranked

    def broad(self, query: str, query_terms: frozenset, unique_terms: list[str]) -> tuple[Family, list[int]] | None:
        """The family a broad question asks about and the cards that answer it, or None.
        Broad: the query names a family ("optimizers", "손실 함수") and little else, or says it wants
        an overview ("종류", "compare", "list"); or it names three or more of one family's cards."""
        if not self.families:
            return None
        markers = BROAD_MARKERS.findall(normalize(query))
        wants_overview = bool(markers)
        if not wants_overview and WHY.search(normalize(query)):
            return None  # "활성화 함수를 왜 쓰나요?" asks one thing about the family
        # the words that ask for an overview are not "something else" the query asks about
        asked = set(analyze(" ".join(markers), self.config.korean)[0])
        weights = {t: self.idf(t) for t in unique_terms if t not in asked}
        weight = sum(weights.values())
        best = None
        for family, names, members in self.families:
            named = self.named(members, query_terms)
            phrases = {i: max((p for p in self._phrases[i] if p <= query_terms), key=len) for i in named}
            for name in names:
                # "Adam 옵티마이저" asks about Adam, "optimizers" about the family (Adam's alias
                # "which optimizer" says no more than the family's name)
                specific = [i for i in named if not phrases[i] <= name]
                if name <= query_terms and (wants_overview or not specific):
                    residual = 1.0 - self._share(name, weights, weight)
                    limit = self.config.broad_residual_marked if wants_overview else self.config.broad_residual
                    if residual <= limit and (
                            best is None or residual < best[0]):
                        best = (residual, family, members)
            if len(set(phrases.values())) >= 3 and (best is None or best[0] > 0):
                best = (0.0, family, named)
        return (best[1], best[2]) if best else None

    def rank(self, query: str, *, limit: int = 10, allowed: set[int] | None = None) -> Ranking:
        """The cards that match `query` best (at most `limit`, only those in `allowed` if given),
        answers first, and whether the query is covered."""
        config = self.config
        terms, pairs, total, best_question = self._raw_scores(query)
        total = total / self.scale
        if allowed is not None:
            total = np.where(np.isin(self.concept_ids, list(allowed)), total, 0.0)
        # A joined pair counts when some card uses it as a word: "batch normalization" -> "batchnorm"
        unique_terms = list(dict.fromkeys(terms + [p for p in pairs if p in self._df]))
        query_terms = frozenset(terms) | frozenset(pairs)
        candidates = [int(i) for i in np.argsort(-total, kind="stable")[:max(limit, 10)] if total[i] > 0]
        coverage = {i: self.coverage(i, unique_terms) for i in candidates}
        # Lucene's old "coord" factor: of two cards that score alike, the one with more of the query wins
        weights = {t: self.idf(t) for t in unique_terms}
        weight = sum(weights.values())
        named = {i: self.phrase_share(i, query_terms, weights, weight) for i in candidates}
        # ... and a card one of whose names stands whole in the query is what it asks about
        order = {i: float(total[i]) * coverage[i] ** config.coord * (1 + config.phrase_boost * named[i])
                 for i in candidates}
        ranked = sorted(candidates, key=lambda i: -order[i])
        if not ranked:
            return Ranking(hits=[], covered=False, terms=terms)
        ranked = self._member_before_overview(query, ranked, query_terms)
        features = self.features(ranked, order, total, coverage, unique_terms, query_terms)
        probability = self.model.probability(features)
        covered = probability >= self.model.threshold
        family = self.broad(query, query_terms, unique_terms)
        if family is not None:
            answers = [i for i in family[1] if allowed is None or int(self.concept_ids[i]) in allowed]
            if answers:
                covered = True
            else:
                family = None
        else:
            answers = []
        if not answers and covered:
            answers = [i for i in ranked if order[i] >= config.answer_share * order[ranked[0]]]
        top = order[ranked[0]]
        listed = answers + [i for i in ranked if i not in answers and order[i] >= config.relative_cutoff * top]
        hits = []
        for index in listed[:limit]:
            score = float(total[index])
            question = int(best_question[index])
            hits.append(Hit(
                concept_id=int(self.concept_ids[index]), score=round(score, 3),
                coverage=round(coverage.get(index, self.coverage(index, unique_terms)), 3),
                question_id=self._question_ids[question] if question >= 0 else None, answer=index in answers,
            ))
        return Ranking(hits=hits, covered=covered, terms=terms, features=features, probability=probability,
                       family=family[0].slug if family else None)


# -- Django: the index of the database's cards, rebuilt when content changes -------------------

_lock = threading.Lock()
_cached: tuple[tuple, SearchIndex] | None = None


def _join(*parts) -> str:
    out: list[str] = []
    for part in parts:
        out += part if isinstance(part, list) else [part]
    return "\n".join(p for p in out if p)


_NAME_SEPARATOR = re.compile(r"\s*(?:[,&()]|\band\b|\bvs\.?|\bor\b|(?<=[A-Za-z0-9)])[와과]\s|\s및\s)\s*")


def _names(title: str) -> list[str]:
    """The names a title joins: "AdaGrad and RMSProp" -> ["AdaGrad", "RMSProp"]."""
    parts = [p for p in _NAME_SEPARATOR.split(title) if p and p.strip()]
    return parts if len(parts) > 1 else []


def card_text(concept, questions) -> CardText:
    """What search reads of a Concept and its Questions (saved or not: only their ids and texts)."""
    return CardText(
        concept_id=concept.pk,
        titles=(concept.title_ko, concept.title_en),
        core=_join(concept.slug.replace("-", " "), concept.title_ko, concept.title_en, concept.aliases_ko,
                   concept.aliases_en, concept.front_ko, concept.front_en),
        body=_join(concept.answer_ko, concept.answer_en, concept.key_points_ko, concept.key_points_en),
        questions=tuple((q.pk, _join(q.prompt_ko, q.prompt_en)) for q in questions),
        background=_join(concept.explanation_ko, concept.explanation_en, concept.pitfalls_ko, concept.pitfalls_en,
                         concept.follow_ups_ko, concept.follow_ups_en,
                         [_join(q.explanation_ko, q.explanation_en) for q in questions]),
        slug=concept.slug,
        phrases=tuple(p for p in (concept.title_ko, concept.title_en, concept.slug.replace("-", " "),
                                  *_names(concept.title_ko), *_names(concept.title_en),
                                  *(concept.aliases_ko or []), *(concept.aliases_en or [])) if p),
    )


def card_texts() -> list[CardText]:
    """Every card in the database (drafts too: callers filter), with its questions."""
    from concepts.models import Concept, Question

    questions: dict[int, list] = {}
    fields = ("id", "concept_id", "prompt_ko", "prompt_en", "explanation_ko", "explanation_en")
    for question in Question.objects.order_by("concept_id", "order", "id").only(*fields):
        questions.setdefault(question.concept_id, []).append(question)
    return [card_text(c, questions.get(c.pk, [])) for c in Concept.objects.order_by("id")]


def content_version() -> tuple:
    """Changes whenever a card or question is added, edited (saved) or deleted."""
    from django.db.models import Count, Max

    from concepts.models import Concept, Question

    concepts = Concept.objects.aggregate(n=Count("id"), at=Max("updated_at"), top=Max("id"))
    questions = Question.objects.aggregate(n=Count("id"), at=Max("updated_at"), top=Max("id"))
    return (*concepts.values(), *questions.values())


def current_index() -> SearchIndex:
    """The index of the cards now in the database. Two small aggregate queries per call tell
    whether content changed since it was built (on any app server); only then is it rebuilt
    (~0.3 s for the shipped content)."""
    global _cached
    version = content_version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        if _cached is None or _cached[0] != version:
            _cached = (version, SearchIndex(card_texts()))
        return _cached[1]


@dataclass
class CardMatch:
    concept: object  # a Concept, with its topic
    score: float
    question: object | None  # the published Question that matched best, if any
    #: True: the card answers the query; False: it is only related to it
    answer: bool = False


@dataclass
class SearchResult:
    query: str
    #: True when cards answer the query; `results` then lists them, in the order to read them.
    #: False: "not covered yet", `results` is empty.
    covered: bool
    results: list[CardMatch]
    #: cards near the query that do not answer it (at most a few when not covered)
    related: list[CardMatch]
    #: the family a broad question asked about ("optimizers"), if any
    family: str | None = None


#: not covered: how many related cards to offer, and how strong (in score units) each must be
RELATED_LIMIT = 3
RELATED_MIN_SCORE = 0.1


def search_cards(*, query: str, topic: str | None = None, limit: int = 10) -> SearchResult:
    """Published cards that answer `query` (Korean, English or both), in the order to read them,
    then related cards; or, when none answers, "not covered" with a few related cards."""
    from concepts.models import Concept, Question, Status

    index = current_index()
    published = Concept.objects.filter(status=Status.PUBLISHED)
    if topic:
        published = published.filter(topic__slug=topic)
    ranking = index.rank(query, limit=limit, allowed=set(published.values_list("id", flat=True)))
    hits = ranking.hits if ranking.covered else [
        h for h in ranking.hits[:RELATED_LIMIT] if h.score >= RELATED_MIN_SCORE]
    concepts = Concept.objects.select_related("topic").in_bulk([h.concept_id for h in hits])
    questions = Question.objects.filter(status=Status.PUBLISHED).in_bulk(
        [h.question_id for h in hits if h.question_id is not None])
    matches = [CardMatch(concepts[h.concept_id], h.score, questions.get(h.question_id), h.answer) for h in hits]
    return SearchResult(query=query, covered=ranking.covered, results=[m for m in matches if m.answer],
                        related=[m for m in matches if not m.answer], family=ranking.family)


def ranked_concept_ids(query: str, *, limit: int = 50) -> list[int]:
    """Every card (drafts too) the ranking finds for `query`, best first: for the admin."""
    return [h.concept_id for h in current_index().rank(query, limit=limit).hits]
