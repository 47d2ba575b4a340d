"""Reading, validating and loading the shipped content in `fixtures/content/*.yaml`.

`read_bundle` parses files into unsaved model instances and reports every broken
item by slug; `load_bundle` writes a clean bundle in one transaction, creating or
updating rows by slug and saving only what changed, so loading twice changes
nothing. The format is described in fixtures/README.md.

The concepts' search aliases live apart from the cards, in `fixtures/search/aliases.yaml`
(`<concept-slug>: {ko: [...], en: [...]}`), so that tuning search is a small diff that
touches no card. They are read with the full content and checked like it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from concepts import quoting, validation
from concepts.models import AcceptedAnswer, Choice, Concept, Question, QuestionKind, Topic

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
ALIAS_FIELDS = ("aliases_ko", "aliases_en")
ALIAS_MAX_LENGTH = 100
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Problem:
    file: str
    item: str  # e.g. "question 'sigmoid-max-derivative'"
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.item}: {self.message}"


class ContentInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the content; nothing was written")


@dataclass
class QuestionItem:
    question: Question
    choices: list[validation.ChoiceData]
    accepted: list[validation.AcceptedData]


@dataclass
class ConceptItem:
    concept: Concept
    related: list[str]
    questions: list[QuestionItem] = field(default_factory=list)


@dataclass
class TopicItem:
    topic: Topic
    file: str
    concepts: list[ConceptItem] = field(default_factory=list)


@dataclass
class Bundle:
    topics: list[TopicItem]
    #: slug -> {"ko": [...], "en": [...]} from the aliases file; None when no aliases file was
    #: read, and then loading leaves every concept's aliases as they are.
    aliases: dict[str, dict[str, list[str]]] | None = None
    #: how many demo runs reading this bundle computed (0 when the store had them all)
    demos_computed: int = 0

    def concepts(self):
        return [c for t in self.topics for c in t.concepts]

    def questions(self):
        return [q for c in self.concepts() for q in c.questions]


def content_files(paths: list[str | Path] | None = None) -> list[Path]:
    if paths:
        return [Path(p) for p in paths]
    return sorted(Path(settings.CONTENT_DIR).glob("*.yaml"))


def aliases_file() -> Path:
    """The shipped aliases file, beside the content folder: fixtures/search/aliases.yaml."""
    return Path(settings.CONTENT_DIR).parent / "search" / "aliases.yaml"


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

        The slugs are checked against every card in `_cross_checks`; here only the shape.
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


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster


def _parse(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a safe loader


def read_bundle(
    paths: list[str | Path] | None = None, *, aliases: str | Path | None = None, charts: bool = False
) -> tuple[Bundle, list[Problem]]:
    """Parse and validate content files; problems name the file and the item (in English).

    Every linked demo's result is read from the demo-result store, and computed and
    stored only where it is missing (a new demo, parameters or VERSION), so that quoted
    values are checked against what readers will see. `charts=True` (loading) also
    draws the charts of those results in both languages, so no reader draws them.

    `aliases` is an aliases file to read with them. By default the shipped one is read
    when `paths` is None (the whole shipped content) and none when files are named, so
    that loading a few files neither needs nor clears the other concepts' aliases.
    """
    if aliases is None and not paths and aliases_file().exists():
        aliases = aliases_file()
    with translation.override("en"):
        bundle, problems = _read_bundle(paths, charts=charts)
        if aliases is not None:
            bundle.aliases, alias_problems = _read_aliases(Path(aliases), bundle, paths)
            problems += alias_problems
            for item in bundle.concepts():
                entry = bundle.aliases.get(item.concept.slug, {})
                item.concept.aliases_ko = entry.get("ko", [])
                item.concept.aliases_en = entry.get("en", [])
        return bundle, problems


def _read_aliases(path: Path, bundle: Bundle, paths) -> tuple[dict[str, dict[str, list[str]]], list[Problem]]:
    """The aliases file as {slug: {"ko": [...], "en": [...]}}, and its problems."""
    problems: list[Problem] = []

    def problem(item: str, message: str) -> None:
        problems.append(Problem(path.name, item, message))

    try:
        data = _parse(path)
    except (OSError, yaml.YAMLError) as exc:
        return {}, [Problem(path.name, "file", f"cannot be read as YAML: {exc}")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [Problem(path.name, "file", "must be a mapping {<concept slug>: {ko: [...], en: [...]}}")]
    known = {c.concept.slug for c in bundle.concepts()}
    if paths and not set(data) <= known:  # a subset of files: the other slugs may live in the other shipped files
        known |= _concept_slugs_in(content_files(None))
    out: dict[str, dict[str, list[str]]] = {}
    for slug, entry in data.items():
        item = f"aliases {slug!r}"
        if slug not in known:
            problem(item, "no concept has this slug")
            continue
        if not isinstance(entry, dict) or set(entry) - {"ko", "en"}:
            problem(item, "must be a mapping {ko: [...], en: [...]}")
            continue
        out[slug] = {}
        for lang in ("ko", "en"):
            values = entry.get(lang) or []
            message = validation.string_list_error(values)
            if message:
                problem(item, f"'{lang}': {message}")
                continue
            cleaned, seen = [], set()
            for value in (v.strip() for v in values):
                if len(value) > ALIAS_MAX_LENGTH:
                    problem(item, f"'{lang}': alias {value[:30]!r}... is longer than {ALIAS_MAX_LENGTH} characters")
                elif value.casefold() in seen:
                    problem(item, f"'{lang}': alias {value!r} is listed twice")
                else:
                    seen.add(value.casefold())
                    cleaned.append(value)
            out[slug][lang] = cleaned
    return out, problems


def _read_bundle(paths, *, charts: bool = False) -> tuple[Bundle, list[Problem]]:
    topics: list[TopicItem] = []
    problems: list[Problem] = []
    for path in content_files(paths):
        reader = _Reader(path.name)
        try:
            data = _parse(path)
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
    bundle = Bundle(topics)
    problems += _cross_checks(bundle, paths)
    problems += _demo_checks(bundle, {(p.file, p.item) for p in problems}, charts=charts)
    return bundle, problems


def _cross_checks(bundle: Bundle, paths) -> list[Problem]:
    problems = []
    seen: dict[tuple[str, str], str] = {}
    for topic in bundle.topics:
        entries = [("topic", topic.topic.slug)]
        entries += [("concept", c.concept.slug) for c in topic.concepts]
        entries += [("question", q.question.slug) for c in topic.concepts for q in c.questions]
        for kind, slug in entries:
            if not SLUG_RE.match(slug or ""):
                problems.append(Problem(topic.file, f"{kind} {slug!r}", "slug must be lowercase letters, digits and hyphens"))
            elif (kind, slug) in seen:
                problems.append(Problem(topic.file, f"{kind} {slug!r}", f"slug is also used in {seen[(kind, slug)]}"))
            else:
                seen[(kind, slug)] = topic.file
    known = {c.concept.slug for c in bundle.concepts()}
    wanted = {slug for c in bundle.concepts() for slug in [*c.related, *c.concept.follow_up_cards] if slug}
    if paths and not wanted <= known:  # a subset of files: related slugs may live in the other shipped files
        known |= _concept_slugs_in(content_files(None))
    for topic in bundle.topics:
        for concept in topic.concepts:
            for slug in concept.related:
                if slug == concept.concept.slug:
                    problems.append(Problem(topic.file, f"concept {slug!r}", "is related to itself"))
                elif slug not in known:
                    problems.append(Problem(topic.file, f"concept {concept.concept.slug!r}", f"related concept {slug!r} does not exist"))
            for index, slug in enumerate(concept.concept.follow_up_cards):
                item = f"concept {concept.concept.slug!r} follow-up #{index + 1}"
                if slug == concept.concept.slug:
                    problems.append(Problem(topic.file, item, "links the card itself"))
                elif slug is not None and slug not in known:
                    problems.append(Problem(topic.file, item, f"linked card {slug!r} does not exist"))
    return problems


def _demo_checks(bundle: Bundle, broken: set[tuple[str, str]], *, charts: bool = False) -> list[Problem]:
    """Every linked demo's result is in the store (computed where missing) and every [[value]] quoted exists in it."""
    from sandbox import runner

    problems: list[tuple[int, Problem]] = []  # (item's position, problem): reported in file order
    linked = []  # (position, file, label, quoted texts, run)
    for topic in bundle.topics:
        items = []
        for concept in topic.concepts:
            items.append(("concept", concept.concept, ("answer", "explanation", "key_points", "pitfalls")))
            items += [("question", q.question, ("prompt", "explanation")) for q in concept.questions]
        for kind, obj, fields in items:
            label = f"{kind} {obj.slug!r}"
            texts = []
            for name in fields:
                for lang in ("ko", "en"):
                    value = getattr(obj, f"{name}_{lang}")
                    texts += value if isinstance(value, list) else [value]
            quoted = [t for t in texts if quoting.placeholders(t)]
            position = len(linked) + len(problems)
            if quoted and not obj.demo_key:
                problems.append((position, Problem(topic.file, label, "quotes demo values but has no demo")))
                continue
            if not obj.demo_key or (topic.file, label) in broken:
                continue  # no demo, or its demo reference is already reported as invalid
            try:
                run = runner.prepare(obj.demo_key, obj.demo_params)
            except runner.SandboxError as exc:
                problems.append((position, Problem(topic.file, label, f"demo {obj.demo_key!r} cannot run: {exc}")))
                continue
            linked.append((position, topic.file, label, quoted, run))
    results, bundle.demos_computed = runner.fill([run for *_, run in linked], charts=charts)
    for position, file, label, quoted, run in linked:
        stored = results[run.digest]
        if isinstance(stored, runner.SandboxError):
            problems.append((position, Problem(file, label, f"demo {run.key!r} failed to run: {stored}")))
            continue
        values = stored.result["values"]
        for message in sorted({m for t in quoted for m in quoting.problems(t, values)}):
            problems.append((position, Problem(file, label, message)))
    return [problem for _, problem in sorted(problems, key=lambda entry: entry[0])]


def _concept_slugs_in(files: list[Path]) -> set[str]:
    slugs = set()
    for path in files:
        try:
            data = _parse(path) or {}
            slugs |= {c.get("slug") for c in data.get("concepts") or [] if isinstance(c, dict)}
        except (OSError, yaml.YAMLError, AttributeError):
            continue
    return slugs


# -- writing ----------------------------------------------------------------

@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    demos_computed: int = 0
    results_pruned: int = 0
    texts_rendered: int = 0
    renderings_pruned: int = 0

    def count(self, model: str, outcome: str) -> None:
        bucket = getattr(self, outcome)
        bucket[model] = bucket.get(model, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _values(instance, skip=("id", "created_at", "updated_at")) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if f.attname not in skip}


def _upsert(model, existing: dict, instance, report: LoadReport, label: str, keep=(), **links):
    """Create or update by slug; fields named in `keep` are left as they are on an existing row."""
    values = {**_values(instance), **links}
    if keep and values["slug"] in existing:
        values = {name: value for name, value in values.items() if name not in keep}
    obj = existing.get(values["slug"])
    if obj is None:
        obj = model(**values)
        obj.save()
        report.count(label, "created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        update = changed + (["updated_at"] if hasattr(obj, "updated_at") else [])
        obj.save(update_fields=update)
        report.count(label, "updated")
    else:
        report.count(label, "unchanged")
    return obj


def _sync_choices(question: Question, choices: list[validation.ChoiceData], report: LoadReport) -> None:
    existing = {c.order: c for c in question.choices.all()}
    for order, data in enumerate(choices):
        values = {"text_ko": data.text_ko, "text_en": data.text_en, "is_correct": data.is_correct}
        obj = existing.pop(order, None)
        if obj is None:
            Choice.objects.create(question=question, order=order, **values)
            report.count("choice", "created")
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
            report.count("choice", "updated")
    if existing:
        Choice.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
        report.count("choice", "updated")


def _sync_accepted(question: Question, accepted: list[validation.AcceptedData], report: LoadReport) -> None:
    wanted = {(a.language, a.text) for a in accepted}
    have = {(a.language, a.text): a.pk for a in question.accepted_answers.all()}
    stale = [pk for key, pk in have.items() if key not in wanted]
    if stale:
        AcceptedAnswer.objects.filter(pk__in=stale).delete()
        report.count("accepted answer", "updated")
    new = [AcceptedAnswer(question=question, language=lang, text=text) for lang, text in wanted - set(have)]
    if new:
        AcceptedAnswer.objects.bulk_create(new)
        report.count("accepted answer", "created")


def load_bundle(bundle: Bundle) -> LoadReport:
    """Write a validated bundle: create or update by slug, in one transaction."""
    report = LoadReport()
    with transaction.atomic():
        topics = {t.slug: t for t in Topic.objects.all()}
        concepts = {c.slug: c for c in Concept.objects.all()}
        questions = {q.slug: q for q in Question.objects.prefetch_related("choices", "accepted_answers")}
        saved_concepts: dict[str, Concept] = {}
        for topic_item in bundle.topics:
            topic = _upsert(Topic, topics, topic_item.topic, report, "topic")
            for concept_item in topic_item.concepts:
                concept = _upsert(Concept, concepts, concept_item.concept, report, "concept",
                                  keep=ALIAS_FIELDS if bundle.aliases is None else (), topic_id=topic.pk)
                saved_concepts[concept.slug] = concept
                for question_item in concept_item.questions:
                    question = _upsert(Question, questions, question_item.question, report, "question",
                                       concept_id=concept.pk)
                    _sync_choices(question, question_item.choices, report)
                    _sync_accepted(question, question_item.accepted, report)
        by_slug = {c.slug: c for c in Concept.objects.all()}
        for concept_item in bundle.concepts():
            concept = saved_concepts[concept_item.concept.slug]
            wanted = {by_slug[s].pk for s in concept_item.related}
            if set(concept.related.values_list("pk", flat=True)) != wanted:
                concept.related.set(wanted)
                report.count("related links", "updated")
    return report


def load_content(paths: list[str | Path] | None = None, *, aliases: str | Path | None = None) -> LoadReport:
    """Validate every file (and the aliases, see `read_bundle`), then load them all, or raise
    ContentInvalid and write nothing."""
    bundle, problems = read_bundle(paths, aliases=aliases,
                                   charts=getattr(settings, "SANDBOX_PRERENDER_CHARTS", True))
    if problems:
        raise ContentInvalid(problems)
    from concepts import rendering

    with rendering.paused():
        report = load_bundle(bundle)
    report.demos_computed = bundle.demos_computed
    report.texts_rendered, report.renderings_pruned = rendering.render_content(prune=not paths)
    if not paths:  # the whole content: results of demo versions that no longer exist go
        from sandbox import registry, store

        report.results_pruned = store.prune(registry.versions())
    return report
