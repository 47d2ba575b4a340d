"""The shared base of the content resources: rows keyed by slug, all-or-nothing imports, model validation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from import_export import resources, widgets
from import_export.formats import base_formats

from concepts.resources.widgets import FloatWidget, IntegerWidget, StrictBooleanWidget, cell

FORMATS = [base_formats.CSV, base_formats.JSON]


class ContentResource(resources.ModelResource):
    """Rows keyed by slug; all-or-nothing imports; model validation on every row."""

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.BooleanField):
            return StrictBooleanWidget
        if isinstance(f, models.IntegerField):
            return IntegerWidget
        if isinstance(f, models.FloatField):
            return FloatWidget
        return super().widget_from_django_field(f, default)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._slug_rows: dict[str, list[int]] = {}

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        # One invalid row rolls the whole file back, whoever calls this (admin or code).
        # Messages in English, like validate_content's, whatever the author's UI language.
        with translation.override("en"):
            return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
                                       collect_failed_rows=collect_failed_rows,
                                       rollback_on_validation_errors=True, **kwargs)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        rows: dict[str, list[int]] = {}
        if "slug" in (dataset.headers or []):
            for number, slug in enumerate(dataset["slug"], start=1):
                rows.setdefault(str(slug or "").strip(), []).append(number)
        self._slug_rows = rows

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        slug = cell(row, "slug")
        numbers = self._slug_rows.get(slug, [])
        if slug and len(numbers) > 1:
            errors.setdefault("slug", []).append(
                f"The slug {slug!r} is used by rows {', '.join(map(str, numbers))}; each item needs one row.")
        errors = self.import_extra(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def import_extra(self, instance, row, errors: dict) -> dict:
        """Columns that are not plain model fields; add messages to `errors` and return it."""
        return errors

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Field and clean() messages first; the database constraints restate the same
        # rules more tersely, so they are checked only when everything else passed.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=list(errors), validate_unique=validate_unique, validate_constraints=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not errors:
            try:
                instance.validate_constraints()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
