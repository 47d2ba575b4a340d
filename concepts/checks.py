"""System checks on stored content: every demo a card or question links to still exists and still
takes the parameters stored with it.

Demo keys and parameters live in database rows (`Concept`/`Question.demo_key`, `demo_params`)
while the demos live in code, so a demo renamed, removed or given new bounds leaves rows that
readers can no longer run. These checks name each such row:

- concepts.E001  a row links to a demo key that is not registered
- concepts.E002  a row's demo parameters no longer validate against the demo's declaration

They read the database, so they are tagged `Tags.database` and, like Django's own database
checks, do nothing unless databases are named: `manage.py check --database default` (and
`migrate`, which checks the database it migrates) run them, a plain `check` or `runserver` does
not. They are also safe before the schema exists: a database whose content tables are not there
yet (`migrate` on an empty database) or are not migrated that far has nothing to check.

A release that changes a demo's parameters together with the content that links to it
updates the rows with `load_content` (which reads no database in its checks); should that
release also need `migrate` first, `migrate --skip-checks` lets it through.
"""

from __future__ import annotations

from typing import Any, Iterable

from django.core import checks
from django.db import DatabaseError, connections


def check_demo_links(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    if not databases:
        return []
    from concepts.models import Concept, Question

    errors: list[checks.CheckMessage] = []
    for alias in databases:
        try:
            tables = set(connections[alias].introspection.table_names())
        except DatabaseError:  # the database cannot be reached: Django's own checks and commands say so
            continue
        for model in (Concept, Question):
            if model._meta.db_table not in tables:
                continue
            try:
                rows = list(model.objects.using(alias).exclude(demo_key="")
                            .values_list("pk", "slug", "demo_key", "demo_params"))
            except DatabaseError:  # an older schema without these columns: migrate first
                continue
            errors += link_problems((f"{model._meta.label} {slug!r} (pk {pk})", key, params)
                                    for pk, slug, key, params in rows)
    return errors


def link_problems(links: Iterable[tuple[str, str, Any]]) -> list[checks.Error]:
    """Errors for (where, demo key, demo params) links that name no demo or parameters it refuses."""
    from concepts.validation import demo_reference_errors

    errors = []
    for where, key, params in links:
        problems = demo_reference_errors(key, params)
        if "demo_key" in problems:
            errors.append(checks.Error(f"{where}: {problems['demo_key']}", id="concepts.E001",
                                       hint="Link a registered demo (sandbox.registry.DEMOS), then run load_content."))
        elif "demo_params" in problems:
            errors.append(checks.Error(f"{where}: demo {key!r} refuses its stored parameters: {problems['demo_params']}",
                                       id="concepts.E002",
                                       hint="Fix the parameters in the content files, then run load_content."))
    return errors
