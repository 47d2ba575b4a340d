"""Anki decks (.apkg) of the published content, in Korean, English or both.

One note per published concept card (front / answer, explanation, key points,
follow-ups) and optionally one per published question (prompt / answer and
explanation). Note GUIDs come from the slug and the language mode, and deck and
model ids from a hash of their names, so importing a newer export into Anki
updates the notes instead of adding copies.

Formulas are written for Anki's MathJax: `$...$` becomes `\\(...\\)` and
`$$...$$` becomes `\\[...\\]`.

genanki's `Package.write_to_file` builds the collection in a `tempfile.mkstemp()`
file that it never deletes; `apkg_bytes` builds it in an in-memory SQLite
database instead, so an export leaves no file behind.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import sqlite3
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import genanki
from django.db.models import Prefetch
from django.utils.html import escape

from concepts import demos
from concepts.demos import display
from concepts.markup import _MATH, html, preload
from concepts.models import Choice, Concept, Question, Status, Topic

MODES = ("ko", "en", "both")
DECK_ROOT = "DL Interview Prep"
GUID_NAMESPACE = "dlprep"

LABELS = {
    "ko": {"key_points": "핵심 정리", "follow_ups": "꼬리 질문", "answer": "정답", "true": "참", "false": "거짓",
           "tolerance": "허용 오차", "unit": "단위", "accepted": "인정되는 답"},
    "en": {"key_points": "Key points", "follow_ups": "Follow-up questions", "answer": "Answer", "true": "True",
           "false": "False", "tolerance": "tolerance", "unit": "unit", "accepted": "Accepted answers"},
}

CSS = """\
.card { font-family: -apple-system, "Apple SD Gothic Neo", "Noto Sans KR", sans-serif; font-size: 18px;
        line-height: 1.5; text-align: left; color: #1d1d1f; background: #fff; max-width: 40em; margin: 0 auto; }
.nightMode .card, .card.nightMode { color: #eee; background: #222; }
.lang-sep { border: 0; border-top: 2px dashed #999; margin: 1em 0; }
.lang-tag { font-size: 12px; color: #888; text-transform: uppercase; letter-spacing: .05em; }
.answer { font-weight: 600; }
h4 { margin: 1em 0 .3em; font-size: 15px; color: #555; }
.choices { list-style: upper-alpha; }
.correct { color: #1a7f37; font-weight: 600; }
"""


def stable_id(*parts: str) -> int:
    """A fixed integer in genanki's recommended id range [2**30, 2**31), from a hash of `parts`."""
    digest = hashlib.sha256("::".join(parts).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def _model(name: str, fields: list[str], css: str = CSS) -> genanki.Model:
    return genanki.Model(
        stable_id("model", name),
        name,
        fields=[{"name": f} for f in fields],
        templates=[{
            "name": "Card 1",
            "qfmt": "{{" + fields[0] + "}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{" + fields[1] + "}}",
        }],
        css=css,
    )


CONCEPT_MODEL = _model("DL Interview Prep concept card", ["Front", "Back", "Slug"])
QUESTION_MODEL = _model("DL Interview Prep question", ["Front", "Back", "Slug"])


# -- text to Anki HTML -----------------------------------------------------------

def mathjax(html: str) -> str:
    """`$$x$$` -> `\\[x\\]` and `$x$` -> `\\(x\\)`, the delimiters Anki's MathJax reads.

    The pattern is the one `render_markdown` uses to keep formulas away from
    Markdown, so exactly the spans the web pages show as formulas are converted.
    """

    def convert(match: re.Match) -> str:
        span = match.group(0)
        if span.startswith("$$"):
            return r"\[" + span[2:-2] + r"\]"
        return r"\(" + span[1:-1] + r"\)"

    return _MATH.sub(convert, html)


def _plain(text: str) -> str:
    return mathjax(escape(text or ""))


def _markdown(text: str) -> str:
    return mathjax(html(text or ""))


def _inline_markdown(text: str) -> str:
    """Markdown for a one-paragraph text (a list item), without the wrapping <p>."""
    html = _markdown(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def _text(obj, field: str, lang: str) -> str:
    """The field in `lang`, with demo-quoted numbers filled in (the demo runs only if the text quotes one)."""
    return display(obj, field, lang)


def _bullets(items: list[str], title: str) -> str:
    if not items:
        return ""
    lis = "".join(f"<li>{_inline_markdown(item)}</li>" for item in items)
    return f"<h4>{escape(title)}</h4><ul>{lis}</ul>"


def _sides(mode: str, render) -> str:
    """One side of a card: `render(lang)` for one language, or Korean then English, clearly separated."""
    if mode != "both":
        return render(mode)
    return (
        f'<div class="lang ko" lang="ko"><div class="lang-tag">한국어</div>{render("ko")}</div>'
        '<hr class="lang-sep">'
        f'<div class="lang en" lang="en"><div class="lang-tag">English</div>{render("en")}</div>'
    )


# -- notes -------------------------------------------------------------------------

def concept_front(concept: Concept, lang: str) -> str:
    return _plain(concept.localized("front", lang))


def concept_back(concept: Concept, lang: str) -> str:
    labels = LABELS[lang]
    return (
        f'<div class="answer">{_markdown(_text(concept, "answer", lang))}</div>'
        f'<div class="explanation">{_markdown(_text(concept, "explanation", lang))}</div>'
        + _bullets(concept.localized("key_points", lang), labels["key_points"])
        + _bullets(concept.localized("follow_ups", lang), labels["follow_ups"])
    )


def question_front(question: Question, lang: str) -> str:
    html = f'<div class="prompt">{_markdown(_text(question, "prompt", lang))}</div>'
    labels = LABELS[lang]
    if question.kind in ("single", "multiple"):
        items = "".join(f"<li>{_plain(c.localized('text', lang))}</li>" for c in question.choices.all())
        html += f'<ol class="choices">{items}</ol>'
    elif question.kind == "true_false":
        html += f'<p>{labels["true"]} / {labels["false"]}</p>'
    elif question.kind == "numeric" and question.numeric_unit:
        html += f'<p>({labels["unit"]}: {escape(question.numeric_unit)})</p>'
    return html


def question_answer(question: Question, lang: str) -> str:
    labels = LABELS[lang]
    if question.kind in ("single", "multiple"):
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        return "<br>".join(
            f'{letters[i % 26]}. {_plain(c.localized("text", lang))}'
            for i, c in enumerate(question.choices.all()) if c.is_correct
        )
    if question.kind == "true_false":
        return labels["true"] if question.answer_bool else labels["false"]
    if question.kind == "numeric":
        value = f"{question.numeric_value:g} {question.numeric_unit}".strip()
        return escape(f"{value} ({labels['tolerance']} ± {question.numeric_tolerance:g})")
    if question.kind == "short":
        answers = [a.text for a in question.accepted_answers.all() if a.language == lang]
        answers = answers or [a.text for a in question.accepted_answers.all()]
        return f'{labels["accepted"]}: ' + " / ".join(_plain(a) for a in answers)
    return ""


def question_back(question: Question, lang: str) -> str:
    return (
        f'<div class="answer correct">{question_answer(question, lang)}</div>'
        f'<div class="explanation">{_markdown(_text(question, "explanation", lang))}</div>'
    )


def concept_guid(slug: str, mode: str) -> str:
    return genanki.guid_for(GUID_NAMESPACE, slug, mode)


def question_guid(slug: str, mode: str) -> str:
    return genanki.guid_for(GUID_NAMESPACE, "question", slug, mode)


def _concept_note(concept: Concept, mode: str) -> genanki.Note:
    return genanki.Note(
        model=CONCEPT_MODEL,
        fields=[_sides(mode, lambda lang: concept_front(concept, lang)),
                _sides(mode, lambda lang: concept_back(concept, lang)), concept.slug],
        guid=concept_guid(concept.slug, mode),
        tags=["dlprep", concept.topic.slug, "concept"],
    )


def _question_note(question: Question, topic: Topic, mode: str) -> genanki.Note:
    return genanki.Note(
        model=QUESTION_MODEL,
        fields=[_sides(mode, lambda lang: question_front(question, lang)),
                _sides(mode, lambda lang: question_back(question, lang)), question.slug],
        guid=question_guid(question.slug, mode),
        tags=["dlprep", topic.slug, "question", question.kind],
    )


# -- decks and the package ---------------------------------------------------------

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
    concepts = Concept.objects.filter(status=Status.PUBLISHED).order_by("order", "slug")
    if questions:
        published = (
            Question.objects.filter(status=Status.PUBLISHED)
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
        description = _sides(mode, lambda lang, topic=topic: escape(topic.localized("description", lang)))
        deck = genanki.Deck(deck_id(topic, mode), deck_name(topic, mode), description=description)
        for concept in topic.concepts.all():
            concept.topic = topic  # already loaded; saves a query per note
            deck.add_note(_concept_note(concept, mode))
            if questions:
                for question in concept.questions.all():
                    deck.add_note(_question_note(question, topic, mode))
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
