"""Flashcards on FSRS: the due queue, interval previews, reviews with undo.

The scheduling maths is the `fsrs` package's; this module keeps each learner's
card state in the database, records every review in the review log with the state
before it (the library has no rollback, so that is what undo restores), and
computes "today" at the learner's own midnight.

Fuzzing is off so that the intervals previewed on the Again/Hard/Good/Easy
buttons are exactly the ones a review then gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q

from concepts.models import Concept
from quizsite import languages
from quizsite.compiled import CompiledInsert, CompiledQuery, CompiledUpdate
from study.models import CardState, LearnerProfile, ReviewLog, ReviewSource

RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}


def profile_for(user) -> LearnerProfile:
    """The learner's profile, made on first use (or the one token authentication read with the user)."""
    read = getattr(user, "profile_from_token", None)  # study.api.authentication
    return read or LearnerProfile.objects.get_or_create(user=user)[0]


def scheduler_for(profile: LearnerProfile) -> fsrs.Scheduler:
    return fsrs.Scheduler(desired_retention=profile.desired_retention, enable_fuzzing=False)


def day_start(profile: LearnerProfile, now: datetime) -> datetime:
    """The start of the learner's current day (local midnight), as an aware datetime."""
    local = now.astimezone(ZoneInfo(profile.timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _to_fsrs(state: CardState | None) -> fsrs.Card:
    # An explicit card_id: without one, fsrs.Card() sleeps 1 ms to make its time-based id unique. FSRS's maths
    # reads neither the id nor the due date (a review sets the due date), so a new card keeps fsrs's defaults.
    if state is None:
        return fsrs.Card(card_id=0)
    return fsrs.Card(
        card_id=0, state=fsrs.State(state.state), step=state.step, stability=state.stability, difficulty=state.difficulty,
        due=state.due, last_review=state.last_review,
    )


def _snapshot(state: CardState) -> dict:
    return {
        "state": state.state, "step": state.step, "stability": state.stability, "difficulty": state.difficulty,
        "due": state.due.isoformat(), "last_review": state.last_review.isoformat() if state.last_review else None,
        "reps": state.reps, "lapses": state.lapses,
    }


def _restore(state: CardState, snapshot: dict) -> None:
    for name in ("state", "step", "stability", "difficulty", "reps", "lapses"):
        setattr(state, name, snapshot[name])
    state.due = datetime.fromisoformat(snapshot["due"])
    state.last_review = datetime.fromisoformat(snapshot["last_review"]) if snapshot["last_review"] else None


@dataclass(frozen=True)
class QueueEntry:
    concept: Concept
    state: CardState | None

    @property
    def is_new(self) -> bool:
        return self.state is None


def new_cards_left_today(user, profile: LearnerProfile, now: datetime) -> int:
    introduced = ReviewLog.objects.of(user).active().filter(was_new=True, reviewed_at__gte=day_start(profile, now))
    return max(0, profile.new_cards_per_day - introduced.count())


def _related_slugs(lookup: str) -> Prefetch:
    """Related cards as slugs only: a card shows links to them, not their texts."""
    return Prefetch(lookup, queryset=Concept.objects.only("id", "slug"))


def _other_language(lang: str | None, prefix: str = "") -> list[str]:
    """Fields a reader in `lang` never sees (the other language's texts, search aliases): not loaded."""
    if lang not in languages.LANGUAGES:
        return []
    other = "en" if lang == "ko" else "ko"
    names = [f.name for f in Concept._meta.concrete_fields if f.name.endswith(f"_{other}")]
    return [prefix + n for n in names + ["aliases_ko", "aliases_en"] if n != f"title_{other}"]


def due_queue(user, *, now: datetime, topic: str | None = None, limit: int = 20,
              lang: str | None = None) -> list[QueueEntry]:
    """Cards due now (oldest first), then new cards up to the learner's daily limit.

    Two queries for the cards whatever the number of users, cards or reviews; the
    due part uses the (user, due) index. With `lang`, the other language's texts are not loaded.
    """
    profile = profile_for(user)
    due = list(
        CardState.objects.of(user).due_by(now, topic=topic)
        .select_related("concept__topic")
        .defer(*_other_language(lang, "concept__"))
        .prefetch_related(_related_slugs("concept__related"))
        .order_by("due", "id")[:limit]
    )
    entries = [QueueEntry(s.concept, s) for s in due]
    room = min(limit - len(entries), new_cards_left_today(user, profile, now))
    if room > 0:
        new = (
            Concept.objects.published().of_topic(topic)
            .exclude(pk__in=CardState.objects.of(user).values("concept_id"))
            .select_related("topic")
            .defer(*_other_language(lang))
            .prefetch_related(_related_slugs("related"))
            .order_by("topic__order", "order", "id")[:room]
        )
        entries += [QueueEntry(c, None) for c in new]
    return entries


def queue_counts(user, *, now: datetime, topic: str | None = None) -> dict[str, int]:
    profile = profile_for(user)
    due = CardState.objects.of(user).due_by(now, topic=topic).count()
    unseen = Concept.objects.published().of_topic(topic).exclude(
        pk__in=CardState.objects.of(user).values("concept_id")).count()
    return {"due": due, "new": min(unseen, new_cards_left_today(user, profile, now))}


def outcomes(scheduler: fsrs.Scheduler, card: fsrs.Card, now: datetime) -> dict[int, tuple[fsrs.Card, fsrs.ReviewLog]]:
    """What each rating would do to the card, with the day intervals ordered as Anki orders them.

    FSRS alone can give Hard and Good (or Good and Easy) the same number of days on short
    intervals. Anki, with the same FSRS parameters, then requires Good >= Hard + 1 day and
    Easy >= Good + 1 day, counting only ratings that schedule in days (a rating that keeps the
    card in (re)learning, minutes away, sets no floor). The memory state (stability,
    difficulty) is FSRS's either way; only the due date moves.
    """
    results = {value: scheduler.review_card(card, fsrs.Rating(value), now) for value in RATINGS}
    floor = None  # whole days the previous passing rating schedules, if it schedules in days
    for value in (2, 3, 4):
        new_card, log = results[value]
        if new_card.state != fsrs.State.Review:
            floor = None
            continue
        days = round((new_card.due - now) / timedelta(days=1))
        if floor is not None and days < floor + 1:
            days = floor + 1
            new_card.due = now + timedelta(days=days)
        floor = days
    return results


def preview(user, concept: Concept, *, now: datetime, state: CardState | None = ...,
            scheduler: fsrs.Scheduler | None = None) -> dict[str, datetime]:
    """The due date each rating would give, without saving anything (Anki's button labels)."""
    if state is ...:
        state = CardState.objects.of(user).filter(concept=concept).first()
    scheduler = scheduler or scheduler_for(profile_for(user))
    results = outcomes(scheduler, _to_fsrs(state), now)
    return {name: results[value][0].due for value, name in RATINGS.items()}


def review_card(*, user, concept: Concept, rating: int, now: datetime, duration_ms: int | None = None,
                idempotency_key: str | None = None, source: str = ReviewSource.FLASHCARD,
                only_if_due: bool = False) -> tuple[ReviewLog | None, bool]:
    """Record one review and reschedule the card; returns (log, created).

    A repeated call with the same idempotency key returns the first review and changes nothing. The card
    row is locked for the duration, so two concurrent reviews of one card are applied one after the other;
    for a card never reviewed, the row is first created (INSERT ... ON CONFLICT DO NOTHING) so that there is
    one to lock: two concurrent first reviews make one CardState and two log entries, the second applied to
    the first's result. `only_if_due=True` (quiz answers) reviews nothing, returning (None, False), when the
    card, once locked, turns out not to be due. Without a key, no savepoint: an error leaves this function
    and rolls back the enclosing transaction (a quiz answer's, say) as a whole.
    """
    if rating not in RATINGS:
        raise ValueError("rating must be 1 (again), 2 (hard), 3 (good) or 4 (easy)")
    if idempotency_key:
        existing = ReviewLog.objects.of(user).filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing, False
    try:
        with transaction.atomic(savepoint=bool(idempotency_key)):  # only the key's conflict is caught, below
            state = _locked_state(user, concept, now)
            if idempotency_key:  # a concurrent request with the same key may have committed while we waited
                existing = ReviewLog.objects.of(user).filter(idempotency_key=idempotency_key).first()
                if existing:
                    transaction.set_rollback(True)  # leave no blank row behind
                    return existing, False
            is_new = state.reps == 0  # the row was made just now, by this review or a concurrent one
            if only_if_due and not is_new and state.due > now:
                return None, False
            before = None if is_new else _snapshot(state)
            scheduler = scheduler_for(profile_for(user))
            old_state = None if is_new else state.state
            card, _ = outcomes(scheduler, _to_fsrs(None if is_new else state), now)[rating]
            state.state, state.step = card.state.value, card.step
            state.stability, state.difficulty = card.stability, card.difficulty
            state.due, state.last_review = card.due, card.last_review
            state.reps += 1
            if rating == 1 and old_state == CardState.State.REVIEW:
                state.lapses += 1
            _save_state.run(CardState.objects.db, pk=state.pk,
                            values={name: getattr(state, name) for name in _STATE_FIELDS})
            log = _insert_log.create(
                ReviewLog.objects.db, user=user, concept=concept, rating=rating, reviewed_at=now,
                duration_ms=duration_ms, source=source, was_new=is_new, state_before=before, due_after=card.due,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        # A concurrent request with the same idempotency key won the race.
        if idempotency_key:
            existing = ReviewLog.objects.of(user).filter(idempotency_key=idempotency_key).first()
            if existing:
                return existing, False
        raise
    return log, True


_locked_state_query = CompiledQuery(  # compiled once, on its first call (in a transaction, as FOR UPDATE needs)
    lambda user, concept: CardState.objects.select_for_update().filter(user_id=user, concept_id=concept)
    .order_by("pk")[:1],
    user=2_000_000_011, concept=2_000_000_012,
)


#: the review's log row and a card's first (blank) state row, inserted with SQL compiled once
_insert_log = CompiledInsert(ReviewLog)
_insert_blank_state = CompiledInsert(CardState, ignore_conflicts=True)

_STATE_FIELDS = ["state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses"]
#: `state.save()` of a locked row (what a review changes), compiled once
_save_state = CompiledUpdate(lambda pk: CardState.objects.filter(pk=pk), _STATE_FIELDS, pk=2_000_000_013)


def _locked_state(user, concept: Concept, now: datetime) -> CardState:
    """The learner's state row for this card, locked until the transaction ends (made first if missing).

    A missing row cannot be locked, and two transactions that both find none would
    both insert one. So insert a blank row (reps=0), ignoring a conflict: the
    second inserter waits for the first to commit, then inserts nothing, and
    both then lock the one row, in turn.
    """
    db = CardState.objects.db
    state = _locked_state_query.first(db, user=user.pk, concept=concept.pk)
    if state is None:
        _insert_blank_state.create(db, user=user, concept=concept, due=now)
        state = _locked_state_query.first(db, user=user.pk, concept=concept.pk)
        if state is None:  # a concurrent undo deleted the row in between: fail as `.get()` would
            raise CardState.DoesNotExist(f"no card state for user {user.pk} and concept {concept.pk}")
    return state


def undo_last_review(*, user, now: datetime) -> ReviewLog | None:
    """Undo the learner's most recent flashcard review: restore the card and mark the log entry undone.

    "Most recent" is the order in which reviews were applied, which is the log's id:
    a review inserts its log row while it holds the card's row lock. Its
    `reviewed_at` is not that order: the time is taken before the lock is waited
    for, so of two concurrent reviews the one applied second may carry the earlier time.
    """
    with transaction.atomic():
        last = (
            ReviewLog.objects.select_for_update()
            .filter(user=user, undone_at__isnull=True, source=ReviewSource.FLASHCARD)
            .order_by("-id")
            .first()
        )
        if last is None:
            return None
        return undo_review(user=user, log=last, now=now, only_latest=False)


class UndoRefused(Exception):
    """The review is not the card's latest (a later review was built on it), so it cannot be undone."""


def undo_review(*, user, log: ReviewLog, now: datetime, only_latest: bool = True) -> ReviewLog:
    """Undo one review (a mock interview's, say): restore the card's state before it, mark it undone.

    With `only_latest` (the default) only the card's latest live review can be undone,
    since restoring an older one would erase the reviews made since (raises UndoRefused).
    The flashcard undo passes False: it has always restored its own last review.
    """
    with transaction.atomic():
        log = ReviewLog.objects.select_for_update().get(pk=log.pk, user=user)
        if log.undone_at is not None:
            return log
        later = ReviewLog.objects.of(user).filter(concept_id=log.concept_id, undone_at__isnull=True).filter(
            Q(reviewed_at__gt=log.reviewed_at) | Q(reviewed_at=log.reviewed_at, id__gt=log.pk))
        if only_latest and later.exists():
            raise UndoRefused("a later review of this card was made after it")
        state = CardState.objects.select_for_update().filter(user=user, concept_id=log.concept_id).first()
        if log.state_before is None:
            if state is not None:
                state.delete()
        elif state is not None:
            _restore(state, log.state_before)
            state.save()
        log.undone_at = now
        log.save(update_fields=["undone_at"])
    return log


def retrievability(user, states: list[CardState], *, now: datetime) -> dict[int, float]:
    """FSRS's probability of recall now, per card state id."""
    scheduler = scheduler_for(profile_for(user))
    return {s.pk: scheduler.get_card_retrievability(_to_fsrs(s), now) for s in states}


def interval_from(now: datetime, due: datetime) -> timedelta:
    return due - now
