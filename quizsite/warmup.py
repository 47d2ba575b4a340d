"""Do a web process's one-time work when it starts, not in a learner's first request.

Django imports the URL configuration (every view, DRF, drf-spectacular), compiles
templates and loads the Markdown renderer lazily, on the first request that needs
them: about a second on a 2-core machine, paid by whoever comes first after each
(re)start or gunicorn worker recycle. `warm_up()` does it at start-up instead, from
the WSGI module (gunicorn workers and `runserver` both load it). It never imports
torch or matplotlib: pages read demo results from the database.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

TEMPLATES = [
    "base.html", "study/home.html", "concepts/library.html", "concepts/_library_results.html",
    "concepts/concept_detail.html", "study/review.html", "study/_review_card.html",
    "study/quiz_setup.html", "study/quiz_play.html", "study/_quiz_question.html",
    "study/quiz_summary.html", "study/progress.html", "sandbox/demo_panel.html", "sandbox/demo_result.html",
    "registration/login.html",
]


def warm_up() -> None:
    import importlib

    from django.core.cache import cache
    from django.db.models.sql import compiler  # noqa: F401  (imported on the first query otherwise)
    from django.template import TemplateDoesNotExist, engines
    from django.template.loader import get_template
    from django.urls import get_resolver, reverse
    from django.utils import formats, translation

    from concepts.markup import preload, render_markdown
    from sandbox import registry, store  # noqa: F401  (demo modules are small and never import torch)

    get_resolver().url_patterns  # imports every view module
    reverse("concepts:home")  # builds the reverse lookup tables
    for key in registry.DEMOS:
        registry.get(key)
    for engine in engines.all():  # context processors are imported on first render
        getattr(engine, "engine", None) and engine.engine.template_context_processors
    for lang in ("ko", "en"):
        with translation.override(lang):
            formats.get_format("DATE_FORMAT")
    cache.get("warm-up")  # the cache backend's module
    importlib.import_module("django.contrib.messages.context_processors")
    for name in TEMPLATES:
        try:
            get_template(name)  # compiled once, kept by the cached template loader
        except TemplateDoesNotExist:
            log.warning("warm-up: no template %s", name)
    render_markdown("**warm** $x$ `y`\n\n- a\n- b")
    from concepts.stored_payloads import fingerprints
    fingerprints.code_fingerprint()  # reads the app's sources once (what stored payloads are checked against)
    try:
        preload()  # the stored HTML of every card and question text
        from study import due_queue_reads
        due_queue_reads.warm_up()  # the due queue's compiled queries
    except Exception as exc:  # no database yet (or none allowed here): pages render and remember as they go
        log.warning("warm-up: stored renderings not preloaded (%s)", exc)
