"""Content rules shared by the models, the admin, the fixture loader and the API.

Pure functions over plain values: they return messages keyed by field name (or a
list of messages) and never touch the database, so `validate_content` can check
fixture files before anything is written.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import NamedTuple


def normalize_text(text: str) -> str:
    """An answer as graded: NFKC, case-folded, without whitespace and edge punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"\s+", "", text)
    return text.strip(".,;:!?'\"()[]{}")


class ChoiceData(NamedTuple):
    text_ko: str
    text_en: str
    is_correct: bool


class AcceptedData(NamedTuple):
    language: str
    text: str


def _is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return len(value) == 0
    return False


def missing_translations(obj, names) -> dict[str, str]:
    """For every `<name>_ko` / `<name>_en` pair where one side is empty, a message."""
    errors = {}
    for name in names:
        for lang, label in (("ko", "Korean"), ("en", "English")):
            if _is_empty(getattr(obj, f"{name}_{lang}")):
                errors[f"{name}_{lang}"] = f"The {label} text is missing; published items need both languages."
    return errors


def string_list_error(value) -> str | None:
    if not isinstance(value, list):
        return "Must be a list of texts."
    for item in value:
        if not isinstance(item, str) or not item.strip():
            return "Every entry must be a non-empty text."
    return None


def question_field_errors(kind, *, answer_bool, numeric_value, numeric_tolerance, numeric_unit) -> dict[str, str]:
    """Answer-key fields stored on the question itself, checked against its kind."""
    errors: dict[str, str] = {}
    if kind == "true_false":
        if answer_bool is None:
            errors["answer_bool"] = "A true/false question needs its answer (true or false)."
    elif answer_bool is not None:
        errors["answer_bool"] = "Only true/false questions have a true/false answer."

    if kind == "numeric":
        if numeric_value is None:
            errors["numeric_value"] = "A numeric question needs its value."
        elif not math.isfinite(numeric_value):
            errors["numeric_value"] = "The value must be a finite number."
        if numeric_tolerance is None:
            errors["numeric_tolerance"] = "A numeric question needs a tolerance (0 for an exact answer)."
        elif not math.isfinite(numeric_tolerance) or numeric_tolerance < 0:
            errors["numeric_tolerance"] = "The tolerance must be a finite number of at least 0."
        if not (numeric_unit or "").strip():
            errors["numeric_unit"] = "A numeric question needs a unit (e.g. MB, params, px)."
    else:
        for field, value in (("numeric_value", numeric_value), ("numeric_tolerance", numeric_tolerance)):
            if value is not None:
                errors[field] = "Only numeric questions have a value and tolerance."
    return errors


def answer_key_errors(kind, *, choices: list[ChoiceData], accepted: list[AcceptedData], published: bool) -> list[str]:
    """Problems with a question's choices and accepted answers, given its kind."""
    return choice_errors(kind, choices, published=published) + accepted_errors(kind, accepted, published=published)


def choice_errors(kind, choices: list[ChoiceData], *, published: bool) -> list[str]:
    errors: list[str] = []
    if kind not in ("single", "multiple"):
        if choices:
            errors.append(f"A {_kind_label(kind)} question has no choices (found {len(choices)}).")
        return errors
    correct = sum(1 for c in choices if c.is_correct)
    if len(choices) < 2:
        errors.append(f"A {_kind_label(kind)} question needs at least two choices (has {len(choices)}).")
    if kind == "single" and correct != 1:
        errors.append(f"A single-choice question needs exactly one correct choice (has {correct}).")
    if kind == "multiple" and correct < 1:
        errors.append("A multiple-select question needs at least one correct choice (has 0).")
    for number, choice in enumerate(choices, start=1):
        if _is_empty(choice.text_ko) and _is_empty(choice.text_en):
            errors.append(f"Choice {number} has no text.")
        elif published and (_is_empty(choice.text_ko) or _is_empty(choice.text_en)):
            missing = "Korean" if _is_empty(choice.text_ko) else "English"
            errors.append(f"Choice {number} is missing its {missing} text; published items need both languages.")
    return errors


def accepted_errors(kind, accepted: list[AcceptedData], *, published: bool) -> list[str]:
    errors: list[str] = []
    if kind != "short":
        if accepted:
            errors.append(f"Only short-answer questions have accepted answers (this one is {_kind_label(kind)}).")
        return errors
    if not accepted:
        return ["A short-answer question needs at least one accepted answer."]
    if published:
        languages = {a.language for a in accepted}
        for lang, label in (("ko", "Korean"), ("en", "English")):
            if lang not in languages:
                errors.append(f"A published short-answer question needs an accepted {label} answer.")
    if any(_is_empty(a.text) for a in accepted):
        errors.append("An accepted answer is empty.")
    return errors


def _kind_label(kind: str) -> str:
    return {
        "single": "single-choice",
        "multiple": "multiple-select",
        "true_false": "true/false",
        "numeric": "numeric",
        "short": "short-answer",
    }.get(kind, str(kind))


def demo_reference_errors(demo_key: str, demo_params) -> dict[str, str]:
    """A demo reference names a registered demo and parameters it accepts."""
    if not demo_key:
        if demo_params:
            return {"demo_params": "Parameters are given but no demo is chosen."}
        return {}
    if not isinstance(demo_params, dict):
        return {"demo_params": "Demo parameters must be a JSON object."}
    from sandbox import registry  # the sandbox knows nothing of concepts; we depend on it

    if demo_key not in registry.DEMOS:
        return {"demo_key": f"Unknown demo {demo_key!r}; known demos: {', '.join(sorted(registry.DEMOS))}."}
    from django.utils import translation

    with translation.override("en"):  # content messages are English, like the rest of this module
        problems = registry.parameter_errors(demo_key, demo_params)
    if problems:
        return {"demo_params": "; ".join(f"{field}: {msg}" for field, msg in problems.items())}
    return {}
