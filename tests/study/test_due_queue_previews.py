"""The due queue computes the four interval previews once per memory state (`due_queue_reads.memory_key`)
and compiles its queries at a worker's warm-up: both give exactly what the plain path gives."""

import itertools
import random
from datetime import datetime, timedelta, timezone

import pytest

from study import due_queue_reads, scheduling
from study.models import CardState
from tests.study.test_scheduling_core import deck  # noqa: F401  (the fixture)

NOW = datetime(2025, 3, 10, 9, 30, 15, 123456, tzinfo=timezone.utc)


def _states() -> list[CardState]:
    """Card states as reviews leave them, with last reviews at many times of day (same and other day counts)."""
    scheduler = scheduling.scheduler_for(scheduling.LearnerProfile(desired_retention=0.9))
    rng = random.Random(7)
    out = []
    for ratings in itertools.product((1, 2, 3, 4), repeat=3):
        card, when = scheduling._to_fsrs(None), NOW - timedelta(days=40)
        for rating in ratings:
            card, _ = scheduler.review_card(card, scheduling.fsrs.Rating(rating), when)
            when = card.due
        for offset in (timedelta(0), timedelta(hours=1), timedelta(hours=23, minutes=59), timedelta(days=1),
                       timedelta(days=3, hours=rng.randint(0, 23)), timedelta(minutes=rng.randint(1, 600))):
            out.append(CardState(state=card.state.value, step=card.step, stability=card.stability,
                                 difficulty=card.difficulty, due=card.due, last_review=NOW - offset))
    out.append(CardState(state=CardState.State.LEARNING, step=None, stability=None, difficulty=None, due=NOW,
                         last_review=None))  # a blank row (study_missed): never reviewed
    return out


@pytest.mark.parametrize("retention", [0.7, 0.9, 0.97])
def test_cards_with_equal_memory_keys_get_equal_previews(retention):
    scheduler = scheduling.scheduler_for(scheduling.LearnerProfile(desired_retention=retention))
    seen: dict = {}
    shared = 0
    for state in _states() + [None]:
        previews = scheduling.preview(None, None, now=NOW, state=state, scheduler=scheduler)
        key = due_queue_reads.memory_key(state, NOW)
        if key in seen:
            shared += 1
            assert seen[key] == previews, key
        seen[key] = previews
    assert shared > 50  # the check compared something


def test_memory_key_tells_apart_what_fsrs_reads():
    base = CardState(state=2, step=None, stability=5.0, difficulty=6.0, due=NOW, last_review=NOW - timedelta(days=2))
    key = due_queue_reads.memory_key(base, NOW)
    for change in ({"state": 3}, {"step": 0}, {"stability": 5.000001}, {"difficulty": 6.1},
                   {"last_review": NOW - timedelta(days=3)}, {"last_review": None}):
        other = CardState(**{f: getattr(base, f) for f in ("state", "step", "stability", "difficulty", "due",
                                                          "last_review")} | change)
        assert due_queue_reads.memory_key(other, NOW) != key, change
    assert due_queue_reads.memory_key(None, NOW) is None


@pytest.mark.django_db
def test_the_queue_after_warm_up_is_the_queue_without_it(alice, deck):
    for i, card in enumerate(deck.values()):  # two alike (same rating, same day), two not
        scheduling.review_card(user=alice, concept=card, rating=(1, 1, 3, 4, 1)[i],
                               now=NOW - timedelta(days=20, hours=i))
    due_queue_reads._compiled.clear()
    plain = due_queue_reads.due_queue_data(alice, now=NOW, topic=None, limit=20, lang="en")
    due_queue_reads._compiled.clear()
    due_queue_reads.warm_up()
    assert {key[:3] for key in due_queue_reads._compiled} == {("due", 20, False), ("counts", 0, False),
                                                              ("new", 20, False)}
    assert due_queue_reads.due_queue_data(alice, now=NOW, topic=None, limit=20, lang="en") == plain
    states = {s.concept.slug: s for s in CardState.objects.filter(user=alice).select_related("concept")}
    scheduler = scheduling.scheduler_for(scheduling.profile_for(alice))
    assert len(plain["cards"]) == 4 and len(states) == 5  # the draft is never in the queue
    for card in plain["cards"]:  # each card's own previews, computed one by one
        previews = scheduling.preview(alice, None, now=NOW, state=states[card["concept"]["slug"]], scheduler=scheduler)
        assert card["next_due"] == {name: due.isoformat().replace("+00:00", "Z") for name, due in previews.items()}
    keys = [due_queue_reads.memory_key(states[c["concept"]["slug"]], NOW) for c in plain["cards"]]
    assert len(set(keys)) == 3  # two cards shared their previews
