"""Content pages: the library (every card by topic, or ranked search) and a concept card's page.

The learner's pages (home with the day's queue, flashcards, quizzes, progress, accounts)
are the study app's; these show content only.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from concepts import search
from concepts.demos import filled
from concepts.models import Concept, Question, Topic
from concepts.stored_payloads import pages as stored_pages
from quizsite import languages
from sandbox.views import panel_context


def partial(request, full: str, fragment: str, context: dict):
    """Render the fragment for htmx requests and the whole page otherwise."""
    return render(request, fragment if request.htmx else full, context)


def library(request):
    """Every card by topic; with `q`, the ranked search: the cards that answer the question,
    or an honest "not covered yet" with a few related cards."""
    topic = request.GET.get("topic") or ""
    query = (request.GET.get("q") or "").strip()
    context = {"topics": Topic.objects.order_by("order"), "topic": topic, "q": query}
    if len(query) > search.MAX_QUERY_LENGTH:  # said, not cut: the box keeps the whole question
        context.update(concepts=[], query_error=_(
            "The question is %(n)d characters long; a search takes at most %(max)d. Shorten it and search again."
        ) % {"n": len(query), "max": search.MAX_QUERY_LENGTH})
    elif query:
        result = search.search_cards(query=query, topic=topic or None)
        context.update(result=result, concepts=[m.concept for m in result.results])
    else:
        search.warm_up_in_background()  # the question the learner types next finds the index ready
        concepts = Concept.objects.published().select_related("topic").order_by("topic__order", "order")
        context["concepts"] = concepts.filter(topic__slug=topic) if topic else concepts
    return partial(request, "concepts/library.html", "concepts/_library_results.html", context)


def concept_detail(request, slug):
    stored = stored_pages.stored_page(request, slug, languages.of_request(request))  # rendered on write
    if stored is not None:
        return stored
    concept = get_object_or_404(
        Concept.objects.published().select_related("topic").prefetch_related(
            "related",
            Prefetch("questions", queryset=Question.objects.published().order_by("order")),
        ),
        slug=slug,
    )
    lang = languages.of_request(request)
    panel = panel_context(concept.demo_key, concept.demo_params, lang, wait_ms=0) if concept.demo_key else None
    demo = panel["demo"] if panel else None
    context = {"concept": concept, "panel": panel, "explanation": filled(concept, "explanation", lang, demo)}
    stored_pages.keep_page(request, concept, lang, context)
    return render(request, "concepts/concept_detail.html", context)
