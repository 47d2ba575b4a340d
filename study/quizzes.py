"""Quizzes: start one from filters, answer its questions once each, summarise per topic.

An auto-graded answer in a scheduled (non-practice) quiz also reviews the concept's
flashcard as Good or Again, but only when that card is due or new, so that a quiz
with several questions on one concept does not review its card several times.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from concepts.demos import display
from concepts.models import Choice, Concept, Difficulty, Question, QuestionKind, Topic
from quizsite.compiled import CompiledQuery, CompiledUpdate
from study import grading, scheduling
from study.models import CardState, QuizItem, QuizSession, ReviewSource

MAX_LENGTH = 50


def quiz_questions() -> Prefetch:
    """The prefetch every quiz view needs: each item's question with its topic, choices and answers."""
    return Prefetch(
        "items",
        queryset=QuizItem.objects.select_related("question__concept__topic").prefetch_related(
            Prefetch("question__choices", queryset=Choice.objects.order_by("order", "id")),
            "question__accepted_answers",
        ),
    )


#: what grading reads besides the question itself, per kind (`study.grading`)
GRADED_WITH = {
    QuestionKind.SINGLE: [Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))],
    QuestionKind.MULTIPLE: [Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))],
    QuestionKind.SHORT: ["accepted_answers"],
}


_CARD_FIELDS = [f"question__concept__{f.name}" for f in Concept._meta.concrete_fields if not f.primary_key]


_item_query = CompiledQuery(  # compiled once: Django's compiling took as long as the query (quizsite/compiled.py)
    lambda quiz, user, position: QuizItem.objects.select_related("session", "question__concept")
    .defer(*_CARD_FIELDS).filter(session_id=quiz, session__user_id=user, position=position).order_by("pk")[:1],
    quiz=2_000_000_001, user=2_000_000_002, position=32_001,
)


#: QuizItem.objects.filter(pk=..., answered_at__isnull=True).update(...), compiled once
_record_answer = CompiledUpdate(lambda item: QuizItem.objects.filter(pk=item, answered_at__isnull=True),
                                ["response", "is_correct", "score", "answered_at"], item=2_000_000_003)


def item_to_answer(user, quiz_id: int, position: int) -> QuizItem | None:
    """The item at `position` of `user`'s quiz `quiz_id`, or None (not their quiz, or no such position):
    the item with its session in one query, then only what grading its kind reads (no choices for a
    true/false question), and the session's learner is `user` (no second query for the same row). Of the
    question's card only its id: an answer reviews the card by it and shows none of its texts."""
    item = _item_query.first(QuizItem.objects.db, quiz=quiz_id, user=user.pk, position=position)
    if item is not None:
        item.session.user = user
        prefetch_related_objects([item.question], *GRADED_WITH.get(item.question.kind, []))
    return item


def start_quiz(*, user, topics: list[str] = (), kinds: list[str] = (), difficulty: int | None = None,
               length: int = 10, time_limit_s: int | None = None, practice: bool = False,
               rng: random.Random | None = None) -> QuizSession:
    """Draw `length` published questions matching the filters, kinds interleaved, in random order."""
    errors = {}
    known_topics = list(Topic.objects.filter(slug__in=topics))
    unknown = sorted(set(topics) - {t.slug for t in known_topics})
    if unknown:
        errors["topics"] = _("Unknown topic(s): %(topics)s.") % {"topics": ", ".join(unknown)}
    bad_kinds = sorted(set(kinds) - set(QuestionKind.values))
    if bad_kinds:
        errors["kinds"] = _("Unknown kind(s): %(kinds)s; use %(known)s.") % {
            "kinds": ", ".join(bad_kinds), "known": ", ".join(QuestionKind.values)}
    if difficulty is not None and difficulty not in Difficulty.values:
        errors["difficulty"] = _("Difficulty must be 1, 2 or 3.")
    if not 1 <= length <= MAX_LENGTH:
        errors["length"] = _("Length must be between 1 and %(max)d.") % {"max": MAX_LENGTH}
    if time_limit_s is not None and not 30 <= time_limit_s <= 4 * 3600:
        errors["time_limit_s"] = _("The time limit must be between 30 seconds and 4 hours.")
    if errors:
        raise ValidationError(errors)

    pool = Question.objects.quizzable()
    if topics:
        pool = pool.filter(concept__topic__slug__in=topics)
    if kinds:
        pool = pool.filter(kind__in=kinds)
    if difficulty:
        pool = pool.filter(difficulty=difficulty)
    rows = list(pool.values_list("pk", "kind"))
    if not rows:
        raise ValidationError({"topics": _("No published question matches these filters.")})
    chosen = _mixed_sample(rows, length, rng or random.Random())
    with transaction.atomic():
        session = QuizSession.objects.create(
            user=user, kinds=sorted(set(kinds)), difficulty=difficulty, time_limit_s=time_limit_s, practice=practice
        )
        session.topics.set(known_topics)
        QuizItem.objects.bulk_create(
            QuizItem(session=session, question_id=pk, position=i) for i, pk in enumerate(chosen, start=1)
        )
    return session


def _mixed_sample(rows: list[tuple[int, str]], length: int, rng: random.Random) -> list[int]:
    """A random sample that takes the kinds in turn, so a 5-question quiz over 5 kinds has one of each."""
    by_kind: dict[str, list[int]] = {}
    for pk, kind in rows:
        by_kind.setdefault(kind, []).append(pk)
    pools = [rng.sample(ids, len(ids)) for _, ids in sorted(by_kind.items())]
    rng.shuffle(pools)
    chosen: list[int] = []
    while len(chosen) < length and any(pools):
        for pool in pools:
            if pool and len(chosen) < length:
                chosen.append(pool.pop())
    rng.shuffle(chosen)
    return chosen


def deadline(session: QuizSession) -> datetime | None:
    return session.deadline


@dataclass(frozen=True)
class AnswerOutcome:
    item: QuizItem
    grade: grading.Grade
    created: bool  # False when this question had been answered before


def answer(*, session: QuizSession, item: QuizItem, response, now: datetime) -> AnswerOutcome:
    """Grade and record an answer once; a repeated answer returns the first result unchanged.

    Raises grading.AnswerInvalid for a response of the wrong shape (nothing stored)
    and ValidationError when the quiz is over.
    """
    if item.answered_at is not None:
        return AnswerOutcome(item, grading.grade(item.question, item.response), created=False)
    if session.finished_at is not None:
        raise ValidationError({"quiz": _("This quiz is finished.")})
    limit = deadline(session)
    if limit is not None and now > limit:
        finish(session, now=now)
        raise ValidationError({"quiz": _("Time is up: the quiz's time limit has passed.")})
    grade = grading.grade(item.question, response)
    with transaction.atomic():
        # Only the first concurrent answer is recorded: the update is conditional on "not answered yet".
        updated = _record_answer.run(QuizItem.objects.db, item=item.pk, values={
            "response": response, "is_correct": grade.correct, "score": grade.score, "answered_at": now})
        if not updated:
            item.refresh_from_db()
            return AnswerOutcome(item, grading.grade(item.question, item.response), created=False)
        item.response, item.is_correct, item.score, item.answered_at = response, grade.correct, grade.score, now
        if not session.practice:
            _feed_scheduler(session.user, item.question, grade.correct, now)
    return AnswerOutcome(item, grade, created=True)


def _feed_scheduler(user, question: Question, correct: bool, now: datetime) -> None:
    # Not due: a quiz answer must not pull an already scheduled card forward. Checked under the card's
    # row lock only (a concurrent answer on the same concept may have reviewed it), not before it as well.
    scheduling.review_card(user=user, concept=question.concept, rating=3 if correct else 1, now=now,
                           source=ReviewSource.QUIZ, only_if_due=True)


def finish(session: QuizSession, *, now: datetime) -> None:
    if session.finished_at is None:
        session.finished_at = now
        session.save(update_fields=["finished_at"])


def summary(session: QuizSession) -> dict:
    """Totals and per-topic results of a quiz (items must be prefetched with `quiz_questions`)."""
    per_topic: dict[str, dict] = {}
    answered = correct = 0
    score = 0.0
    items = list(session.items.all())
    for item in items:
        topic = item.question.concept.topic
        row = per_topic.setdefault(topic.slug, {"topic": topic.slug, "title": topic.localized("title"),
                                                "questions": 0, "answered": 0, "correct": 0, "score": 0.0})
        row["questions"] += 1
        if item.answered_at is not None:
            row["answered"] += 1
            row["correct"] += int(bool(item.is_correct))
            row["score"] += item.score or 0.0
            answered += 1
            correct += int(bool(item.is_correct))
            score += item.score or 0.0
    for row in per_topic.values():
        row["score"] = round(row["score"], 4)
    return {
        "questions": len(items), "answered": answered, "correct": correct, "score": round(score, 4),
        "accuracy": round(correct / answered, 4) if answered else None,
        "finished": session.finished_at is not None,
        "topics": sorted(per_topic.values(), key=lambda r: r["topic"]),
    }


# -- after the quiz: what was missed, and studying it --------------------------------

def answer_text(question: Question, response, lang: str) -> str:
    """The learner's answer as they saw it: choice texts rather than ids, True/False in the UI language."""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        picked = set(response if isinstance(response, list) else [response])
        return "; ".join(display(c, "text", lang) for c in question.choices.all() if c.pk in picked)
    if question.kind == QuestionKind.TRUE_FALSE:
        return _("True") if response else _("False")
    return str(response)


def right_answer_text(question: Question, lang: str) -> str:
    """The right answer as a learner reads it (each accepted short answer once, the unit once)."""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return "; ".join(display(c, "text", lang) for c in question.choices.all() if c.is_correct)
    if question.kind == QuestionKind.TRUE_FALSE:
        return _("True") if question.answer_bool else _("False")
    if question.kind == QuestionKind.NUMERIC:
        return question.answer_text(lang)
    return " / ".join(question.accepted_texts(lang))


def missed_items(session: QuizSession) -> list[QuizItem]:
    """Items answered wrong or only partly right, and in a finished quiz those left unanswered, in quiz order.

    Items must be prefetched with `quiz_questions`.
    """
    finished = session.finished_at is not None
    return [item for item in session.items.all()
            if (item.answered_at is not None and not item.is_correct) or (item.answered_at is None and finished)]


def missed_questions(session: QuizSession, lang: str) -> list[dict]:
    """What a learner reviews after a quiz: each missed question with their answer, the right one, and why."""
    return [{
        "position": item.position, "question": item.question.slug, "concept": item.question.concept.slug,
        "prompt": display(item.question, "prompt", lang),
        "your_answer": answer_text(item.question, item.response, lang) if item.answered_at else None,
        "right_answer": right_answer_text(item.question, lang),
        "explanation": display(item.question, "explanation", lang),
    } for item in missed_items(session)]


def study_missed(*, user, session: QuizSession, now: datetime) -> list[Concept]:
    """Put the cards behind the missed questions into the learner's flashcard queue, due now.

    A card already scheduled later is brought forward to now; a card never studied gets its
    (blank, never-reviewed) state row due now, so it comes up as due rather than waiting for
    the daily new-card limit. Its memory state is untouched: the next review is an early one.
    Idempotent: a second call finds every card due already and changes nothing.
    """
    concepts = {item.question.concept_id: item.question.concept for item in missed_items(session)}
    with transaction.atomic():
        CardState.objects.of(user).filter(concept_id__in=concepts, due__gt=now).update(due=now)
        CardState.objects.bulk_create([CardState(user=user, concept_id=pk, due=now) for pk in concepts],
                                      ignore_conflicts=True)
    return sorted(concepts.values(), key=lambda c: c.slug)
