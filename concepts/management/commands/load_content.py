from django.core.management.base import BaseCommand, CommandError

from concepts.content import ContentInvalid, load_content
from concepts.management.arguments import add_content_arguments


class Command(BaseCommand):
    help = "Load the shipped content (fixtures/content/*.yaml) into the database; safe to run repeatedly."

    def add_arguments(self, parser):
        add_content_arguments(parser, "load")

    def handle(self, *args, paths, aliases, **options):
        try:
            report = load_content(paths or None, aliases=aliases)
        except ContentInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(exc)) from None
        for outcome in ("created", "updated", "unchanged"):
            counts = getattr(report, outcome)
            if counts:
                summary = ", ".join(f"{n} {model}" for model, n in sorted(counts.items()))
                self.stdout.write(f"{outcome}: {summary}")
        self.stdout.write(f"demo results: {report.demos_computed} computed, the rest already stored"
                          + (f"; {report.results_pruned} of old demo versions removed" if report.results_pruned else ""))
        self.stdout.write(f"texts rendered to HTML: {report.texts_rendered} new, the rest already stored")
        if not report.changed:
            self.stdout.write("Content is up to date; nothing changed.")
