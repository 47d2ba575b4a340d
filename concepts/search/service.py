"""Django: the index of the database's cards, kept in-process while content is unchanged, and
the services the API, the library page (`search_cards`) and the admin (`ranked_concept_ids`)
call. Django is imported inside the functions: the rest of the package runs without it."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

from concepts.search.index import SearchIndex
from concepts.search.model import CardText

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_cached: tuple[tuple, SearchIndex] | None = None
_warm_up_lock = threading.Lock()
_warm_up: threading.Thread | None = None


def _join(*parts) -> str:
    out: list[str] = []
    for part in parts:
        out += part if isinstance(part, list) else [part]
    return "\n".join(p for p in out if p)


_NAME_SEPARATOR = re.compile(r"\s*(?:[,&()]|\band\b|\bvs\.?|\bor\b|(?<=[A-Za-z0-9)])[와과]\s|(?<=[가-힣]{2})[와과]\s|\s및\s)\s*")


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


def warm_up_in_background() -> threading.Thread | None:
    """Build the index (loading Kiwi, ~1.5 s on a quiet machine, 5 s on a busy one) in a daemon thread,
    once per process, unless one is built: the library page calls this, so that the question a learner
    then types finds the index ready instead of waiting for it. Off with SEARCH_WARM_UP=0. Returns the
    thread started, if one was."""
    from django.conf import settings

    global _warm_up
    if _cached is not None or _warm_up is not None or not settings.SEARCH_WARM_UP:
        return None
    with _warm_up_lock:
        if _warm_up is not None:
            return None
        _warm_up = threading.Thread(target=_build_then_close, name="search-warm-up", daemon=True)
        _warm_up.start()
        return _warm_up


def _build_then_close() -> None:
    from django.db import connection

    try:
        current_index()
    except Exception:  # the first search builds the index then, and says what failed
        _log.exception("building the search index in the background failed")
    finally:
        connection.close()  # this thread's own connection


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
    from concepts.models import Concept, Question

    index = current_index()
    published = Concept.objects.published().of_topic(topic)
    ranking = index.rank(query, limit=limit, allowed=set(published.values_list("id", flat=True)))
    hits = ranking.hits if ranking.covered else [
        h for h in ranking.hits[:RELATED_LIMIT] if h.score >= RELATED_MIN_SCORE]
    concepts = Concept.objects.select_related("topic").in_bulk([h.concept_id for h in hits])
    questions = Question.objects.published().in_bulk(
        [h.question_id for h in hits if h.question_id is not None])
    matches = [CardMatch(concepts[h.concept_id], h.score, questions.get(h.question_id), h.answer) for h in hits]
    return SearchResult(query=query, covered=ranking.covered, results=[m for m in matches if m.answer],
                        related=[m for m in matches if not m.answer], family=ranking.family)


def ranked_concept_ids(query: str, *, limit: int = 50) -> list[int]:
    """Every card (drafts too) the ranking finds for `query`, best first: for the admin."""
    return [h.concept_id for h in current_index().rank(query, limit=limit).hits]
