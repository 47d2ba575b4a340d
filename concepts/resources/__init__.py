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

Modules: `widgets` (strict cell widgets), `base` (`ContentResource`: slug keys, all-or-nothing
imports, validation), `cards` (topics, concepts), `questions` (questions and their answer key,
written with the content loader's public sync, `concepts.content.sync_answer_key`).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from import_export.formats import base_formats

from concepts.resources.base import FORMATS, ContentResource
from concepts.resources.cards import CONCEPT_LISTS, ConceptResource, TopicResource
from concepts.resources.questions import CHOICE_COLUMN, MAX_CHOICES, QuestionResource
from concepts.resources.widgets import (
    FloatWidget, IntegerWidget, JSONObjectWidget, SlugWidget, StrictBooleanWidget, TextListWidget,
)

__all__ = [
    "CHOICE_COLUMN", "CONCEPT_LISTS", "FORMATS", "MAX_CHOICES", "ConceptResource", "ContentResource", "FloatWidget",
    "IntegerWidget", "JSONObjectWidget", "QuestionResource", "SlugWidget", "StrictBooleanWidget", "TextListWidget",
    "TopicResource", "export_text", "import_text", "problems",
]


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
