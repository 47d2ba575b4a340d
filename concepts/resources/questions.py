"""Questions as CSV / JSON rows: the answer key in numbered choice columns and accepted-answer lists.

A question's choices are numbered column groups `choiceN_ko`, `choiceN_en`,
`choiceN_correct` (N = 1..MAX_CHOICES); accepted answers are JSON lists per language.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from import_export import fields

from concepts import validation
from concepts.content import sync_answer_key
from concepts.models import AcceptedAnswer, Choice, Concept, Question, QuestionKind
from concepts.resources.base import ContentResource
from concepts.resources.widgets import JSONObjectWidget, SlugWidget, StrictBooleanWidget, TextListWidget, cell

MAX_CHOICES = 8


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
            ko, en, correct = cell(row, ko_col), cell(row, en_col), row.get(correct_col)
            if not (ko or en or cell(row, correct_col)):
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
        sync_answer_key(instance, instance._import_choices, instance._import_accepted)


def _model_errors(obj, columns: dict[str, str]) -> list[tuple[str, str]]:
    """Field validation of an unsaved choice / accepted answer, as (column, message)."""
    try:
        obj.full_clean(exclude=["question"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return [(columns.get(field, field), message)
                for field, messages in exc.message_dict.items() if field in columns for message in messages]
    return []
