"""The concept page's blocks (everything `concepts/concept_detail.html` renders but the page frame),
kept when the view renders them (`keep_page`) and served from the store (`stored_page`)."""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Iterable

from django.template import engines
from django.template.loader import get_template
from django.template.loader_tags import ExtendsNode
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from concepts.models import Concept, Status
from concepts.payload_models import StoredPayload
from concepts.stored_payloads.fingerprints import fingerprint, save
from quizsite.languages import LANGUAGES

log = logging.getLogger(__name__)

PAGE_TEMPLATE = "concepts/concept_detail.html"
#: stands in for the demo's read time on a stored page; the reader puts its own in
ELAPSED_MARK = "\u2063elapsed-ms\u2063"


def _page_blocks() -> tuple[str, dict, Any]:
    """The page template's parent and its blocks (name -> BlockNode), read from the compiled template."""
    template = get_template(PAGE_TEMPLATE).template
    extends = next(node for node in template.nodelist if isinstance(node, ExtendsNode))
    return extends.parent_name.resolve({}), dict(extends.blocks), template


_frame_cache: dict[tuple[str, tuple[str, ...]], Any] = {}


def _frame(parent: str, names: tuple[str, ...]):
    """A template that is `parent` with each of `names` filled from stored text."""
    key = (parent, names)
    if key not in _frame_cache:
        source = "{% extends " + json.dumps(parent) + " %}" + "".join(
            "{% block " + n + " %}{{ stored_blocks." + n + " }}{% endblock %}" for n in names)
        _frame_cache[key] = engines["django"].from_string(source)
    return _frame_cache[key]


def keep_page(request, concept: Concept, lang: str, context: dict[str, Any]) -> None:
    """Store the page's blocks as `concept_detail` renders them with `context` (its demo's read time
    left as a mark). Nothing is kept while the demo is computing or failed."""
    panel = context.get("panel")
    demo = panel.get("demo") if panel else None
    if panel is not None and (not demo or demo.get("computing") or demo.get("error") or demo.get("stale")
                              or "elapsed_ms" not in demo):
        return
    if panel is not None:
        context = {**context, "panel": {**panel, "demo": {**demo, "elapsed_ms": ELAPSED_MARK}}}
    try:
        from django.template.context import make_context

        parent, blocks, template = _page_blocks()
        ctx = make_context(context, request)
        with ctx.render_context.push_state(template), ctx.bind_template(template):
            rendered = {name: block.render(ctx) for name, block in blocks.items()}
    except Exception:  # never fail the page over what is only an accelerator
        log.exception("stored page: could not render the blocks of %s", concept.slug)
        return
    body = json.dumps({"parent": parent, "blocks": rendered}, ensure_ascii=False)
    save(concept.pk, StoredPayload.Kind.PAGE, lang, fingerprint("page", lang, concept.updated_at), body)


def stored_page(request, slug: str, lang: str):
    """The concept page from its stored blocks, or None when they are not stored (or outdated)."""
    from django.http import HttpResponse

    started = time.perf_counter()
    row = (StoredPayload.objects.filter(concept__slug=slug, concept__status=Status.PUBLISHED,
                                        kind=StoredPayload.Kind.PAGE, lang=lang)
           .values_list("fingerprint", "concept__updated_at", "body").first())
    if row is None or row[0] != fingerprint("page", lang, row[1]):
        return None
    stored = json.loads(row[2])
    blocks = stored["blocks"]
    if any(ELAPSED_MARK in text for text in blocks.values()):
        elapsed = conditional_escape(str(localize(round((time.perf_counter() - started) * 1000, 2))))
        blocks = {name: text.replace(ELAPSED_MARK, elapsed) for name, text in blocks.items()}
    frame = _frame(stored["parent"], tuple(sorted(blocks)))
    html = frame.render({"stored_blocks": {n: mark_safe(t) for n, t in blocks.items()}}, request)
    return HttpResponse(html)


def build_pages(slugs: Iterable[str]) -> None:
    """Render each card's page in each language through its own view, which keeps its blocks."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.urls import resolve, reverse

    factory = RequestFactory()
    for slug in slugs:
        path = reverse("concepts:concept", args=[slug])
        match = resolve(path)
        for lang in LANGUAGES:
            request = factory.get(path)
            request.user, request.LANGUAGE_CODE, request.htmx = AnonymousUser(), lang, False
            try:
                with translation.override(lang):
                    match.func(request, *match.args, **match.kwargs)
            except Exception as exc:  # e.g. no static files manifest before collectstatic: built on first view
                log.warning("stored pages: not built now (%s: %s); each is built on its first view",
                            type(exc).__name__, exc)
                return
