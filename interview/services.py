"""Mock interview services: start, ask the next question, answer, confirm ticks, undo, report.

Keyword-only and typed, called by both the API and the web pages. Each write locks the
interview row, so two concurrent "next" calls ask one question, not two. Answering and
confirming are idempotent: a repeated call returns what the first one did (`created` False).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from concepts.models import Concept, Topic
from study import scheduling
from study.models import CardState, ReviewSource
from interview import matching
from interview.models import MAX_FOLLOW_UPS, MAX_MAIN, MIN_MAIN, InterviewItem, MockInterview

#: an answer is late when it arrives this long after the time limit (network, a slow click)
GRACE_S = 3
MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S = 15, 1800
MAX_ANSWER_LENGTH = 5000


class InterviewConflict(Exception):
    """The request does not fit the interview's current stage (e.g. confirming before answering)."""


def _items(interview: MockInterview) -> QuerySet[InterviewItem]:
    return interview.items.select_related("concept__topic").order_by("position")


def interview_start(*, user, topics: list[str], main_count: int, time_limit_s: int | None, lang: str,
                    now: datetime, seed: int | None = None) -> MockInterview:
    """A new interview. Main questions are planned from the chosen topics' published cards:
    cards due for review first (most overdue first), then cards never studied, then the rest,
    each group shuffled (`seed` makes the order reproducible)."""
    errors: dict[str, str] = {}
    known = {t.slug: t for t in Topic.objects.filter(slug__in=topics)}
    unknown = [slug for slug in topics if slug not in known]
    if unknown:
        errors["topics"] = f"Unknown topic(s): {', '.join(unknown)}."
    if not MIN_MAIN <= main_count <= MAX_MAIN:
        errors["main_count"] = f"Ask between {MIN_MAIN} and {MAX_MAIN} main questions."
    if time_limit_s is not None and not MIN_TIME_LIMIT_S <= time_limit_s <= MAX_TIME_LIMIT_S:
        errors["time_limit_s"] = f"Give between {MIN_TIME_LIMIT_S} and {MAX_TIME_LIMIT_S} seconds, or none."
    if lang not in MockInterview.Language.values:
        errors["lang"] = "Use 'ko' or 'en'."
    if errors:
        raise ValidationError(errors)
    cards = Concept.objects.published()
    if topics:
        cards = cards.filter(topic__slug__in=topics)
    ids = list(cards.order_by("id").values_list("id", flat=True))
    if len(ids) < main_count:
        raise ValidationError({"main_count": f"These topics have only {len(ids)} published card(s)."})
    states = dict(CardState.objects.of(user).filter(concept_id__in=ids).values_list("concept_id", "due"))
    rng = random.Random(seed)
    due = sorted((i for i in ids if i in states and states[i] <= now), key=lambda i: states[i])
    unseen = [i for i in ids if i not in states]
    rest = [i for i in ids if i in states and states[i] > now]
    rng.shuffle(unseen)
    rng.shuffle(rest)
    with transaction.atomic():
        interview = MockInterview.objects.create(user=user, created_at=now, main_count=main_count,
                                                 time_limit_s=time_limit_s, lang=lang, plan=due + unseen + rest)
        interview.topics.set(known.values())
    return interview


def current_item(interview: MockInterview) -> InterviewItem | None:
    """The question being asked (not yet confirmed), if any."""
    last = _items(interview).last()
    return last if last is not None and last.confirmed_at is None else None


def _linked(concept: Concept, lang: str) -> list[tuple[str, str]]:
    return [(text, slug) for text, slug in concept.linked_follow_ups(lang) if slug]


def _next_follow_up(items: list[InterviewItem], lang: str) -> tuple[InterviewItem, str, Concept] | None:
    """(main item, follow-up text, card) for the next follow-up, or None to move on.

    The interviewer digs deeper: first the follow-ups linked from the card just answered,
    then those of the main question. A follow-up whose card was already asked in this
    session is passed over and noted (`skipped`) on the item whose card links it. After an
    Again, or MAX_FOLLOW_UPS follow-ups, the next main question comes.
    """
    last = items[-1]
    main = last if last.main_id is None else next(i for i in items if i.pk == last.main_id)
    if last.rating == matching.AGAIN or sum(1 for i in items if i.main_id == main.pk) >= MAX_FOLLOW_UPS:
        return None
    asked = {i.concept_id for i in items}
    reached = {(i.asked_as, i.concept_id) for i in items if i.main_id}  # links already followed
    sources = [last] if last is main else [last, main]
    slugs = {slug for source in sources for _, slug in _linked(source.concept, lang)}
    cards = {c.slug: c for c in Concept.objects.published().filter(slug__in=slugs).select_related("topic")}
    for source in sources:
        for text, slug in _linked(source.concept, lang):
            card = cards.get(slug)
            if card is None or (text, card.pk) in reached:
                continue
            if card.pk in asked:
                if not any(s["concept"] == slug for s in source.skipped):
                    source.skipped = [*source.skipped, {"text": text, "concept": slug}]
                    source.save(update_fields=["skipped"])
                continue
            return main, text, card
    return None


def interview_next(*, interview: MockInterview, now: datetime) -> tuple[InterviewItem | None, bool]:
    """The question to answer now: the current one if it is not confirmed yet, else a new one
    (a follow-up or the next main question). Returns (item, created); (None, False) once the
    interview is over, which it then marks finished."""
    with transaction.atomic():
        interview = MockInterview.objects.select_for_update().get(pk=interview.pk)
        items = list(_items(interview))
        if items and items[-1].confirmed_at is None:
            return items[-1], False
        if interview.finished_at is not None:
            return None, False
        position = len(items) + 1
        follow_up = _next_follow_up(items, interview.lang) if items else None
        if follow_up is not None:
            main, text, card = follow_up
            item = InterviewItem.objects.create(interview=interview, position=position, concept=card, main=main,
                                                asked_as=text, asked_at=now)
            return item, True
        mains = sum(1 for i in items if i.main_id is None)
        asked = {i.concept_id for i in items}
        published = set(Concept.objects.published().filter(pk__in=interview.plan)
                        .values_list("id", flat=True))
        concept_id = next((c for c in interview.plan if c not in asked and c in published), None)
        if mains >= interview.main_count or concept_id is None:
            interview.finished_at = now
            interview.save(update_fields=["finished_at"])
            return None, False
        item = InterviewItem.objects.create(interview=interview, position=position, concept_id=concept_id,
                                            asked_at=now)
        return item, True


def deadline(item: InterviewItem) -> datetime | None:
    limit = item.interview.time_limit_s
    return item.asked_at + timedelta(seconds=limit) if limit else None


def interview_answer(*, item: InterviewItem, answer: str, aloud: bool, now: datetime) -> tuple[InterviewItem, bool]:
    """Record the answer (typed, or "answered aloud"): time taken, late or not, and the key
    points the typed text appears to cover. A repeated call returns the first answer."""
    answer = (answer or "").strip()
    if len(answer) > MAX_ANSWER_LENGTH:
        raise ValidationError({"answer": f"Keep the answer under {MAX_ANSWER_LENGTH} characters."})
    with transaction.atomic():
        item = InterviewItem.objects.select_for_update().select_related("interview", "concept").get(pk=item.pk)
        if item.answered_at is not None:
            return item, False
        interview = item.interview
        duration_ms = max(0, int((now - item.asked_at).total_seconds() * 1000))
        limit = interview.time_limit_s
        # A typed answer has a few seconds' grace (the last words, the network); an empty one
        # at the bell (the page submits it when the countdown ends) is simply out of time.
        if not limit:
            timed_out = False
        elif answer or aloud:
            timed_out = duration_ms > (limit + GRACE_S) * 1000
        else:
            timed_out = duration_ms >= limit * 1000
        if not answer and not aloud and not timed_out:
            raise ValidationError({"answer": "Type an answer, or say you answered aloud."})
        concept = item.concept
        points = concept.localized("key_points", interview.lang)
        suggested = [] if aloud else [i for i in matching.covered_points(answer, concept.key_points_ko,
                                                                         concept.key_points_en) if i < len(points)]
        item.answer, item.aloud = ("", True) if aloud else (answer, False)
        item.answered_at, item.duration_ms, item.timed_out = now, duration_ms, timed_out
        item.key_point_count = len(points)
        item.suggested_ticks = suggested
        item.suggested_rating = _rating(item, len(suggested))
        item.save()
    return item, True


def _rating(item: InterviewItem, covered: int) -> int:
    return matching.rating_for(covered=covered, total=item.key_point_count, duration_ms=item.duration_ms,
                               time_limit_s=item.interview.time_limit_s, timed_out=item.timed_out)


def ratings_by_count(item: InterviewItem) -> list[int]:
    return matching.ratings_by_count(total=item.key_point_count, duration_ms=item.duration_ms,
                                     time_limit_s=item.interview.time_limit_s, timed_out=item.timed_out)


def interview_confirm(*, item: InterviewItem, ticks: list[int], rating: int | None,
                      now: datetime) -> tuple[InterviewItem, bool]:
    """Confirm the key points covered; the rating (the suggested one unless overridden) is
    recorded as a review of the card, exactly as a flashcard review (idempotency key per
    item and undo). A repeated call with the same ticks returns the first result."""
    if rating is not None and rating not in scheduling.RATINGS:
        raise ValidationError({"rating": "Use 1 (again), 2 (hard), 3 (good) or 4 (easy)."})
    with transaction.atomic():
        item = InterviewItem.objects.select_for_update().select_related("interview__user", "concept").get(pk=item.pk)
        if item.answered_at is None:
            raise InterviewConflict("Answer the question (or reveal it) before confirming the key points.")
        bad = [t for t in ticks if not isinstance(t, int) or isinstance(t, bool) or not 0 <= t < item.key_point_count]
        if bad or len(set(ticks)) != len(ticks):
            raise ValidationError({"ticks": f"Give distinct key point indexes from 0 to {item.key_point_count - 1}."})
        ticks = sorted(ticks)
        if item.confirmed_at is not None:
            if ticks == item.ticks and rating in (None, item.rating):
                return item, False
            raise InterviewConflict("These key points are already confirmed; undo to change them.")
        final = rating or _rating(item, len(ticks))
        log, _ = scheduling.review_card(
            user=item.interview.user, concept=item.concept, rating=final, now=now, duration_ms=item.duration_ms,
            idempotency_key=f"interview-{item.pk}-{item.undo_count}", source=ReviewSource.INTERVIEW,
        )
        item.ticks, item.rating, item.confirmed_at, item.review = ticks, final, now, log
        item.save(update_fields=["ticks", "rating", "confirmed_at", "review"])
    return item, True


def interview_undo(*, interview: MockInterview, now: datetime) -> InterviewItem | None:
    """Undo the last confirmed answer's review, so its ticks and rating can be given again.

    A question asked after it but not answered yet is withdrawn (which follow-up comes
    next depends on the rating). None when nothing is confirmed; InterviewConflict when a
    later question was already answered, or the card was reviewed elsewhere since.
    """
    with transaction.atomic():
        interview = MockInterview.objects.select_for_update().get(pk=interview.pk)
        items = list(_items(interview))
        confirmed = [i for i in items if i.confirmed_at is not None]
        if not confirmed:
            return None
        last = confirmed[-1]
        later = [i for i in items if i.position > last.position]
        if any(i.answered_at is not None for i in later):
            raise InterviewConflict("A later question was already answered; only the latest answer can be undone.")
        if last.review_id is not None:
            try:
                scheduling.undo_review(user=interview.user, log=last.review, now=now)
            except scheduling.UndoRefused:
                raise InterviewConflict("This card was reviewed again since; that review would be lost.") from None
        for item in later:
            item.delete()
        last.ticks, last.rating, last.confirmed_at, last.review = [], None, None, None
        last.undo_count += 1
        last.save(update_fields=["ticks", "rating", "confirmed_at", "review", "undo_count"])
        if interview.finished_at is not None:
            interview.finished_at = None
            interview.save(update_fields=["finished_at"])
    return last
