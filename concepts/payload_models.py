"""What readers are served, computed on write: a card's API payload and its page's body, per language.

Filled by `concepts.stored_payloads` (its modules) (after `load_content`, on an admin save, or on the first read
of something not stored yet); read by the due queue and the concept page. Imported by
`concepts.models` so that Django registers the model with the `concepts` app.
"""

from django.db import models


class StoredPayload(models.Model):
    """One rendered reading of one card: `kind` "card" (the API's ConceptDetailSerializer output, as
    JSON text, keys in the serializer's order) or "page" (the concept page's blocks, as JSON text).

    `fingerprint` names what it was built from (the code that builds it and the card row's
    `updated_at`); a row whose fingerprint does not match the current one is never served.
    Changes that do not touch the card's row (its topic, related cards, questions, a demo
    result) delete the rows they affect (signals in `concepts.stored_payloads.upkeep`).
    """

    class Kind(models.TextChoices):
        CARD = "card", "card"
        PAGE = "page", "page"

    concept = models.ForeignKey("concepts.Concept", on_delete=models.CASCADE, related_name="stored_payloads")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    lang = models.CharField(max_length=2)
    fingerprint = models.CharField(max_length=64)
    body = models.TextField()
    #: the digest of all content when `rebuild` wrote it (`inputs_digest`): a load that changed nothing skips it
    inputs = models.CharField(max_length=64, blank=True, default="")
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "concepts"
        constraints = [
            models.UniqueConstraint(fields=["concept", "kind", "lang"], name="stored_payload_one_per_card_kind_lang"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.concept_id} {self.lang}"
