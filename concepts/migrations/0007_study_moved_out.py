"""The study models now belong to the `study` app (`study.0001_initial`): forget them here.

State only: their tables stay, under the same names, and `study` reads them.
Runs after `interview.0002`, which points the interview's review link at `study.ReviewLog`.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("concepts", "0006_profile_language"),
        ("study", "0001_initial"),
        ("interview", "0002_review_from_study"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="QuizItem"),
                migrations.DeleteModel(name="QuizSession"),
                migrations.DeleteModel(name="CardState"),
                migrations.DeleteModel(name="LearnerProfile"),
                migrations.DeleteModel(name="ReviewLog"),
            ],
            database_operations=[],
        ),
    ]
