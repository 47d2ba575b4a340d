"""Card and question texts as readers see them, rendered to HTML on write (see `concepts.markup.html`).

`render_content` runs after `load_content`; a signal renders one card or question when
it is saved elsewhere (the admin). Quoted demo values are filled from the stored
results first, so the stored HTML is exactly what a page shows.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterable

from django.db import transaction
from django.db.models.signals import post_save

from concepts import markup
from concepts.demos import attach, display
from concepts.models import Concept, Question
from quizsite import languages

CONCEPT_FIELDS = ("answer", "explanation", "key_points", "pitfalls", "follow_ups")
QUESTION_FIELDS = ("prompt", "explanation")
_paused = threading.local()


def shown_texts(objs: Iterable, fields: tuple[str, ...]) -> list[str]:
    """Every text of `objs` in both languages, quoted values filled (stored results, one query)."""
    objs = list(objs)
    attach(objs)
    texts: list[str] = []
    for obj in objs:
        for lang in languages.LANGUAGES:
            for name in fields:
                value = display(obj, name, lang, start=False)  # what is stored; never computes
                texts += value if isinstance(value, list) else [value]
    return texts


def render_content(*, prune: bool = True) -> tuple[int, int]:
    """Render every card's and question's texts not stored yet; (rendered, pruned)."""
    texts = shown_texts(Concept.objects.all(), CONCEPT_FIELDS)
    texts += shown_texts(Question.objects.all(), QUESTION_FIELDS)
    rendered = markup.store_rendered(texts)
    return rendered, markup.prune_rendered(texts) if prune else 0


@contextmanager
def paused():
    """Saves inside skip the per-object signal (a bulk load renders everything once afterwards)."""
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = False


def is_paused() -> bool:
    return getattr(_paused, "on", False)


def _on_save(sender, instance, **kwargs) -> None:
    if getattr(_paused, "on", False) or kwargs.get("raw"):
        return
    fields = CONCEPT_FIELDS if sender is Concept else QUESTION_FIELDS
    transaction.on_commit(lambda: markup.store_rendered(shown_texts([instance], fields)))


def connect_signals() -> None:
    for model in (Concept, Question):
        post_save.connect(_on_save, sender=model, dispatch_uid=f"render-on-save-{model.__name__}")
