"""Anki decks (.apkg) of the published content, in Korean, English or both.

One note per published concept card (front / answer, explanation, key points,
follow-ups) and optionally one per published question (prompt / answer and
explanation); the notes themselves are built in `concepts.anki_notes`. Note GUIDs
come from the slug and the language mode, and deck and model ids from a hash of
their names, so importing a newer export into Anki updates the notes instead of
adding copies.

genanki's `Package.write_to_file` builds the collection in a `tempfile.mkstemp()`
file that it never deletes; `apkg_bytes` builds it in an in-memory SQLite
database instead, so an export leaves no file behind.
"""

from __future__ import annotations

import io
import itertools
import sqlite3
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import genanki
from django.db.models import Prefetch
from django.utils.html import escape

from concepts import demos
from concepts.anki_notes import (  # noqa: F401 - the notes' public names, importable from here as before
    CONCEPT_MODEL, CSS, GUID_NAMESPACE, LABELS, QUESTION_MODEL, concept_back, concept_front, concept_guid,
    concept_note, mathjax, question_answer, question_back, question_front, question_guid, question_note, sides,
    stable_id,
)
from concepts.markup import preload
from concepts.models import Choice, Concept, Question, Topic

MODES = ("ko", "en", "both")
DECK_ROOT = "DL Interview Prep"


def deck_name(topic: Topic, mode: str) -> str:
    if mode == "both":
        title = " / ".join(dict.fromkeys(t for t in (topic.title_ko, topic.title_en) if t)) or topic.slug
    else:
        title = topic.localized("title", mode) or topic.slug
    return f"{DECK_ROOT}::{title}"


def deck_id(topic: Topic, mode: str) -> int:
    # The mode is part of the id: notes of different modes have different GUIDs,
    # so each mode gets its own deck rather than mixing languages in one.
    return stable_id("deck", topic.slug, mode)


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    notes: int


def _topics(topic_slugs: Iterable[str] | None, questions: bool):
    concepts = Concept.objects.published().order_by("order", "slug")
    if questions:
        published = (
            Question.objects.published()
            .order_by("order", "slug")
            .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "id")),
                              "accepted_answers")
        )
        concepts = concepts.prefetch_related(Prefetch("questions", queryset=published))
    qs = Topic.objects.order_by("order", "slug").prefetch_related(Prefetch("concepts", queryset=concepts))
    if topic_slugs is not None:
        qs = qs.filter(slug__in=list(topic_slugs))
    return list(qs)


class UnfilledValues(Exception):
    """Some texts quote demo values that are not computed yet: no deck is written with a gap in it."""

    def __init__(self, items: list[str]):
        self.items = items
        super().__init__(
            f"{len(items)} item(s) quote demo values that are not computed yet ({', '.join(items[:10])}"
            f"{', ...' if len(items) > 10 else ''}); run `manage.py load_content` (or wait for the computation) "
            "and export again.")


CONCEPT_FIELDS = ("answer", "explanation", "key_points", "pitfalls")
QUESTION_FIELDS = ("prompt", "explanation")


def build_package(*, topic_slugs: Iterable[str] | None = None, mode: str = "both",
                  questions: bool = False) -> genanki.Package:
    """One deck per topic (`DL Interview Prep::<topic>`); every topic when `topic_slugs` is None.

    Quoted demo values come from the demo-result store, fetched in one query; if any is
    missing, `UnfilledValues` names the items and nothing is built (runs no demo).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    topics = _topics(topic_slugs, questions)
    concepts = [c for t in topics for c in t.concepts.all()]
    gaps = demos.unfilled(concepts, CONCEPT_FIELDS)
    if questions:
        gaps += demos.unfilled([q for c in concepts for q in c.questions.all()], QUESTION_FIELDS)
    if gaps:
        raise UnfilledValues([f"{type(o).__name__.lower()} {o.slug!r}" for o in gaps])
    decks = []
    for topic in topics:
        description = sides(mode, lambda lang, topic=topic: escape(topic.localized("description", lang)))
        deck = genanki.Deck(deck_id(topic, mode), deck_name(topic, mode), description=description)
        for concept in topic.concepts.all():
            concept.topic = topic  # already loaded; saves a query per note
            deck.add_note(concept_note(concept, mode))
            if questions:
                for question in concept.questions.all():
                    deck.add_note(question_note(question, topic, mode))
        decks.append(deck)
    return genanki.Package(decks)


def apkg_bytes(package: genanki.Package, *, timestamp: float | None = None) -> bytes:
    """The .apkg file of `package`, built in memory: no temporary file is created."""
    timestamp = time.time() if timestamp is None else timestamp
    conn = sqlite3.connect(":memory:")
    try:
        cursor = conn.cursor()
        package.write_to_db(cursor, timestamp, itertools.count(int(timestamp * 1000)))
        conn.commit()
        collection = conn.serialize()
    finally:
        conn.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("collection.anki2", collection)
        out.writestr("media", "{}")
    return buffer.getvalue()


def filename(topic_slug: str | None, mode: str) -> str:
    return f"dlprep-{topic_slug or 'all'}-{mode}.apkg"


def export_anki(*, topic_slugs: Iterable[str] | None = None, mode: str = "both", questions: bool = False) -> Export:
    """Build the deck(s) and return the .apkg bytes with a file name."""
    slugs = None if topic_slugs is None else list(topic_slugs)
    preload()  # every stored rendering in one query, rather than one per text
    package = build_package(topic_slugs=slugs, mode=mode, questions=questions)
    notes = sum(len(deck.notes) for deck in package.decks)
    name = filename(slugs[0] if slugs and len(slugs) == 1 else None, mode)
    return Export(apkg_bytes(package), name, notes)
