#!/usr/bin/env python
"""Propose `follow_up_cards` links: for each follow-up, the card that answers it.

    .venv/bin/python scripts/link_follow_ups.py                 # print the proposals
    .venv/bin/python scripts/link_follow_ups.py --apply         # write them into the YAML files
    .venv/bin/python scripts/link_follow_ups.py FILE.yaml ...   # other content files

Each follow-up is asked of the search (concepts/search/, the same ranking as the library's
search box) in Korean and in English, over every card in the files. A link is proposed only
when it is confident: both languages' searches are "covered" (the first card clears the
search's own score and coverage thresholds) and name the same card, which is not the card
asking. Everything else stays text. Existing links are kept. `--apply` edits the files as
text, inserting one `follow_up_cards:` line after each concept's `follow_ups` block, so the
rest of a file (comments, quoting, order) is untouched.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from concepts.search import SearchIndex, card_text  # noqa: E402  (pure: no Django needed)

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _pair(raw, key: str, *, as_list: bool = False):
    value = (raw or {}).get(key) or {}
    empty = [] if as_list else ""
    return value.get("ko") or empty, value.get("en") or empty


def _card(pk: int, data: dict) -> SimpleNamespace:
    """What `search.card_text` reads of a concept, from its YAML mapping."""
    fields = {"pk": pk, "slug": data["slug"], "aliases_ko": [], "aliases_en": []}
    for name in ("title", "front", "answer", "explanation"):
        fields[f"{name}_ko"], fields[f"{name}_en"] = _pair(data, name)
    for name in ("key_points", "pitfalls", "follow_ups"):
        fields[f"{name}_ko"], fields[f"{name}_en"] = _pair(data, name, as_list=True)
    return SimpleNamespace(**fields)


def _questions(data: dict, first_pk: int) -> list[SimpleNamespace]:
    out = []
    for offset, q in enumerate(data.get("questions") or []):
        prompt_ko, prompt_en = _pair(q, "prompt")
        expl_ko, expl_en = _pair(q, "explanation")
        out.append(SimpleNamespace(pk=first_pk + offset, prompt_ko=prompt_ko, prompt_en=prompt_en,
                                   explanation_ko=expl_ko, explanation_en=expl_en))
    return out


def read_files(paths: list[Path]) -> dict[Path, list[dict]]:
    return {path: yaml.load(path.read_text(encoding="utf-8"), Loader=Loader).get("concepts") or [] for path in paths}


def build_index(concepts: list[dict], aliases: dict) -> tuple[SearchIndex, list[str]]:
    cards, slugs, question_pk = [], [], 1
    for pk, data in enumerate(concepts):
        card = _card(pk, data)
        card.aliases_ko = (aliases.get(data["slug"]) or {}).get("ko") or []
        card.aliases_en = (aliases.get(data["slug"]) or {}).get("en") or []
        questions = _questions(data, question_pk)
        question_pk += len(questions)
        cards.append(card_text(card, questions))
        slugs.append(data["slug"])
    return SearchIndex(cards), slugs


def propose(index: SearchIndex, slugs: list[str], concept: dict) -> list[str | None]:
    """One slug or None per follow-up; existing links are kept."""
    ko, en = _pair(concept, "follow_ups", as_list=True)
    existing = concept.get("follow_up_cards") or [None] * len(ko)
    links = []
    for i, (text_ko, text_en) in enumerate(zip(ko, en, strict=False)):
        if i < len(existing) and existing[i]:
            links.append(existing[i])
            continue
        answers = set()
        for text in (text_ko, text_en):
            ranking = index.rank(text, limit=1)
            answers.add(slugs[ranking.hits[0].concept_id] if ranking.covered else None)
        slug = answers.pop() if len(answers) == 1 else None
        links.append(slug if slug != concept["slug"] else None)
    return links


def _yaml_list(links: list[str | None]) -> str:
    return "[" + ", ".join(link or "null" for link in links) + "]"


def apply_links(path: Path, links_by_slug: dict[str, list[str | None]]) -> int:
    """Insert or replace `follow_up_cards:` after each concept's `follow_ups` block; returns concepts written.

    Works on the text: a concept starts at `- slug: X` (any indentation), its keys sit two
    columns further in, and the `follow_ups` block runs while lines are indented deeper.
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    slug, key_indent, written, i = None, None, 0, 0
    while i < len(lines):
        line = lines[i]
        match = re.match(r"^(\s*)- slug:\s*(\S+)", line)
        if match:
            slug, key_indent = match.group(2).strip("'\""), " " * (len(match.group(1)) + 2)
        if key_indent is not None and line.startswith(f"{key_indent}follow_up_cards:"):
            i += 1  # replaced below, after follow_ups
            while i < len(lines) and lines[i].startswith(key_indent + " "):
                i += 1
            continue
        out.append(line)
        i += 1
        if key_indent is not None and line.startswith(f"{key_indent}follow_ups:") and slug in links_by_slug:
            while i < len(lines) and (lines[i].startswith(key_indent + " ") or lines[i].startswith(key_indent + "-")
                                      or not lines[i].strip()):
                out.append(lines[i])
                i += 1
            out.append(f"{key_indent}follow_up_cards: {_yaml_list(links_by_slug[slug])}")
            written += 1
    path.write_text("\n".join(out), encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="content files (default: fixtures/content/*.yaml)")
    parser.add_argument("--apply", action="store_true", help="write the links into the files")
    parser.add_argument("--aliases", type=Path, default=ROOT / "fixtures" / "search" / "aliases.yaml")
    args = parser.parse_args(argv)
    paths = args.files or sorted((ROOT / "fixtures" / "content").glob("*.yaml"))
    by_file = read_files(paths)
    aliases = yaml.load(args.aliases.read_text(encoding="utf-8"), Loader=Loader) if args.aliases.exists() else {}
    index, slugs = build_index([c for concepts in by_file.values() for c in concepts], aliases or {})
    total = linked = 0
    for path, concepts in by_file.items():
        links_by_slug = {}
        for concept in concepts:
            links = propose(index, slugs, concept)
            ko, _ = _pair(concept, "follow_ups", as_list=True)
            total += len(ko)
            linked += sum(1 for link in links if link)
            if any(links):
                links_by_slug[concept["slug"]] = links
                for text, link in zip(ko, links, strict=False):
                    if link:
                        print(f"{path.name}: {concept['slug']}: {text!r} -> {link}")
        if args.apply and links_by_slug:
            apply_links(path, links_by_slug)
    print(f"{linked} of {total} follow-ups linked" + (" (written)" if args.apply else " (proposed; --apply writes)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
