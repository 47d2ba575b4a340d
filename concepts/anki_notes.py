"""Anki notes of concept cards and questions: their HTML in one language or both, GUIDs and note types.

Formulas are written for Anki's MathJax: `$...$` becomes `\\(...\\)` and
`$$...$$` becomes `\\[...\\]`. The decks and the .apkg file are built in `concepts.anki`.
"""

from __future__ import annotations

import hashlib
import re

import genanki
from django.utils.html import escape

from concepts.demos import display
from concepts.markup import MATH, html
from concepts.models import Concept, Question, Topic

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

    return MATH.sub(convert, html)


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


def sides(mode: str, render) -> str:
    """One side of a card: `render(lang)` for one language, or Korean then English, clearly separated."""
    if mode != "both":
        return render(mode)
    return (
        f'<div class="lang ko" lang="ko"><div class="lang-tag">한국어</div>{render("ko")}</div>'
        '<hr class="lang-sep">'
        f'<div class="lang en" lang="en"><div class="lang-tag">English</div>{render("en")}</div>'
    )


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
    elif question.kind == "numeric" and question.unit:
        html += f'<p>({labels["unit"]}: {escape(question.unit_in(lang))})</p>'
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
        return escape(f"{question.value_text(lang)} ({labels['tolerance']} ± {question.numeric_tolerance:g})")
    if question.kind == "short":
        answers = [a.text for a in question.accepted_answers.all() if a.language == lang]
        answers = [a for a in question.accepted_texts(lang) if a in answers] or question.accepted_texts(lang)
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


def concept_note(concept: Concept, mode: str) -> genanki.Note:
    return genanki.Note(
        model=CONCEPT_MODEL,
        fields=[sides(mode, lambda lang: concept_front(concept, lang)),
                sides(mode, lambda lang: concept_back(concept, lang)), concept.slug],
        guid=concept_guid(concept.slug, mode),
        tags=["dlprep", concept.topic.slug, "concept"],
    )


def question_note(question: Question, topic: Topic, mode: str) -> genanki.Note:
    return genanki.Note(
        model=QUESTION_MODEL,
        fields=[sides(mode, lambda lang: question_front(question, lang)),
                sides(mode, lambda lang: question_back(question, lang)), question.slug],
        guid=question_guid(question.slug, mode),
        tags=["dlprep", topic.slug, "question", question.kind],
    )
