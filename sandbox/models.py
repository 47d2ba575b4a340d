"""The demo-result store: what a demo computed for (key, version, parameters), kept in the database.

Demos are deterministic, so a result never changes for the same (key, VERSION, canonical
parameters): it is computed once, when content that links it is loaded or when a learner
first asks for those parameters, and read from here ever after, by every process, across
restarts. The cache (local memory or Redis) stays in front as an accelerator only.

A failed run (an error or a timeout) is kept too, with `retry_after`, so that asking again
within the back-off costs nothing. Charts are SVG per language, drawn from the result's
chart data when first shown in that language (or in advance for content's results).
"""

from __future__ import annotations

from django.db import models


class StoredResult(models.Model):
    class Status(models.TextChoices):
        OK = "ok", "ok"
        FAILED = "failed", "failed"

    #: sha256 of the canonical [key, version, params]: the natural key, one index lookup
    digest = models.CharField(max_length=64, unique=True)
    key = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OK)
    #: DemoResult.to_dict(): values, tables, summary {ko, en} and charts as data
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    timed_out = models.BooleanField(default=False)
    duration_ms = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()
    retry_after = models.DateTimeField(null=True, blank=True)
    #: one SVG string per chart, drawn on first use in that language
    charts_ko = models.JSONField(null=True, blank=True)
    charts_en = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["key", "version"], name="stored_result_key_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="failed") | models.Q(result__isnull=False), name="stored_result_ok_has_result"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version} {self.params} ({self.status})"

    @property
    def ok(self) -> bool:
        return self.status == self.Status.OK

    def charts(self, lang: str) -> list[str] | None:
        return getattr(self, f"charts_{lang}")
