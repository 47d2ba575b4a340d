from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from concepts import anki
from concepts.models import Topic


class Command(BaseCommand):
    help = "Write the published content as an Anki deck (.apkg): one topic or all, in Korean, English or both."

    def add_arguments(self, parser):
        parser.add_argument("--topic", metavar="SLUG", help="only this topic (default: every topic)")
        parser.add_argument("--lang", choices=anki.MODES, default="both",
                            help="ko, en, or both (Korean then English on each side; default)")
        parser.add_argument("--questions", action="store_true", help="add one note per published question")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the .apkg file to write")

    def handle(self, *args, topic, lang, questions, output, **options):
        if topic and not Topic.objects.filter(slug=topic).exists():
            known = ", ".join(Topic.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"Unknown topic {topic!r}; known topics: {known}.")
        try:
            export = anki.export_anki(topic_slugs=[topic] if topic else None, mode=lang, questions=questions)
        except anki.UnfilledValues as exc:
            raise CommandError(str(exc)) from None
        Path(output).write_bytes(export.content)
        self.stdout.write(f"Wrote {export.notes} notes to {output}.")
