"""Content types of the moved models follow them: `concepts.cardstate` becomes `study.cardstate`.

Admin log entries and permissions point at content types by id, so renaming the rows
(rather than letting Django create new ones) keeps them attached to the right model.
"""

from django.db import migrations

MOVED = ("learnerprofile", "cardstate", "reviewlog", "quizsession", "quizitem")


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = ContentType.objects.db_manager()
    for model in MOVED:
        if db.filter(app_label=new, model=model).exists():
            continue  # already there (created by a post-migrate signal): keep that one
        db.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "concepts", "study")


def backwards(apps, schema_editor):
    _relabel(apps, "study", "concepts")


class Migration(migrations.Migration):

    dependencies = [
        ("study", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
