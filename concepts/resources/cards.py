"""Topics and concepts as CSV / JSON rows; a concept's related cards are a JSON list of slugs."""

from __future__ import annotations

import json

from import_export import fields, widgets

from concepts.models import Concept, Topic
from concepts.resources.base import ContentResource
from concepts.resources.widgets import JSONObjectWidget, SlugWidget, TextListWidget


class TopicResource(ContentResource):
    class Meta:
        model = Topic
        import_id_fields = ("slug",)
        fields = ("slug", "order", "title_ko", "title_en", "description_ko", "description_en")


CONCEPT_LISTS = ("key_points", "pitfalls", "follow_ups")


class ConceptResource(ContentResource):
    topic = fields.Field(attribute="topic", column_name="topic", widget=SlugWidget(Topic, "topic"))
    source_notes = fields.Field(attribute="source_notes", column_name="source_notes", widget=TextListWidget())
    related = fields.Field(column_name="related", dehydrate_method="dehydrate_related")
    demo_params = fields.Field(attribute="demo_params", column_name="demo_params", widget=JSONObjectWidget())

    class Meta:
        model = Concept
        import_id_fields = ("slug",)
        fields = (
            "slug", "topic", "order", "difficulty", "status", "source_notes", "related",
            "title_ko", "title_en", "front_ko", "front_en", "answer_ko", "answer_en", "explanation_ko",
            "explanation_en", "key_points_ko", "key_points_en", "pitfalls_ko", "pitfalls_en",
            "follow_ups_ko", "follow_ups_en", "demo_key", "demo_params",
        )
        export_order = fields

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.name.endswith(("_ko", "_en")) and f.name.rsplit("_", 1)[0] in CONCEPT_LISTS:
            return TextListWidget
        return super().widget_from_django_field(f, default)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._known_slugs: set[str] = set()
        self._pending_related: dict[str, list[str]] = {}

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("topic").prefetch_related("related")

    def dehydrate_related(self, concept) -> str:
        if concept.pk is None:
            return "[]"
        return json.dumps(sorted(c.slug for c in concept.related.all()))

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._known_slugs = set(Concept.objects.values_list("slug", flat=True)) | set(self._slug_rows)
        self._pending_related = {}

    def import_extra(self, instance, row, errors):
        if "related" not in row:
            return errors
        try:
            related = TextListWidget().clean(row["related"])
        except ValueError as exc:
            errors.setdefault("related", []).append(str(exc))
            return errors
        for slug in related:
            if slug == instance.slug:
                errors.setdefault("related", []).append("A concept cannot be related to itself.")
            elif slug not in self._known_slugs:
                errors.setdefault("related", []).append(f"There is no concept with the slug {slug!r}.")
        self._pending_related[instance.slug] = related
        return errors

    def after_import(self, dataset, result, **kwargs):
        # Related concepts may come later in the same file, so links are set once every row is saved.
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            return
        by_slug = {c.slug: c for c in Concept.objects.filter(slug__in=set(self._pending_related))}
        targets = dict(Concept.objects.filter(
            slug__in={s for slugs in self._pending_related.values() for s in slugs}).values_list("slug", "pk"))
        for slug, related in self._pending_related.items():
            concept = by_slug.get(slug)
            if concept is not None:
                concept.related.set([targets[s] for s in related])
