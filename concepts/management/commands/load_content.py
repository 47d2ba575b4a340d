from django.core.management.base import BaseCommand, CommandError

from concepts.content import ContentInvalid, load_content


class Command(BaseCommand):
    help = "Load the shipped content (fixtures/content/*.yaml) into the database; safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="YAML files to load (default: every file in fixtures/content)")

    def handle(self, *args, paths, **options):
        try:
            report = load_content(paths or None)
        except ContentInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(exc)) from None
        for outcome in ("created", "updated", "unchanged"):
            counts = getattr(report, outcome)
            if counts:
                summary = ", ".join(f"{n} {model}" for model, n in sorted(counts.items()))
                self.stdout.write(f"{outcome}: {summary}")
        if not report.changed:
            self.stdout.write("Content is up to date; nothing changed.")
