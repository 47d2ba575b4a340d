"""Checks across a read bundle: slugs and links between items, and the demo values the texts quote.

`demo_checks` reads every linked demo's result from the demo-result store, computing and
storing only the missing ones (a new demo, parameters or VERSION), so that quoted values are
checked against what readers will see.
"""

from __future__ import annotations

from concepts import quoting
from concepts.content.bundle import SLUG_RE, Bundle, Problem, content_files
from concepts.content.reader import concept_slugs_in


def cross_checks(bundle: Bundle, paths) -> list[Problem]:
    """Slugs well formed and unique per kind; related cards and follow-up links point at existing cards
    (in the other shipped files too when only some files were read)."""
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
        known |= concept_slugs_in(content_files(None))
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


def demo_checks(bundle: Bundle, broken: set[tuple[str, str]], *, charts: bool = False) -> list[Problem]:
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
