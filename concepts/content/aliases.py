"""The concepts' search aliases, read from their own file and checked like the cards (pure, like the reader).

They live apart from the cards, in `fixtures/search/aliases.yaml`
(`<concept-slug>: {ko: [...], en: [...]}`), so that tuning search is a small diff that
touches no card.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from concepts import validation
from concepts.content.bundle import Bundle, Problem, content_files
from concepts.content.reader import concept_slugs_in, parse

ALIAS_MAX_LENGTH = 100


def read_aliases(path: Path, bundle: Bundle, paths) -> tuple[dict[str, dict[str, list[str]]], list[Problem]]:
    """The aliases file as {slug: {"ko": [...], "en": [...]}}, and its problems."""
    problems: list[Problem] = []

    def problem(item: str, message: str) -> None:
        problems.append(Problem(path.name, item, message))

    try:
        data = parse(path)
    except (OSError, yaml.YAMLError) as exc:
        return {}, [Problem(path.name, "file", f"cannot be read as YAML: {exc}")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [Problem(path.name, "file", "must be a mapping {<concept slug>: {ko: [...], en: [...]}}")]
    known = {c.concept.slug for c in bundle.concepts()}
    if paths and not set(data) <= known:  # a subset of files: the other slugs may live in the other shipped files
        known |= concept_slugs_in(content_files(None))
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
