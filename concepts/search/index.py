"""The ranking: BM25 over four views of each card, coverage, names standing whole in the
query, families for broad questions, and the covered decision (see the package's docstring)."""

from __future__ import annotations

import logging
import math

import bm25s
import numpy as np

from concepts.search.covered import CoveredModel, covered_model
from concepts.search.families import Family, FamilyMatching, load_families
from concepts.search.model import CardText, Config, Hit, Ranking
from concepts.search.morphology import prime_korean
from concepts.search.terms import ASPECT_TERMS, ASPECT_WEIGHT, HANGUL, analyze, normalize, trigrams, vocabulary
from concepts.search.typos import TypoCorrection

logging.getLogger("bm25s").setLevel(logging.WARNING)  # the library sets DEBUG and logs every index build


def _bm25(docs: list[list[str]], config: Config) -> bm25s.BM25 | None:
    if not docs:
        return None
    index = bm25s.BM25(k1=config.k1, b=config.b)
    # An empty document would break the library's sparse matrix; a placeholder token scores nothing.
    index.index([d or ["\x00"] for d in docs], show_progress=False)
    return index


class SearchIndex(TypoCorrection, FamilyMatching):
    """BM25 indexes over a fixed set of cards; immutable once built, safe to share between threads."""

    def __init__(self, cards: list[CardText], config: Config = Config(), *,
                 model: CoveredModel | None = None, families: list[Family] | None = None):
        self.config = config
        self.model = model or covered_model(config.korean)
        self.cards = cards
        korean = config.korean
        n = len(cards)
        self.concept_ids = np.array([c.concept_id for c in cards], dtype=np.int64)
        families = load_families() if families is None else families
        if korean != "bigram":  # every Korean word the cards and family names use, to Kiwi in one request
            texts = [text for c in cards for text in (c.core, c.body, c.background, *c.phrases,
                                                      *(t for _, t in c.questions))]
            prime_korean(word for text in texts + [n for f in families for n in f.names]
                         for word in HANGUL.findall(normalize(text)))
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
        self._learn_words(cards, known)
        self._slug_index = {c.slug: i for i, c in enumerate(cards) if c.slug}
        self.families = []  # (family, its names as term sets, indices of its cards here, overview first)
        for family in families:
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
