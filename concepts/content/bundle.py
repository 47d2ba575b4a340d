"""What reading the content produces: problems, the bundle of unsaved instances, the load report.

Shared by the reader, the checks and the services; no logic beyond where the files are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from concepts import validation
from concepts.models import Concept, Question, Topic

ALIAS_FIELDS = ("aliases_ko", "aliases_en")
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
