"""YAML to a bundle of unsaved instances, with every problem found on the way (pure: no database, no demos).

`read_files` turns each file into a topic, its concepts and their questions, checking each
item's fields with the models' own validation (`full_clean`, no uniqueness queries) and the
answer-key rules of `concepts.validation`. Slugs across items, related cards and quoted demo
values are checked by `concepts.content.checks`. The format is described in fixtures/README.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError

from concepts import validation
from concepts.content.bundle import Bundle, ConceptItem, Problem, QuestionItem, TopicItem, content_files
from concepts.models import Concept, Question, QuestionKind, Topic

TOPIC_KEYS = {"slug", "order", "title", "description"}
CONCEPT_KEYS = {
    "slug", "difficulty", "status", "source_notes", "related", "title", "front", "answer", "explanation",
    "key_points", "pitfalls", "follow_ups", "follow_up_cards", "demo", "questions",
}
QUESTION_KEYS = {
    "slug", "kind", "difficulty", "status", "prompt", "explanation", "choices", "answer", "value", "tolerance",
    "unit", "accepted", "demo",
}
QuestionKindValues = set(QuestionKind.values)


class _Reader:
    """Collects problems while turning one file's YAML into unsaved instances."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, item: str, message: str) -> None:
        self.problems.append(Problem(self.file, item, message))

    def keys(self, data: dict, allowed: set[str], item: str) -> None:
        for key in sorted(set(data) - allowed):
            self.problem(item, f"unknown field {key!r} (allowed: {', '.join(sorted(allowed))})")

    def text(self, data: dict, key: str, item: str, *, as_list: bool = False) -> dict[str, Any]:
        """A {ko, en} field as {'<key>_ko': ..., '<key>_en': ...}; empty when absent."""
        raw = data.get(key)
        empty: Any = [] if as_list else ""
        out = {f"{key}_ko": empty, f"{key}_en": empty}
        if raw is None:
            return out
        if not isinstance(raw, dict):
            self.problem(item, f"field {key!r} must be a mapping with 'ko' and 'en'")
            return out
        for lang in sorted(set(raw) - {"ko", "en"}):
            self.problem(item, f"field {key!r} has unknown language {lang!r} (use 'ko' and 'en')")
        for lang in ("ko", "en"):
            value = raw.get(lang)
            if value is None:
                continue
            if as_list:
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    self.problem(item, f"field '{key}.{lang}' must be a list of texts")
                    continue
                out[f"{key}_{lang}"] = [v.strip() for v in value]
            else:
                if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                    self.problem(item, f"field '{key}.{lang}' must be a text")
                    continue
                out[f"{key}_{lang}"] = str(value).strip()
        return out

    def number(self, data: dict, key: str, item: str, *, integer: bool = False, default=None):
        value = data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            self.problem(item, f"field {key!r} must be {'an integer' if integer else 'a number'}, got {value!r}")
            return default
        return value

    def demo(self, data: dict, item: str) -> dict[str, Any]:
        raw = data.get("demo")
        if raw is None:
            return {"demo_key": "", "demo_params": {}}
        if not isinstance(raw, dict) or not isinstance(raw.get("key"), str) or not isinstance(raw.get("params", {}), dict):
            self.problem(item, "field 'demo' must be {key: <demo key>, params: {...}}")
            return {"demo_key": "", "demo_params": {}}
        for key in sorted(set(raw) - {"key", "params"}):
            self.problem(item, f"field 'demo' has unknown key {key!r}")
        return {"demo_key": raw["key"], "demo_params": raw.get("params") or {}}

    def follow_up_cards(self, data: dict, concept: Concept, item: str) -> list[str | None]:
        """`follow_up_cards`: parallel to `follow_ups`, a card slug or null per follow-up.

        The slugs are checked against every card in `checks.cross_checks`; here only the shape.
        """
        raw = data.get("follow_up_cards")
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(v is None or isinstance(v, str) for v in raw):
            self.problem(item, "field 'follow_up_cards' must be a list of concept slugs or nulls")
            return []
        for lang in ("ko", "en"):
            count = len(getattr(concept, f"follow_ups_{lang}"))
            if len(raw) != count:
                self.problem(item, f"field 'follow_up_cards' has {len(raw)} item(s) but 'follow_ups.{lang}' has "
                                   f"{count}; give one slug or null per follow-up")
                return []
        return raw

    def model_errors(self, instance, item: str, exclude: list[str]) -> None:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                for message in messages:
                    self.problem(item, f"{field_name}: {message}")

    # -- the three levels ---------------------------------------------------

    def topic(self, data: Any) -> Topic | None:
        if not isinstance(data, dict):
            self.problem("topic", "the file needs a 'topic' mapping")
            return None
        item = f"topic {data.get('slug')!r}"
        self.keys(data, TOPIC_KEYS, item)
        topic = Topic(
            slug=str(data.get("slug") or ""),
            order=self.number(data, "order", item, integer=True, default=0) or 0,
            **self.text(data, "title", item),
            **self.text(data, "description", item),
        )
        self.model_errors(topic, item, exclude=[])
        return topic

    def concept(self, data: Any, topic: Topic, order: int) -> ConceptItem | None:
        if not isinstance(data, dict):
            self.problem(f"concept #{order + 1}", "each concept must be a mapping")
            return None
        item = f"concept {data.get('slug')!r}"
        self.keys(data, CONCEPT_KEYS, item)
        related = data.get("related") or []
        if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
            self.problem(item, "field 'related' must be a list of concept slugs")
            related = []
        concept = Concept(
            topic=topic,
            slug=str(data.get("slug") or ""),
            order=order,
            difficulty=self.number(data, "difficulty", item, integer=True, default=1),
            status=data.get("status", "published"),
            source_notes=data.get("source_notes") or [],
            **self.text(data, "title", item),
            **self.text(data, "front", item),
            **self.text(data, "answer", item),
            **self.text(data, "explanation", item),
            **self.text(data, "key_points", item, as_list=True),
            **self.text(data, "pitfalls", item, as_list=True),
            **self.text(data, "follow_ups", item, as_list=True),
            **self.demo(data, item),
        )
        concept.follow_up_cards = self.follow_up_cards(data, concept, item)
        self.model_errors(concept, item, exclude=["topic", "related"])
        result = ConceptItem(concept=concept, related=related)
        questions = data.get("questions") or []
        if not isinstance(questions, list):
            self.problem(item, "field 'questions' must be a list")
            questions = []
        for index, question_data in enumerate(questions):
            question = self.question(question_data, concept, index)
            if question is not None:
                result.questions.append(question)
        return result

    def question(self, data: Any, concept: Concept, order: int) -> QuestionItem | None:
        if not isinstance(data, dict):
            self.problem(f"concept {concept.slug!r} question #{order + 1}", "each question must be a mapping")
            return None
        item = f"question {data.get('slug')!r}"
        self.keys(data, QUESTION_KEYS, item)
        kind = data.get("kind")
        answer = data.get("answer")
        if kind == "true_false" and answer is not None and not isinstance(answer, bool):
            self.problem(item, f"field 'answer' must be true or false, got {answer!r}")
            answer = None
        question = Question(
            concept=concept,
            slug=str(data.get("slug") or ""),
            order=order,
            kind=kind or "",
            difficulty=self.number(data, "difficulty", item, integer=True, default=1),
            status=data.get("status", "published"),
            answer_bool=answer if kind == "true_false" else None,
            numeric_value=self.number(data, "value", item),
            numeric_tolerance=self.number(data, "tolerance", item),
            numeric_unit=str(data.get("unit") or ""),
            **self.text(data, "prompt", item),
            **self.text(data, "explanation", item),
            **self.demo(data, item),
        )
        if kind != "true_false" and answer is not None:
            self.problem(item, "field 'answer' is only for true_false questions (use choices / value / accepted)")
        self.model_errors(question, item, exclude=["concept"])
        choices = self.choices(data.get("choices") or [], item)
        accepted = self.accepted(data.get("accepted") or {}, item)
        if kind in QuestionKindValues:
            for message in validation.answer_key_errors(
                kind, choices=choices, accepted=accepted, published=question.status == "published"
            ):
                self.problem(item, message)
        return QuestionItem(question=question, choices=choices, accepted=accepted)

    def choices(self, raw: Any, item: str) -> list[validation.ChoiceData]:
        if not isinstance(raw, list):
            self.problem(item, "field 'choices' must be a list")
            return []
        out = []
        for number, choice in enumerate(raw, start=1):
            if not isinstance(choice, dict) or not isinstance(choice.get("correct", False), bool):
                self.problem(item, f"choice {number} must be {{correct: true|false, ko: ..., en: ...}}")
                continue
            for key in sorted(set(choice) - {"correct", "ko", "en"}):
                self.problem(item, f"choice {number} has unknown field {key!r}")
            out.append(validation.ChoiceData(
                str(choice.get("ko") or "").strip(), str(choice.get("en") or "").strip(), choice.get("correct", False)
            ))
        return out

    def accepted(self, raw: Any, item: str) -> list[validation.AcceptedData]:
        if not isinstance(raw, dict):
            self.problem(item, "field 'accepted' must be a mapping {ko: [...], en: [...]}")
            return []
        out = []
        for lang, answers in raw.items():
            if lang not in ("ko", "en") or not isinstance(answers, list):
                self.problem(item, f"field 'accepted' must map 'ko' / 'en' to lists, got key {lang!r}")
                continue
            seen = set()
            for answer in answers:
                text = str(answer).strip()
                if text in seen:
                    self.problem(item, f"accepted answer {text!r} ({lang}) is listed twice")
                    continue
                seen.add(text)
                out.append(validation.AcceptedData(lang, text))
        return out


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster


def parse(path: Path):
    """One YAML file's data (raises OSError or yaml.YAMLError)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - a safe loader


def read_files(paths: list[str | Path] | None = None) -> tuple[Bundle, list[Problem]]:
    """The content files (every shipped one when `paths` is empty) as one bundle, and their problems."""
    topics: list[TopicItem] = []
    problems: list[Problem] = []
    for path in content_files(paths):
        reader = _Reader(path.name)
        try:
            data = parse(path)
        except (OSError, yaml.YAMLError) as exc:
            problems.append(Problem(path.name, "file", f"cannot be read as YAML: {exc}"))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(path.name, "file", "must be a mapping with 'topic' and 'concepts'"))
            continue
        reader.keys(data, {"topic", "concepts"}, "file")
        topic = reader.topic(data.get("topic"))
        if topic is not None:
            item = TopicItem(topic=topic, file=path.name)
            concepts = data.get("concepts") or []
            if not isinstance(concepts, list):
                reader.problem("file", "'concepts' must be a list")
                concepts = []
            for order, concept_data in enumerate(concepts):
                concept = reader.concept(concept_data, topic, order)
                if concept is not None:
                    item.concepts.append(concept)
            topics.append(item)
        problems += reader.problems
    return Bundle(topics), problems


def concept_slugs_in(files: list[Path]) -> set[str]:
    """The concept slugs of `files`, read leniently (for links into files that were not read)."""
    slugs = set()
    for path in files:
        try:
            data = parse(path) or {}
            slugs |= {c.get("slug") for c in data.get("concepts") or [] if isinstance(c, dict)}
        except (OSError, yaml.YAMLError, AttributeError):
            continue
    return slugs
