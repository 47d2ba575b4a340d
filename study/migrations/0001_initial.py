"""The study models, moved from `concepts` without touching the database.

Their tables already exist (created by `concepts.0002_study` and kept by name through
`db_table`), so this migration changes only Django's state: `concepts.0007_study_moved_out`
then drops them from the concepts app's state. Nothing is copied, nothing is dropped.
"""

import django.db.models.deletion
import study.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('concepts', '0006_profile_language'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='QuizSession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('kinds', models.JSONField(blank=True, default=list)),
                        ('difficulty', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'basic'), (2, 'intermediate'), (3, 'advanced')], null=True)),
                        ('time_limit_s', models.PositiveIntegerField(blank=True, null=True)),
                        ('practice', models.BooleanField(default=False, help_text='A practice run never writes FSRS reviews.')),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('topics', models.ManyToManyField(blank=True, to='concepts.topic')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='quizzes', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'concepts_quizsession',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='CardState',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', models.PositiveSmallIntegerField(choices=[(1, 'learning'), (2, 'review'), (3, 'relearning')], default=1)),
                        ('step', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('stability', models.FloatField(blank=True, null=True)),
                        ('difficulty', models.FloatField(blank=True, null=True)),
                        ('due', models.DateTimeField()),
                        ('last_review', models.DateTimeField(blank=True, null=True)),
                        ('reps', models.PositiveIntegerField(default=0)),
                        ('lapses', models.PositiveIntegerField(default=0)),
                        ('concept', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='card_states', to='concepts.concept')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='card_states', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'concepts_cardstate',
                        'indexes': [models.Index(fields=['user', 'due'], name='card_due_idx')],
                        'constraints': [models.UniqueConstraint(fields=('user', 'concept'), name='card_state_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='LearnerProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('desired_retention', models.FloatField(default=0.9, help_text='Target probability of recalling a card when it is due (0.70-0.97).')),
                        ('timezone', models.CharField(default='Asia/Seoul', max_length=64, validators=[study.models._validate_timezone])),
                        ('new_cards_per_day', models.PositiveSmallIntegerField(default=20)),
                        ('language', models.CharField(blank=True, choices=[('ko', '한국어'), ('en', 'English')], default='', max_length=2)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='learner', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'concepts_learnerprofile',
                        'constraints': [models.CheckConstraint(condition=models.Q(('desired_retention__gte', 0.7), ('desired_retention__lte', 0.97)), name='profile_retention_range'), models.CheckConstraint(condition=models.Q(('new_cards_per_day__lte', 200)), name='profile_new_cards_max')],
                    },
                ),
                migrations.CreateModel(
                    name='QuizItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField()),
                        ('response', models.JSONField(blank=True, null=True)),
                        ('is_correct', models.BooleanField(blank=True, null=True)),
                        ('score', models.FloatField(blank=True, null=True)),
                        ('answered_at', models.DateTimeField(blank=True, null=True)),
                        ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='concepts.question')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='study.quizsession')),
                    ],
                    options={
                        'db_table': 'concepts_quizitem',
                        'ordering': ['position'],
                        'constraints': [models.UniqueConstraint(fields=('session', 'position'), name='quiz_item_position_unique'), models.UniqueConstraint(fields=('session', 'question'), name='quiz_item_question_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='ReviewLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rating', models.PositiveSmallIntegerField(choices=[(1, 'Again'), (2, 'Hard'), (3, 'Good'), (4, 'Easy')])),
                        ('reviewed_at', models.DateTimeField()),
                        ('duration_ms', models.PositiveIntegerField(blank=True, null=True)),
                        ('source', models.CharField(choices=[('flashcard', 'flashcard'), ('quiz', 'quiz'), ('interview', 'mock interview')], default='flashcard', max_length=10)),
                        ('was_new', models.BooleanField(default=False)),
                        ('state_before', models.JSONField(blank=True, help_text='The card state before this review.', null=True)),
                        ('due_after', models.DateTimeField()),
                        ('idempotency_key', models.CharField(blank=True, max_length=64, null=True)),
                        ('undone_at', models.DateTimeField(blank=True, null=True)),
                        ('concept', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='concepts.concept')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'concepts_reviewlog',
                        'ordering': ['-reviewed_at', '-id'],
                        'indexes': [models.Index(fields=['user', 'reviewed_at'], name='review_user_time_idx')],
                        'constraints': [models.UniqueConstraint(fields=('user', 'idempotency_key'), name='review_idempotency_unique'), models.CheckConstraint(condition=models.Q(('rating__gte', 1), ('rating__lte', 4)), name='review_rating_1_4')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
