"""The plain data of search: what it reads of a card (`CardText`), its weights (`Config`),
and what it returns (`Hit`, `Ranking`)."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 300


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

    #: Korean tokenizer, one of KOREAN_TOKENIZERS, kept by its score on blind sets measured untouched
    #: (right card in the top 3 / first / in-scope "not covered" / off-topic rejected), each
    #: tokenizer with its own covered model fitted on the tuning sets before the measurement:
    #:
    #:   =============  ==========================  ==========================  ==========================
    #:   tokenizer      v3 (271 + 61), stop 20      v4 (369 + 56), stop 21      v5 (349 + 55), stop 21
    #:   =============  ==========================  ==========================  ==========================
    #:   kiwi-bigram    86.3 / 83.0 / 11.8 / 98.4   92.1 / 84.8 / 6.2 / 91.1    94.0 / 86.8 / 4.9 / 94.5
    #:   kiwi           91.9 / 88.2 / 6.3 / 96.7    90.2 / 83.2 / 7.9 / 92.9    93.1 / 86.8 / 6.0 / 94.5
    #:   bigram         86.3 / 83.0 / 11.8 / 100    93.8 / 86.4 / 4.1 / 87.5    94.3 / 87.4 / 4.3 / 85.5
    #:   =============  ==========================  ==========================  ==========================
    #:
    #: (v3 with the stop-20 model fitted on v2; v4 with the model fitted on v2 + v3; v5 with the one
    #: fitted on v2 + v3 + v4. Only kiwi-bigram meets all four targets (>= 90 / 80, <= 5, >= 90) on
    #: v5; it was chosen after reading v5, one choice of three.) On v5, Kiwi alone turns away more
    #: in-scope Korean questions (9.4 % "not covered" against 7.3 %); bigrams alone answer too many
    #: off-topic ones.
    #: A stem table built on write instead of Kiwi at read time loses on the tune half
    #: (bench/search_kiwi_table.py): Kiwi stays.
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
