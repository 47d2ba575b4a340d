"""The study models moved from `concepts` to `study` without losing a row.

A database is filled under the old layout (the models still in `concepts`, through the
historical models of that migration state), then migrated forward; the same rows are
read back through `study.models`, and the content types, with the permissions and admin
log entries that point at them, follow the models to their new app.
"""

from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD_LAYOUT = [("concepts", "0006_profile_language"), ("interview", "0001_initial"), ("study", None)]
WHEN = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


def _migrate(targets):
    """Migrate to `targets`; the historical models of that state (the admin and auth apps at their latest)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] in ("admin", "auth", "contenttypes")]
    return executor.loader.project_state([t for t in targets if t[1]] + leaves).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _fill_old_layout(apps) -> dict:
    User = apps.get_model("auth", "User")
    Topic = apps.get_model("concepts", "Topic")
    Concept = apps.get_model("concepts", "Concept")
    Question = apps.get_model("concepts", "Question")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")

    user = User.objects.create(username="dana", password="!")
    topic = Topic.objects.create(slug="moved-topic", title_en="Moved", title_ko="옮김")
    concept = Concept.objects.create(topic=topic, slug="moved-card", status="published", title_en="Card")
    question = Question.objects.create(concept=concept, slug="moved-q", kind="true_false", answer_bool=True,
                                       status="published")

    apps.get_model("concepts", "LearnerProfile").objects.create(
        user=user, desired_retention=0.85, timezone="Europe/Paris", new_cards_per_day=7, language="en")
    state = apps.get_model("concepts", "CardState").objects.create(
        user=user, concept=concept, state=2, stability=3.5, difficulty=5.25, due=WHEN, last_review=WHEN, reps=4,
        lapses=1)
    log = apps.get_model("concepts", "ReviewLog").objects.create(
        user=user, concept=concept, rating=3, reviewed_at=WHEN, duration_ms=4200, source="quiz", was_new=False,
        state_before={"reps": 3}, due_after=WHEN, idempotency_key="k-1")
    session = apps.get_model("concepts", "QuizSession").objects.create(
        user=user, kinds=["true_false"], difficulty=1, time_limit_s=600, practice=False)
    session.topics.add(topic)
    apps.get_model("concepts", "QuizItem").objects.create(
        session=session, question=question, position=1, response=True, is_correct=True, score=1.0,
        answered_at=WHEN)

    # An admin log entry and a permission on the old content type: they must follow the model.
    card_type, _ = ContentType.objects.get_or_create(app_label="concepts", model="cardstate")
    ContentType.objects.filter(app_label="study").delete()  # as on a database that never had the study app
    permission, _ = Permission.objects.get_or_create(content_type=card_type, codename="change_cardstate",
                                                     defaults={"name": "Can change card state"})
    entry = LogEntry.objects.create(user=user, content_type=card_type, object_id=str(state.pk), object_repr="card",
                                    action_flag=2, action_time=WHEN)
    return {"user": user.pk, "session": session.pk, "log": log.pk, "card_type": card_type.pk,
            "permission": permission.pk, "entry": entry.pk}


@pytest.mark.django_db(transaction=True)
def test_rows_written_under_the_old_layout_are_read_through_study_models():
    try:
        ids = _fill_old_layout(_migrate(OLD_LAYOUT))
        _migrate(_latest())
    finally:
        _migrate(_latest())  # leave the test database as every other test expects it

    from django.contrib.admin.models import LogEntry
    from django.contrib.auth.models import Permission, User
    from django.contrib.contenttypes.models import ContentType

    from interview.models import InterviewItem
    from study.models import CardState, LearnerProfile, QuizItem, QuizSession, ReviewLog

    user = User.objects.get(pk=ids["user"])
    profile = LearnerProfile.objects.get(user=user)
    assert (profile.desired_retention, profile.timezone, profile.new_cards_per_day, profile.language) == (
        0.85, "Europe/Paris", 7, "en")

    state = CardState.objects.of(user).get()
    assert (state.concept.slug, state.state, state.stability, state.difficulty, state.reps, state.lapses) == (
        "moved-card", CardState.State.REVIEW, 3.5, 5.25, 4, 1)
    assert state.due == WHEN

    log = ReviewLog.objects.of(user).get()
    assert log.pk == ids["log"]
    assert (log.rating, log.duration_ms, log.source, log.state_before, log.idempotency_key) == (
        3, 4200, "quiz", {"reps": 3}, "k-1")

    session = QuizSession.objects.of(user).get()
    assert session.pk == ids["session"]
    assert [t.slug for t in session.topics.all()] == ["moved-topic"]
    assert (session.kinds, session.difficulty, session.time_limit_s, session.practice) == (["true_false"], 1, 600, False)
    assert session.deadline == session.created_at + timedelta(minutes=10)
    item = QuizItem.objects.get(session=session)
    assert (item.question.slug, item.position, item.response, item.is_correct, item.score) == (
        "moved-q", 1, True, True, 1.0)

    # The interview's review link now resolves to study.ReviewLog, on the same table.
    assert InterviewItem._meta.get_field("review").related_model is ReviewLog
    assert ReviewLog._meta.db_table == "concepts_reviewlog"

    # The content type was renamed, not replaced: the permission and the admin log still point at it.
    card_type = ContentType.objects.get(pk=ids["card_type"])
    assert (card_type.app_label, card_type.model) == ("study", "cardstate")
    assert card_type.model_class() is CardState
    assert not ContentType.objects.filter(app_label="concepts", model="cardstate").exists()
    assert Permission.objects.get(pk=ids["permission"]).content_type_id == card_type.pk
    assert LogEntry.objects.get(pk=ids["entry"]).get_edited_object() == state
