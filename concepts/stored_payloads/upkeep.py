"""Keeping stored payloads current: everything rebuilt after `load_content` (`rebuild`, skipped when
nothing they are built from changed), and signals that delete the rows a change outdates."""

from __future__ import annotations

import hashlib
from typing import Iterable

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from concepts import demos, rendering
from concepts.models import Concept, Question, Status, Topic
from concepts.payload_models import StoredPayload
from concepts.stored_payloads.cards import card_payloads
from concepts.stored_payloads.fingerprints import code_fingerprint
from quizsite.languages import LANGUAGES
from concepts.stored_payloads.pages import build_pages


def rebuild(*, pages: bool | None = None) -> dict[str, int]:
    """Drop every stored payload and build them all again: after `load_content` (which saves with the
    signals paused). Returns how many of each kind were stored.

    Pages show their demo's charts, so they are built here only where charts are drawn when content
    is loaded (SANDBOX_PRERENDER_CHARTS, the default); elsewhere (the tests) a page is built on its
    first view.
    """
    if pages is None:
        pages = getattr(settings, "SANDBOX_PRERENDER_CHARTS", True)
    inputs = inputs_digest()
    published = Concept.objects.published().count()
    kept = StoredPayload.objects.filter(inputs=inputs, concept__status=Status.PUBLISHED)
    if kept.filter(kind=StoredPayload.Kind.CARD).count() == published * len(LANGUAGES) and (
            not pages or kept.filter(kind=StoredPayload.Kind.PAGE).count() == published * len(LANGUAGES)) and \
            not StoredPayload.objects.exclude(inputs=inputs).exists():
        return {kind: kept.filter(kind=kind).count() for kind in StoredPayload.Kind.values}  # nothing changed
    StoredPayload.objects.all().delete()
    concepts = list(Concept.objects.published().select_related("topic").prefetch_related("related"))
    for lang in LANGUAGES:
        card_payloads(concepts, lang)
    if pages:
        from concepts import markup

        markup.preload()  # every text's stored HTML in memory: no query per text while rendering
        build_pages([c.slug for c in concepts])
    StoredPayload.objects.update(inputs=inputs)
    return {kind: StoredPayload.objects.filter(kind=kind).count() for kind in StoredPayload.Kind.values}


def inputs_digest() -> str:
    """A digest of everything stored payloads are built from, read in a few narrow queries: the code,
    every card's row stamp, the topics, the links between cards, the questions' status and the
    stored demo results. Equal digests: a rebuild would write the same rows."""
    from sandbox.models import StoredResult

    digest = hashlib.sha256(code_fingerprint().encode())
    parts = [
        Concept.objects.order_by("pk").values_list("pk", "updated_at", "status"),
        Topic.objects.order_by("pk").values_list("pk", "slug", "order", "title_ko", "title_en"),
        Concept.related.through.objects.order_by("pk").values_list("from_concept_id", "to_concept_id"),
        Question.objects.order_by("pk").values_list("pk", "concept_id", "status"),
        StoredResult.objects.order_by("digest").values_list("digest", "status", "computed_at"),
    ]
    for rows in parts:
        digest.update(repr(list(rows)).encode())
    return digest.hexdigest()


def forget(concept_ids: Iterable[int], *, kinds: Iterable[str] = StoredPayload.Kind.values) -> None:
    ids = list(concept_ids)
    if ids:
        StoredPayload.objects.filter(concept_id__in=ids, kind__in=list(kinds)).delete()


def _paused() -> bool:
    return rendering.is_paused()  # inside load_content, which rebuilds everything at its end


def _on_concept_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or _paused():
        return
    # its own rows (its fingerprint moved on already, unless saved without `updated_at`), and the
    # pages and payloads of the cards that link to it (they show its slug and title)
    forget([instance.pk, *Concept.related.through.objects.filter(to_concept_id=instance.pk)
            .values_list("from_concept_id", flat=True)])


def _on_topic_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or _paused():
        return
    forget(Concept.objects.filter(topic_id=instance.pk).values_list("pk", flat=True))


def _on_question_change(sender, instance, raw=False, **kwargs) -> None:
    if raw or _paused():
        return
    forget([instance.concept_id], kinds=[StoredPayload.Kind.PAGE])


def _on_related_change(sender, instance, action, pk_set, **kwargs) -> None:
    if _paused() or not action.startswith("post_"):
        return
    if action == "post_clear":  # which cards linked to it is gone already: forget every card's rows
        StoredPayload.objects.all().delete()
        return
    forget([instance.pk, *(pk_set or ())])  # either side may show the other


def _on_result_save(sender, instance, raw=False, **kwargs) -> None:
    """A demo result stored, replaced or deleted: the cards that link exactly this run (key, version, parameters)."""
    if raw:
        return
    linked = [c.pk for c in Concept.objects.filter(demo_key=instance.key).only("pk", "demo_key", "demo_params")
              if (run := demos.linked_run(c)) is not None and run.digest == instance.digest]
    forget(linked)


def connect_signals() -> None:
    from sandbox.models import StoredResult

    post_save.connect(_on_concept_save, sender=Concept, dispatch_uid="stored-payloads-concept")
    post_save.connect(_on_topic_save, sender=Topic, dispatch_uid="stored-payloads-topic")
    post_save.connect(_on_question_change, sender=Question, dispatch_uid="stored-payloads-question-save")
    post_delete.connect(_on_question_change, sender=Question, dispatch_uid="stored-payloads-question-delete")
    m2m_changed.connect(_on_related_change, sender=Concept.related.through, dispatch_uid="stored-payloads-related")
    post_save.connect(_on_result_save, sender=StoredResult, dispatch_uid="stored-payloads-result")
    post_delete.connect(_on_result_save, sender=StoredResult, dispatch_uid="stored-payloads-result-delete")
