"""The API's card payload (`ConceptDetailSerializer` output), stored per card and language and read
back by the due queue (`study.due_queue_reads`)."""

from __future__ import annotations

import json
from typing import Any, Iterable

from concepts import demos
from concepts.models import Concept
from concepts.payload_models import StoredPayload
from concepts.stored_payloads.fingerprints import fingerprint, save

#: the texts `ConceptDetailSerializer` shows through `display` (quoted demo values filled in)
CARD_TEXTS = ("title", "front", "answer", "explanation", "key_points", "pitfalls", "follow_ups")


def values_pending(concept: Concept, fields: Iterable[str] = CARD_TEXTS) -> bool:
    """Whether the card quotes demo values that are not stored (yet): then it shows `…` and is not kept.

    `concept` must have had `demos.attach(..., values_only=True)`.
    """
    if not getattr(concept, "demo_key", "") or not demos.quotes_values(concept, fields):
        return False
    if demos.linked_run(concept) is None:
        return True
    light = getattr(concept, "_demo_values", None)  # what demos.attach(values_only=True) put there
    return light is None or not light.ok


def card_payloads(concepts: list[Concept], lang: str, *, store: bool = True) -> dict[int, dict]:
    """`ConceptDetailSerializer` output per card id, serialized now (and kept when complete).

    The cards need their topic and related cards loaded (or they are queried).
    """
    from concepts.api.catalogue import ConceptDetailSerializer

    demos.attach(concepts, values_only=True)
    out: dict[int, dict] = {}
    for concept in concepts:
        pending = values_pending(concept)
        data = ConceptDetailSerializer(concept, context={"lang": lang}).data
        out[concept.pk] = data
        if store and not pending:
            body = _json(data)
            save(concept.pk, StoredPayload.Kind.CARD, lang, fingerprint("card", lang, concept.updated_at), body)
    return out


def full_cards(ids: Iterable[int]) -> list[Concept]:
    return list(Concept.objects.filter(pk__in=list(ids)).select_related("topic").prefetch_related("related"))


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def read_card_texts(stamps: dict[int, Any], stored: dict[int, tuple[str | None, str | None]],
                    lang: str) -> dict[int, str]:
    """`read_cards` as JSON text (compact, not ASCII-escaped: as stored), with a fresh stored body as it is."""
    out = {concept_id: body for concept_id, (fp, body) in stored.items()
           if fp is not None and fp == fingerprint("card", lang, stamps[concept_id])}
    missing = [pk for pk in stamps if pk not in out]
    if missing:
        out.update((pk, _json(data)) for pk, data in card_payloads(full_cards(missing), lang).items())
    return out


def read_cards(stamps: dict[int, Any], stored: dict[int, tuple[str | None, str | None]], lang: str) -> dict[int, dict]:
    """The API payload of each card, from what the caller's query joined on: `stamps` (card id -> its
    row's `updated_at`) and `stored` (card id -> the stored row's fingerprint and body, None if none).
    A missing or outdated one is built now (and stored)."""
    out: dict[int, dict] = {}
    for concept_id, (fp, body) in stored.items():
        if fp is not None and fp == fingerprint("card", lang, stamps[concept_id]):
            out[concept_id] = json.loads(body)
    missing = [pk for pk in stamps if pk not in out]
    if missing:
        out.update(card_payloads(full_cards(missing), lang))
    return out
