"""Run every demo at its defaults and at every (key, params) the content links to.

    python manage.py run_demos                 # all demos, all content references
    python manage.py run_demos gpu-memory      # only these demos
    python manage.py run_demos --defaults-only

Each run is a real run (the cache is refreshed, not read); prints the time per
run and exits non-zero if any run fails or any reference is invalid.
"""

from __future__ import annotations

import json

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from quizsite.languages import LANGUAGES
from sandbox import registry, runner


class Command(BaseCommand):
    help = "Run every registered demo at its defaults and at every parameter set used by content."

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="*", help="Only these demo keys (default: all).")
        parser.add_argument("--defaults-only", action="store_true", help="Skip the parameter sets used by content.")
        parser.add_argument("--lang", default="en", choices=LANGUAGES)

    def handle(self, *args, keys, defaults_only, lang, **options):
        unknown = [k for k in keys if k not in registry.DEMOS]
        if unknown:
            raise CommandError(f"Unknown demo(s): {', '.join(unknown)}")
        wanted = keys or list(registry.DEMOS)
        jobs = [(key, {}, "defaults") for key in wanted]
        if not defaults_only:
            for key, params, where in self.content_references():
                if not keys or key in keys:
                    jobs.append((key, params, where))
        failures = 0
        for key, params, where in jobs:
            label = f"{key} {json.dumps(params, sort_keys=True, ensure_ascii=False)}"
            try:
                outcome = runner.run_demo(key, params, lang=lang, refresh=True)
            except runner.ParameterError as exc:
                failures += 1
                self.stdout.write(self.style.ERROR(f"FAIL {label} ({where}): invalid parameters: {exc}"))
            except runner.SandboxError as exc:
                failures += 1
                self.stdout.write(self.style.ERROR(f"FAIL {label} ({where}): {exc}"))
            else:
                self.stdout.write(f"{outcome.elapsed_ms:8.1f} ms  {label}  ({where})")
        self.stdout.write(f"{len(jobs) - failures} of {len(jobs)} runs succeeded.")
        if failures:
            raise CommandError(f"{failures} demo run(s) failed.")

    def content_references(self) -> list[tuple[str, dict, str]]:
        """Distinct (key, params) linked from concepts and questions; [] when the tables are not there."""
        seen: dict[tuple[str, str], tuple[str, dict, str]] = {}
        for model_name in ("Concept", "Question"):
            try:
                model = apps.get_model("concepts", model_name)
                rows = list(model.objects.exclude(demo_key="").values_list("demo_key", "demo_params", "slug"))
            except (LookupError, DatabaseError) as exc:
                self.stdout.write(self.style.WARNING(f"Skipping content references from {model_name}: {exc}"))
                continue
            for key, params, slug in rows:
                params = params if isinstance(params, dict) else {"<not an object>": params}
                ident = (key, json.dumps(params, sort_keys=True))
                seen.setdefault(ident, (key, params, f"{model_name.lower()} {slug}"))
        return list(seen.values())
