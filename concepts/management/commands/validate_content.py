from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from concepts.content import read_bundle
from concepts.management.arguments import add_content_arguments


class Command(BaseCommand):
    help = "Check the shipped content; prints one line per broken item and fails if there is any."

    def add_arguments(self, parser):
        add_content_arguments(parser, "check")

    def handle(self, *args, paths, aliases, **options):
        from django.db import connection

        if "sandbox_storedresult" not in connection.introspection.table_names():
            raise CommandError("The database has no demo-result store yet (quoted values are checked against it): "
                               "run `python manage.py migrate` first.")
        bundle, problems = read_bundle(paths or None, aliases=aliases)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found")
        questions = bundle.questions()
        kinds = Counter(q.question.kind for q in questions)
        self.stdout.write(
            f"OK: {len(bundle.topics)} topics, {len(bundle.concepts())} concepts, {len(questions)} questions "
            f"({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"
            + ("" if bundle.aliases is None else f", search aliases for {len(bundle.aliases)} concepts")
            + f"; demo results: {bundle.demos_computed} computed, the rest already stored"
        )
