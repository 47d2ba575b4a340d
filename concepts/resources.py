"""Content import and export (CSV / JSON) with django-import-export, used by the admin.

One flat row per item; the columns are documented in README.md ("Import and
export"). Lists (key points, accepted answers, related slugs, source notes) are
JSON arrays in a CSV cell and plain arrays in JSON; demo parameters a JSON object.
A question's choices are numbered column groups `choiceN_ko`, `choiceN_en`,
`choiceN_correct` (N = 1..MAX_CHOICES).

Every row is checked with the same rules as the admin and the fixture loader
(`full_clean()` and `concepts.validation`); an import runs in one transaction and
is rolled back as a whole when any row is invalid, so a file is imported
completely or not at all. Import topics first, then concepts, then questions.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils import translation
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from concepts import validation
from concepts.content import LoadReport, _sync_accepted, _sync_choices
from concepts.models import AcceptedAnswer, Choice, Concept, Question, QuestionKind, Topic

MAX_CHOICES = 8
FORMATS = [base_formats.CSV, base_formats.JSON]


# -- widgets: strict about what they accept, so a typo is a message, not a guess --

class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key by slug; an unknown slug is a field error naming it."""

    def __init__(self, model, label: str):
        super().__init__(model, "slug")
        self.label = label

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        if not value:
            return None
        try:
            return self.model.objects.get(slug=value)
        except self.model.DoesNotExist:
            raise ValueError(f"There is no {self.label} with the slug {value!r}.") from None


class StrictBooleanWidget(widgets.BooleanWidget):
    """true/false, 1/0 or empty (unknown); anything else is refused rather than read as false."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool) or value is None:
            return value
        text = str(value).strip().lower()
        if text in ("", "null", "none"):
            return None
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise ValueError(f"Use true or false (or 1 / 0), not {value!r}.")


class IntegerWidget(widgets.IntegerWidget):
    """Whole numbers; anything else is a field message (the library's Decimal error would be a crash)."""

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"Must be a whole number, not {value!r}.") from None
        if not number.is_integer():
            raise ValueError(f"Must be a whole number, not {value!r}.")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(int(value))


class FloatWidget(widgets.FloatWidget):
    """Numbers read with a plain '.' and written exactly (repr), whatever the active locale."""

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValueError(f"Must be a number, not {value!r}.") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else repr(float(value))


class TextListWidget(widgets.Widget):
    """A list of texts: a JSON array in CSV (`["a", "b"]`), an array in JSON; empty means []."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return []
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise ValueError('Must be a JSON list of texts, e.g. ["first", "second"].') from None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError('Must be a JSON list of texts, e.g. ["first", "second"].')
        return [item.strip() for item in value]

    def render(self, value, obj=None, **kwargs):
        return json.dumps(list(value or []), ensure_ascii=False)


class JSONObjectWidget(widgets.Widget):
    """A JSON object (demo parameters); empty means {}."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return {}
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise ValueError('Must be a JSON object, e.g. {"layers": 10}.') from None
        if not isinstance(value, dict):
            raise ValueError('Must be a JSON object, e.g. {"layers": 10}.')
        return value

    def render(self, value, obj=None, **kwargs):
        return json.dumps(value or {}, ensure_ascii=False, sort_keys=True)


def _cell(row, column) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()


# -- the shared base ------------------------------------------------------------------

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
        slug = _cell(row, "slug")
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


# -- topics ---------------------------------------------------------------------------

class TopicResource(ContentResource):
    class Meta:
        model = Topic
        import_id_fields = ("slug",)
        fields = ("slug", "order", "title_ko", "title_en", "description_ko", "description_en")


# -- concepts -------------------------------------------------------------------------

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


# -- questions ------------------------------------------------------------------------

def _choice_columns(n: int) -> tuple[str, str, str]:
    return f"choice{n}_ko", f"choice{n}_en", f"choice{n}_correct"


CHOICE_COLUMN = re.compile(r"^choice(\d+)_(ko|en|correct)$")


def _stored_choices(question) -> list[Choice]:
    """The question's choices, read once per exported object (24 columns come from them)."""
    if question.pk is None:
        return []
    if "_export_choices" not in question.__dict__:
        question._export_choices = list(question.choices.all())
    return question._export_choices


def _choice_field(n: int, part: int) -> fields.Field:
    column = _choice_columns(n)[part]

    def dehydrate(question):
        choices = _stored_choices(question)
        if n > len(choices):
            return ""
        choice = choices[n - 1]
        return (choice.text_ko, choice.text_en, "true" if choice.is_correct else "false")[part]

    return fields.Field(column_name=column, dehydrate_method=dehydrate)


class QuestionResource(ContentResource):
    concept = fields.Field(attribute="concept", column_name="concept", widget=SlugWidget(Concept, "concept"))
    demo_params = fields.Field(attribute="demo_params", column_name="demo_params", widget=JSONObjectWidget())
    accepted_ko = fields.Field(column_name="accepted_ko", dehydrate_method="dehydrate_accepted_ko")
    accepted_en = fields.Field(column_name="accepted_en", dehydrate_method="dehydrate_accepted_en")

    class Meta:
        model = Question
        import_id_fields = ("slug",)
        fields = (
            "slug", "concept", "order", "kind", "difficulty", "status", "prompt_ko", "prompt_en",
            "explanation_ko", "explanation_en", "answer_bool", "numeric_value", "numeric_tolerance",
            "numeric_unit", "demo_key", "demo_params", "accepted_ko", "accepted_en",
        )
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for n in range(1, MAX_CHOICES + 1):
            for part, column in enumerate(_choice_columns(n)):
                self.fields[column] = _choice_field(n, part)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("concept").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("order", "id")), "accepted_answers")

    def _accepted(self, question, lang: str) -> str:
        texts = [a.text for a in question.accepted_answers.all() if a.language == lang] if question.pk else []
        return json.dumps(texts, ensure_ascii=False)

    def dehydrate_accepted_ko(self, question) -> str:
        return self._accepted(question, "ko")

    def dehydrate_accepted_en(self, question) -> str:
        return self._accepted(question, "en")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        extra = sorted({c for c in dataset.headers or [] if (m := CHOICE_COLUMN.match(str(c)))
                        and not 1 <= int(m.group(1)) <= MAX_CHOICES})
        if extra:
            raise ValueError(f"Columns {', '.join(extra)}: at most {MAX_CHOICES} choices (choice1_* .. "
                             f"choice{MAX_CHOICES}_*).")

    def import_extra(self, instance, row, errors):
        choices = self._row_choices(row, errors)
        accepted = self._row_accepted(instance, row, errors)
        if choices is None:  # no choice columns: the stored choices stay
            choices = ([validation.ChoiceData(c.text_ko, c.text_en, c.is_correct) for c in instance.choices.all()]
                       if instance.pk else [])
        if instance.kind in QuestionKind.values and "kind" not in errors:
            problems = validation.choice_errors(instance.kind, choices, published=instance.status == "published")
            if problems:
                errors.setdefault("choices", []).extend(problems)
            problems = validation.accepted_errors(instance.kind, accepted, published=instance.status == "published")
            if problems:
                errors.setdefault("accepted", []).extend(problems)
        instance._import_choices = choices
        instance._import_accepted = accepted
        return errors

    def _row_choices(self, row, errors) -> list[validation.ChoiceData] | None:
        if not any(CHOICE_COLUMN.match(str(column)) for column in row):
            return None
        choices, gap = [], None
        for n in range(1, MAX_CHOICES + 1):
            ko_col, en_col, correct_col = _choice_columns(n)
            ko, en, correct = _cell(row, ko_col), _cell(row, en_col), row.get(correct_col)
            if not (ko or en or _cell(row, correct_col)):
                gap = gap or n
                continue
            if gap:
                errors.setdefault(ko_col, []).append(
                    f"Choice {n} is filled but choice {gap} is empty; fill the choices in order.")
            try:
                is_correct = bool(StrictBooleanWidget().clean(correct))
            except ValueError as exc:
                errors.setdefault(correct_col, []).append(str(exc))
                is_correct = False
            for column, message in _model_errors(Choice(order=n - 1, text_ko=ko, text_en=en, is_correct=is_correct),
                                                 {"text_ko": ko_col, "text_en": en_col}):
                errors.setdefault(column, []).append(message)
            choices.append(validation.ChoiceData(ko, en, is_correct))
        return choices

    def _row_accepted(self, instance, row, errors) -> list[validation.AcceptedData]:
        stored = list(instance.accepted_answers.all()) if instance.pk else []
        accepted = []
        for lang in ("ko", "en"):
            column = f"accepted_{lang}"
            if column not in row:
                accepted += [validation.AcceptedData(a.language, a.text) for a in stored if a.language == lang]
                continue
            try:
                texts = TextListWidget().clean(row[column])
            except ValueError as exc:
                errors.setdefault(column, []).append(str(exc))
                continue
            for text, count in Counter(texts).items():
                if count > 1:
                    errors.setdefault(column, []).append(f"The accepted answer {text!r} is listed {count} times.")
            for text in dict.fromkeys(texts):
                for _, message in _model_errors(AcceptedAnswer(language=lang, text=text), {"text": column}):
                    errors.setdefault(column, []).append(f"{text[:40]!r}: {message}")
                accepted.append(validation.AcceptedData(lang, text))
        return accepted

    def after_save_instance(self, instance, row, **kwargs):
        # Choices are updated in place by position (quiz answers refer to their ids),
        # exactly as the fixture loader does.
        super().after_save_instance(instance, row, **kwargs)
        report = LoadReport()
        _sync_choices(instance, instance._import_choices, report)
        _sync_accepted(instance, instance._import_accepted, report)


def _model_errors(obj, columns: dict[str, str]) -> list[tuple[str, str]]:
    """Field validation of an unsaved choice / accepted answer, as (column, message)."""
    try:
        obj.full_clean(exclude=["question"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return [(columns.get(field, field), message)
                for field, messages in exc.message_dict.items() if field in columns for message in messages]
    return []


# -- helpers for code and tests -------------------------------------------------------

def problems(result) -> list[str]:
    """Every error of an import result as one line: 'row 3, concept: There is no concept ...'."""
    lines = [f"file: {error.error}" for error in result.base_errors]
    for number, errors in result.row_errors():
        lines += [f"row {number}: {error.error}" for error in errors]
    for row in result.invalid_rows:
        for field, messages in row.error_dict.items():
            label = "row" if field == NON_FIELD_ERRORS else field
            lines += [f"row {row.number}, {label}: {message}" for message in messages]
    return lines


def import_text(resource_class, text: str, fmt: str = "csv", *, dry_run: bool = False):
    """Import a CSV or JSON text with `resource_class`; returns import-export's Result."""
    formats = {"csv": base_formats.CSV, "json": base_formats.JSON}
    dataset = formats[fmt]().create_dataset(text)
    return resource_class().import_data(dataset, dry_run=dry_run)


def export_text(resource_class, fmt: str = "csv", queryset=None) -> str:
    formats = {"csv": base_formats.CSV, "json": base_formats.JSON}
    return formats[fmt]().export_data(resource_class().export(queryset=queryset))
