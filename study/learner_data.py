"""A learner's own data: download it (JSON or CSV), or delete the account with all of it.

Everything is selected through the user passed in, never through ids from the
request, so one learner's export can hold nothing of another's.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any, Callable

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from study.models import CardState, LearnerProfile, QuizItem, QuizSession, ReviewLog

EXPORT_VERSION = 1

#: Sections other apps add to the export, name -> function(user) -> JSON-able value, in order
#: (the interview app adds "mock_interviews" in its `ready()`): study does not import them.
EXTRA_SECTIONS: dict[str, Callable[[User], Any]] = {}


def add_export_section(name: str, build: Callable[[User], Any]) -> None:
    """Include `build(user)` under `name` in every learner export."""
    EXTRA_SECTIONS[name] = build

CSV_COLUMNS = [
    "record", "id", "at", "concept", "question", "rating", "source", "duration_ms", "was_new", "due_after",
    "undone_at", "quiz", "practice", "position", "response", "is_correct", "score",
]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _reviews(user: User) -> list[dict[str, Any]]:
    logs = ReviewLog.objects.of(user).select_related("concept").order_by("reviewed_at", "id")
    return [{
        "id": log.pk, "concept": log.concept.slug, "rating": log.rating, "reviewed_at": _iso(log.reviewed_at),
        "duration_ms": log.duration_ms, "source": log.source, "was_new": log.was_new,
        "due_after": _iso(log.due_after), "undone_at": _iso(log.undone_at),
    } for log in logs]


def _card_states(user: User) -> list[dict[str, Any]]:
    states = CardState.objects.of(user).select_related("concept").order_by("concept__slug")
    return [{
        "concept": s.concept.slug, "state": s.get_state_display(), "step": s.step, "stability": s.stability,
        "difficulty": s.difficulty, "due": _iso(s.due), "last_review": _iso(s.last_review), "reps": s.reps,
        "lapses": s.lapses,
    } for s in states]


def _quizzes(user: User) -> list[dict[str, Any]]:
    sessions = (
        QuizSession.objects.of(user)
        .prefetch_related("topics", Prefetch("items", queryset=QuizItem.objects.select_related("question")
                                             .order_by("position")))
        .order_by("created_at", "id")
    )
    return [{
        "id": s.pk, "created_at": _iso(s.created_at), "finished_at": _iso(s.finished_at), "practice": s.practice,
        "topics": sorted(t.slug for t in s.topics.all()), "kinds": s.kinds, "difficulty": s.difficulty,
        "time_limit_s": s.time_limit_s,
        "answers": [{
            "position": i.position, "question": i.question.slug, "response": i.response,
            "is_correct": i.is_correct, "score": i.score, "answered_at": _iso(i.answered_at),
        } for i in s.items.all()],
    } for s in sessions]


def learner_export(user: User, *, now: datetime) -> dict[str, Any]:
    """Everything the learner owns: account, preferences, card states, review history, quiz results,
    mock interviews (with their reports)."""
    profile = LearnerProfile.objects.filter(user=user).first()
    return {
        "format": "dlprep-learner-export",
        "version": EXPORT_VERSION,
        "exported_at": _iso(now),
        "account": {"username": user.username, "email": user.email, "date_joined": _iso(user.date_joined)},
        "profile": None if profile is None else {
            "desired_retention": profile.desired_retention, "timezone": profile.timezone,
            "new_cards_per_day": profile.new_cards_per_day,
        },
        "card_states": _card_states(user),
        "reviews": _reviews(user),
        "quizzes": _quizzes(user),
        **{name: build(user) for name, build in EXTRA_SECTIONS.items()},
    }


def learner_export_csv(data: dict[str, Any]) -> str:
    """The review history and quiz answers of an export as one CSV, one row per review or answer.

    The `record` column says which (`review`, with its `id`, or `quiz_answer`, with its
    `quiz` and `position`); quiz responses are
    JSON, so a typed answer can never be read as a spreadsheet formula.
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for review in data["reviews"]:
        writer.writerow({"record": "review", "at": review["reviewed_at"], **review})
    for quiz in data["quizzes"]:
        for answer in quiz["answers"]:
            writer.writerow({
                "record": "quiz_answer", "at": answer["answered_at"], "quiz": quiz["id"],
                "practice": quiz["practice"], "position": answer["position"], "question": answer["question"],
                "response": "" if answer["response"] is None else json.dumps(answer["response"], ensure_ascii=False),
                "is_correct": answer["is_correct"], "score": answer["score"],
            })
    return out.getvalue()


def account_delete(*, user: User, password: str) -> None:
    """Delete the account and everything it owns, if `password` is the account's password.

    The database cascades remove the profile, card states, review log, quizzes and
    their answers, and the API token. What holds the account by name or inside
    encoded data has no foreign key to cascade along, so it goes here: django-axes'
    log-in records for the username and every session signed in as the account.
    """
    if not password or not user.check_password(password):
        raise ValidationError({"password": "The password is not correct; nothing was deleted."})
    with transaction.atomic():
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username=user.username).delete()
        Session.objects.filter(pk__in=_session_keys_of(user)).delete()
        user.delete()


def _session_keys_of(user: User) -> list[str]:
    """Keys of the live sessions signed in as `user` (a session stores its user id only in its encoded data)."""
    user_id = str(user.pk)
    return [session.session_key for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
            if str(session.get_decoded().get(SESSION_KEY)) == user_id]
