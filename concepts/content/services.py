"""The content services: read and check a bundle (`read_bundle`), write it (`load_bundle`), or both
(`load_content`, what `manage.py load_content` runs).

`load_bundle` writes a clean bundle in one transaction, creating or updating rows by slug and
saving only what changed, so loading twice changes nothing. Loading also renders the texts to
HTML (`concepts.rendering`) and, for the whole content, drops results of demo versions that no
longer exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

from concepts.content import checks
from concepts.content.aliases import read_aliases
from concepts.content.answer_keys import sync_answer_key
from concepts.content.bundle import ALIAS_FIELDS, Bundle, ContentInvalid, LoadReport, Problem, aliases_file
from concepts.content.reader import read_files
from concepts.models import Concept, Question, Topic


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
        bundle, problems = read_files(paths)
        problems += checks.cross_checks(bundle, paths)
        # through the module, so that a test can leave the demos out by replacing checks.demo_checks
        problems += checks.demo_checks(bundle, {(p.file, p.item) for p in problems}, charts=charts)
        if aliases is not None:
            bundle.aliases, alias_problems = read_aliases(Path(aliases), bundle, paths)
            problems += alias_problems
            for item in bundle.concepts():
                entry = bundle.aliases.get(item.concept.slug, {})
                item.concept.aliases_ko = entry.get("ko", [])
                item.concept.aliases_en = entry.get("en", [])
        return bundle, problems


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
                    sync_answer_key(question, question_item.choices, question_item.accepted, report)
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
    from concepts.stored_payloads import upkeep

    with rendering.paused():
        report = load_bundle(bundle)
    report.demos_computed = bundle.demos_computed
    report.texts_rendered, report.renderings_pruned = rendering.render_content(prune=not paths)
    upkeep.rebuild()  # what the due queue and the concept pages serve (concepts/stored_payloads)
    if not paths:  # the whole content: results of demo versions that no longer exist go
        from sandbox import registry, store

        report.results_pruned = store.prune(registry.versions())
    return report
