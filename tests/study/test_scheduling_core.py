"""The scheduler's behaviour, pinned: what each rating does to a card, undo, the due queue and the learner's day.

Expected values come from the `fsrs` package's own Scheduler replaying the same
reviews (fuzz off, as the site runs it), from FSRS-6's published defaults, or from
dates worked out by hand; never from the function under test.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import fsrs
import pytest
from django.db import IntegrityError, connection, connections

from study import scheduling
from concepts.models import Concept, Status, Topic
from study.models import CardState, LearnerProfile, ReviewLog, ReviewSource

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)  # 12:00 on 2 March in Seoul
DAY = timedelta(days=1)
SEOUL = ZoneInfo("Asia/Seoul")


def _topic(slug, order):
    return Topic.objects.create(slug=slug, order=order, title_ko=f"{slug} 주제", title_en=f"{slug} topic",
                                description_ko="설명", description_en="about")


def _concept(topic, slug, order=0, status=Status.PUBLISHED):
    return Concept.objects.create(
        topic=topic, slug=slug, order=order, status=status, title_ko=f"{slug} 제목", title_en=f"{slug} title",
        front_ko="앞면", front_en="front", answer_ko="답", answer_en="answer", explanation_ko="설명",
        explanation_en="explanation", key_points_ko=["요점"], key_points_en=["point"], pitfalls_ko=["함정"],
        pitfalls_en=["pitfall"], follow_ups_ko=["후속"], follow_ups_en=["follow-up"], aliases_ko=["별칭"],
        aliases_en=["alias"],
    )


@pytest.fixture
def deck():
    """Two topics (b is shown first: lower order), published cards in each, and a draft."""
    a, b = _topic("a", 2), _topic("b", 1)
    return {
        "a1": _concept(a, "a1", order=1), "a0": _concept(a, "a0", order=0),
        "b2": _concept(b, "b2", order=2), "b1": _concept(b, "b1", order=1),
        "draft": _concept(b, "b-draft", order=0, status=Status.DRAFT),
    }


def _settings(user, **fields):
    profile = scheduling.profile_for(user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def _review(user, concept, rating, now, **kwargs):
    log, created = scheduling.review_card(user=user, concept=concept, rating=rating, now=now, **kwargs)
    return log


def _state(user, concept):
    return CardState.objects.get(user=user, concept=concept)


def _fields(state):
    return (state.state, state.step, state.stability, state.difficulty, state.due, state.last_review, state.reps,
            state.lapses)


def _replay(ratings, retention=0.9):
    """FSRS's own cards after each rating, each review made when the card falls due."""
    scheduler = fsrs.Scheduler(desired_retention=retention, enable_fuzzing=False)
    card, now, cards = fsrs.Card(card_id=1, due=NOW), NOW, []
    for rating in ratings:
        card, _ = scheduler.review_card(card, fsrs.Rating(rating), now)
        cards.append((now, card))
        now = card.due
    return cards


def _days(previews, now):
    return {name: (due - now) / DAY for name, due in previews.items()}


# --- the learner's profile, scheduler and day ---------------------------------------------------


def test_a_learner_gets_one_profile_with_the_defaults(alice):
    first = scheduling.profile_for(alice)
    again = scheduling.profile_for(alice)
    assert first.pk == again.pk and LearnerProfile.objects.filter(user=alice).count() == 1
    assert (first.desired_retention, first.timezone, first.new_cards_per_day) == (0.9, "Asia/Seoul", 20)


def test_the_scheduler_uses_the_learners_retention_without_fuzz(alice):
    scheduler = scheduling.scheduler_for(_settings(alice, desired_retention=0.8))
    assert (scheduler.desired_retention, scheduler.enable_fuzzing) == (0.8, False)


def test_the_day_starts_at_the_learners_local_midnight(alice):
    profile = _settings(alice, timezone="Asia/Seoul")
    late = datetime(2026, 3, 2, 14, 30, 45, 123456, tzinfo=timezone.utc)  # 23:30:45 KST on 2 March
    start = scheduling.day_start(profile, late)
    assert start == datetime(2026, 3, 2, 0, 0, tzinfo=SEOUL) == datetime(2026, 3, 1, 15, 0, tzinfo=timezone.utc)
    assert start.utcoffset() == timedelta(hours=9)
    profile.timezone = "America/New_York"
    assert scheduling.day_start(profile, late) == datetime(2026, 3, 2, 5, 0, tzinfo=timezone.utc)  # 00:00 EST


def test_interval_from_is_the_time_until_the_due_date():
    assert scheduling.interval_from(NOW, NOW + timedelta(days=3, minutes=5)) == timedelta(days=3, minutes=5)
    assert scheduling.interval_from(NOW, NOW - timedelta(hours=2)) == -timedelta(hours=2)


# --- what each rating does ----------------------------------------------------------------------


def test_a_new_cards_buttons_preview_fsrs_learning_steps_and_easy_in_days(alice, deck):
    previews = scheduling.preview(alice, deck["a0"], now=NOW)
    # FSRS-6 defaults: steps of 1 and 10 minutes; Hard on the first step waits 1.5 x 1 + 10 / 2 = 5.5 minutes;
    # Easy graduates at once with the initial stability w[3] = 8.2956, i.e. 8 days at 90% retention.
    assert previews == {"again": NOW + timedelta(minutes=1), "hard": NOW + timedelta(minutes=5, seconds=30),
                        "good": NOW + timedelta(minutes=10), "easy": NOW + 8 * DAY}
    assert not CardState.objects.exists() and not ReviewLog.objects.exists()  # a preview saves nothing


@pytest.mark.parametrize("rating, state, step, wait", [
    (1, CardState.State.LEARNING, 0, timedelta(minutes=1)),
    (2, CardState.State.LEARNING, 0, timedelta(minutes=5, seconds=30)),
    (3, CardState.State.LEARNING, 1, timedelta(minutes=10)),
    (4, CardState.State.REVIEW, None, 8 * DAY),
])
def test_a_first_review_sets_the_fsrs_state_of_its_rating(alice, deck, rating, state, step, wait):
    log = _review(alice, deck["a0"], rating, NOW, duration_ms=4200)
    (_, expected), = _replay([rating])
    card = _state(alice, deck["a0"])
    assert (card.state, card.step, card.due, card.last_review, card.reps, card.lapses) == (state, step, NOW + wait,
                                                                                          NOW, 1, 0)
    assert (card.stability, card.difficulty) == (expected.stability, expected.difficulty)
    assert (log.rating, log.reviewed_at, log.due_after, log.duration_ms, log.source, log.was_new, log.state_before,
            log.idempotency_key, log.undone_at) == (rating, NOW, NOW + wait, 4200, "flashcard", True, None, None, None)
    assert (log.user, log.concept) == (alice, deck["a0"])


def test_a_run_of_reviews_keeps_exactly_the_state_fsrs_computes(alice, deck):
    # Hard, Good, Good, Easy, Again (a lapse), Good, Easy, Hard, Again (a lapse), Again while relearning, Good;
    # none of the ratings chosen here is one the Anki ordering moves.
    ratings = (2, 3, 3, 4, 1, 3, 4, 2, 1, 1, 3)
    lapses = 0
    for reps, (rating, (now, expected)) in enumerate(zip(ratings, _replay(ratings)), start=1):
        before = _state(alice, deck["a0"]).state if reps > 1 else None
        log = _review(alice, deck["a0"], rating, now)
        lapses += rating == 1 and before == CardState.State.REVIEW
        card = _state(alice, deck["a0"])
        assert _fields(card) == (expected.state.value, expected.step, expected.stability, expected.difficulty,
                                 expected.due, expected.last_review, reps, lapses), f"review {reps}"
        assert log.due_after == expected.due and log.was_new == (reps == 1)
    assert lapses == 2 and card.state == CardState.State.REVIEW


def test_a_learner_at_lower_retention_gets_the_longer_intervals_fsrs_gives_for_it(alice, deck):
    _settings(alice, desired_retention=0.8)
    (t1, easy), (t2, good) = _replay([4, 3], retention=0.8)
    assert easy.due - t1 == 28 * DAY  # 8 days at 90%
    assert _review(alice, deck["a0"], 4, t1).due_after == easy.due
    assert scheduling.preview(alice, deck["a0"], now=t2)["good"] == good.due
    assert _review(alice, deck["a0"], 3, t2).due_after == good.due
    assert _fields(_state(alice, deck["a0"]))[:4] == (good.state.value, good.step, good.stability, good.difficulty)


def test_a_preview_uses_the_scheduler_it_is_given(alice, deck):
    scheduler = fsrs.Scheduler(desired_retention=0.7, enable_fuzzing=False)
    expected, _ = scheduler.review_card(fsrs.Card(card_id=1, due=NOW), fsrs.Rating.Easy, NOW)
    assert expected.due - NOW > 8 * DAY
    assert scheduling.preview(alice, deck["a0"], now=NOW, scheduler=scheduler)["easy"] == expected.due


def test_a_preview_reads_this_learners_card_unless_given_one(alice, bob, deck):
    now = (_review(bob, deck["a0"], 4, NOW)).due_after  # bob's card is in review; alice's is new
    _review(alice, deck["a1"], 4, NOW)  # alice has another card, in review
    new_card = {"again": now + timedelta(minutes=1), "hard": now + timedelta(minutes=5, seconds=30),
                "good": now + timedelta(minutes=10), "easy": now + 8 * DAY}
    assert scheduling.preview(alice, deck["a0"], now=now) == new_card
    assert scheduling.preview(bob, deck["a0"], now=now, state=None) == new_card
    bobs = scheduling.preview(bob, deck["a0"], now=now)
    assert bobs["again"] == now + timedelta(minutes=10)  # relearning step: bob's own state was read
    assert scheduling.preview(alice, deck["a0"], now=now, state=_state(bob, deck["a0"])) == bobs


def test_hard_and_good_on_the_same_day_count_move_good_a_day_later(alice, deck):
    ratings = (3, 3, 1, 3)
    for now, _ in _replay(ratings):
        _review(alice, deck["a0"], (3, 3, 1, 3)[len(ReviewLog.objects.all())], now)
    now = _state(alice, deck["a0"]).due
    raw = fsrs.Scheduler(enable_fuzzing=False)
    (_, last), = _replay(ratings)[-1:]
    raw_days = [(raw.review_card(last, fsrs.Rating(r), now)[0].due - now) / DAY for r in (2, 3, 4)]
    assert raw_days == [2, 2, 4]  # FSRS alone: Hard and Good both in 2 days
    assert _days(scheduling.preview(alice, deck["a0"], now=now), now) == {"again": 10 / 1440, "hard": 2, "good": 3,
                                                                         "easy": 4}
    log = _review(alice, deck["a0"], 3, now)
    assert log.due_after == _state(alice, deck["a0"]).due == now + 3 * DAY
    # the memory state is FSRS's all the same
    good, _ = raw.review_card(last, fsrs.Rating.Good, now)
    assert (_state(alice, deck["a0"]).stability, _state(alice, deck["a0"]).difficulty) == (good.stability,
                                                                                         good.difficulty)


@pytest.mark.parametrize("history, hard", [
    ((1, 3), timedelta(minutes=10)),  # learning, last step: Hard repeats it
    ((3, 3, 1), timedelta(minutes=15)),  # relearning: Hard waits 1.5 x 10 minutes
])
def test_easy_moves_past_good_when_hard_keeps_the_card_in_minutes(alice, deck, history, hard):
    for i, (now, _) in enumerate(_replay(history)):
        _review(alice, deck["a0"], history[i], now)
    now = _state(alice, deck["a0"]).due
    raw = fsrs.Scheduler(enable_fuzzing=False)
    last = _replay(history)[-1][1]
    assert [(raw.review_card(last, fsrs.Rating(r), now)[0].due - now) / DAY for r in (3, 4)] == [1, 1]
    previews = scheduling.preview(alice, deck["a0"], now=now)
    assert (previews["hard"] - now, previews["good"] - now, previews["easy"] - now) == (hard, DAY, 2 * DAY)
    assert _review(alice, deck["a0"], 4, now).due_after == now + 2 * DAY == _state(alice, deck["a0"]).due


def test_every_previewed_button_is_what_that_review_gives(alice, bob, deck, django_user_model):
    history = (3, 3, 1, 3)
    learners = [django_user_model.objects.create_user(f"l{r}") for r in (1, 2, 3, 4)]
    for learner in learners:
        for i, (now, _) in enumerate(_replay(history)):
            _review(learner, deck["b1"], history[i], now)
    now = _state(learners[0], deck["b1"]).due + timedelta(hours=5)  # a little late
    previews = scheduling.preview(learners[0], deck["b1"], now=now)
    for rating, learner in zip((1, 2, 3, 4), learners):
        assert _review(learner, deck["b1"], rating, now).due_after == previews[scheduling.RATINGS[rating]]


def test_retrievability_is_fsrs_probability_of_recall(alice, deck):
    _review(alice, deck["a0"], 4, NOW)
    _review(alice, deck["b1"], 3, NOW)
    states = [_state(alice, deck["a0"]), _state(alice, deck["b1"])]
    later = NOW + 8 * DAY
    recall = scheduling.retrievability(alice, states, now=later)
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    (_, easy), = _replay([4])
    (_, good), = _replay([3])
    assert recall == {states[0].pk: scheduler.get_card_retrievability(easy, later),
                      states[1].pk: scheduler.get_card_retrievability(good, later)}
    # FSRS-6: R(t) = (1 + f t / S) ** -w20 with f = 0.9 ** (-1 / w20) - 1; at t = 8 days, S = w[3] = 8.2956
    decay = 0.1542
    assert recall[states[0].pk] == pytest.approx((1 + (0.9 ** (-1 / decay) - 1) * 8 / 8.2956) ** -decay)
    assert 0.89 < recall[states[0].pk] < 0.91


# --- reviews: validation, lapses, idempotency, only-if-due ----------------------------------------


@pytest.mark.parametrize("rating", [0, 5, -1])
def test_a_rating_outside_1_to_4_is_refused_and_changes_nothing(alice, deck, rating):
    with pytest.raises(ValueError, match="rating must be 1"):
        scheduling.review_card(user=alice, concept=deck["a0"], rating=rating, now=NOW)
    assert not CardState.objects.exists() and not ReviewLog.objects.exists()


def test_only_again_on_a_review_card_counts_a_lapse(alice, deck):
    card = deck["a0"]
    _review(alice, card, 1, NOW)  # again on a new (learning) card: no lapse
    assert (_state(alice, card).reps, _state(alice, card).lapses) == (1, 0)
    now = _review(alice, card, 4, NOW + timedelta(minutes=1)).due_after  # straight to review
    now = _review(alice, card, 2, now).due_after  # hard on a review card: no lapse
    assert (_state(alice, card).state, _state(alice, card).lapses) == (CardState.State.REVIEW, 0)
    now = _review(alice, card, 1, now).due_after  # forgotten: a lapse, relearning
    assert (_state(alice, card).state, _state(alice, card).lapses) == (CardState.State.RELEARNING, 1)
    _review(alice, card, 1, now)  # again while relearning: no second lapse
    assert (_state(alice, card).reps, _state(alice, card).lapses) == (5, 1)


def test_the_second_review_logs_the_exact_state_before_it(alice, deck):
    _review(alice, deck["a0"], 4, NOW)
    (_, first), = _replay([4])
    log = _review(alice, deck["a0"], 2, NOW + 8 * DAY, duration_ms=900, source=ReviewSource.QUIZ)
    assert log.state_before == {
        "state": 2, "step": None, "stability": first.stability, "difficulty": first.difficulty,
        "due": "2026-03-10T03:00:00+00:00", "last_review": "2026-03-02T03:00:00+00:00", "reps": 1, "lapses": 0,
    }
    assert (log.was_new, log.source, log.duration_ms, log.reviewed_at) == (False, "quiz", 900, NOW + 8 * DAY)


def test_an_idempotency_key_is_per_learner_and_the_repeat_changes_nothing(alice, bob, deck):
    _review(alice, deck["b1"], 3, NOW - DAY)  # an earlier review without a key
    _review(bob, deck["b1"], 3, NOW - DAY)
    first, created = scheduling.review_card(user=alice, concept=deck["a0"], rating=4, now=NOW, idempotency_key="k")
    before = _fields(_state(alice, deck["a0"]))
    repeat, repeated = scheduling.review_card(user=alice, concept=deck["a1"], rating=1, now=NOW + DAY,
                                              idempotency_key="k")
    assert (created, repeated, repeat.pk, repeat.rating, repeat.concept_id) == (True, False, first.pk, 4,
                                                                               deck["a0"].pk)
    assert _fields(_state(alice, deck["a0"])) == before
    assert not CardState.objects.filter(concept=deck["a1"]).exists()
    bobs, bob_created = scheduling.review_card(user=bob, concept=deck["a0"], rating=3, now=NOW, idempotency_key="k")
    assert bob_created and bobs.pk != first.pk and (bobs.user, bobs.rating) == (bob, 3)
    assert ReviewLog.objects.filter(idempotency_key="k").count() == 2 and ReviewLog.objects.count() == 4


def test_a_review_without_a_key_is_recorded_every_time(alice, deck):
    _review(alice, deck["a0"], 3, NOW)
    _, created = scheduling.review_card(user=alice, concept=deck["a0"], rating=3, now=NOW + timedelta(minutes=10))
    assert created and ReviewLog.objects.filter(user=alice).count() == 2 and _state(alice, deck["a0"]).reps == 2


def test_only_if_due_skips_a_card_not_yet_due_and_reviews_one_due_now(alice, deck):
    card = deck["a0"]
    assert _review(alice, card, 3, NOW, only_if_due=True).was_new  # a new card is always reviewed
    due = _state(alice, card).due
    before = _fields(_state(alice, card))
    early = due - timedelta(microseconds=1)
    assert scheduling.review_card(user=alice, concept=card, rating=3, now=early, only_if_due=True) == (None, False)
    assert _fields(_state(alice, card)) == before and ReviewLog.objects.count() == 1
    log, created = scheduling.review_card(user=alice, concept=card, rating=3, now=due, only_if_due=True)
    assert created and log.reviewed_at == due and _state(alice, card).reps == 2
    # without only_if_due an early review is made
    assert _review(alice, card, 3, NOW + timedelta(minutes=11)).reviewed_at == NOW + timedelta(minutes=11)


def test_a_card_another_learner_reviewed_is_still_new_to_this_one(alice, bob, deck):
    _review(alice, deck["a1"], 3, NOW)
    _review(bob, deck["a0"], 4, NOW)
    bobs = _fields(_state(bob, deck["a0"]))
    log = _review(alice, deck["a0"], 1, NOW + DAY)
    assert (log.was_new, log.state_before) == (True, None)
    card = _state(alice, deck["a0"])
    assert (card.state, card.reps, card.due) == (CardState.State.LEARNING, 1, NOW + DAY + timedelta(minutes=1))
    assert _fields(_state(bob, deck["a0"])) == bobs


@pytest.mark.django_db(transaction=True)  # the foreign key is checked when the review's transaction commits
def test_a_review_of_a_card_deleted_meanwhile_fails_and_records_nothing(alice, deck):
    gone = deck["a0"]
    Concept.objects.filter(pk=gone.pk).delete()
    with pytest.raises(IntegrityError):
        scheduling.review_card(user=alice, concept=gone, rating=3, now=NOW, idempotency_key="k")
    assert not ReviewLog.objects.exists() and not CardState.objects.exists()


# --- undo -----------------------------------------------------------------------------------------


def test_undo_restores_every_field_of_the_card(alice, deck):
    card = deck["a0"]
    now = _review(alice, card, 4, NOW).due_after
    now = _review(alice, card, 1, now).due_after  # relearning, one lapse, step 0
    before = _fields(_state(alice, card))
    assert before[1] == 0 and before[7] == 1
    last = _review(alice, card, 3, now)
    assert _fields(_state(alice, card)) != before
    undone = scheduling.undo_last_review(user=alice, now=now + timedelta(seconds=5))
    assert undone.pk == last.pk and undone.undone_at == now + timedelta(seconds=5)
    assert _fields(_state(alice, card)) == before
    last.refresh_from_db()
    assert last.undone_at == now + timedelta(seconds=5)
    assert ReviewLog.objects.filter(undone_at__isnull=True).count() == 2


def test_undo_walks_back_through_flashcard_reviews_only(alice, deck):
    a, b = deck["a0"], deck["b1"]
    first = _review(alice, a, 3, NOW)
    second = _review(alice, b, 3, NOW + timedelta(seconds=1))
    quiz = _review(alice, a, 3, NOW + timedelta(minutes=10), source=ReviewSource.QUIZ)
    interview = _review(alice, b, 4, NOW + timedelta(minutes=11), source=ReviewSource.INTERVIEW)
    assert scheduling.undo_last_review(user=alice, now=NOW + DAY).pk == second.pk
    assert scheduling.undo_last_review(user=alice, now=NOW + DAY).pk == first.pk
    assert scheduling.undo_last_review(user=alice, now=NOW + DAY) is None
    live = set(ReviewLog.objects.filter(undone_at__isnull=True).values_list("pk", flat=True))
    assert live == {quiz.pk, interview.pk}
    # the flashcard undo restored the states before the flashcard reviews: both cards are new again
    assert not CardState.objects.filter(user=alice).exists()


def test_undoing_a_first_review_frees_its_place_in_the_days_new_cards(alice, deck):
    profile = _settings(alice, new_cards_per_day=2)
    _review(alice, deck["a0"], 3, NOW)
    assert scheduling.new_cards_left_today(alice, profile, NOW) == 1
    scheduling.undo_last_review(user=alice, now=NOW)
    assert scheduling.new_cards_left_today(alice, profile, NOW) == 2
    assert not CardState.objects.filter(user=alice, concept=deck["a0"]).exists()


def test_a_review_another_review_was_built_on_cannot_be_undone(alice, deck):
    card = deck["a0"]
    first = _review(alice, card, 3, NOW)
    second = _review(alice, card, 3, NOW + timedelta(minutes=10), source=ReviewSource.INTERVIEW)
    with pytest.raises(scheduling.UndoRefused):
        scheduling.undo_review(user=alice, log=first, now=NOW + DAY)
    first.refresh_from_db()
    assert first.undone_at is None and _state(alice, card).reps == 2
    scheduling.undo_review(user=alice, log=second, now=NOW + DAY)  # the latest can be; then the first can too
    assert _state(alice, card).reps == 1
    scheduling.undo_review(user=alice, log=first, now=NOW + DAY)
    assert not CardState.objects.filter(user=alice).exists()


def test_a_review_at_the_same_moment_but_applied_later_blocks_undo_of_the_earlier(alice, deck):
    card = deck["a0"]
    first = _review(alice, card, 3, NOW)
    second = _review(alice, card, 3, NOW)  # same time, applied after
    with pytest.raises(scheduling.UndoRefused):
        scheduling.undo_review(user=alice, log=first, now=NOW + DAY)
    assert scheduling.undo_review(user=alice, log=second, now=NOW + DAY).undone_at == NOW + DAY


def test_reviews_of_other_cards_or_learners_or_undone_ones_do_not_block_undo(alice, bob, deck):
    card = deck["a0"]
    _review(bob, card, 4, NOW - DAY)  # bob's card and alice's other card were made before this one
    _review(alice, deck["a1"], 4, NOW - DAY)
    target = _review(alice, card, 4, NOW)
    _review(alice, deck["a1"], 3, NOW + DAY)  # another card
    _review(bob, card, 3, NOW + DAY)  # another learner
    undone_later = _review(alice, card, 3, NOW + 8 * DAY)
    scheduling.undo_review(user=alice, log=undone_later, now=NOW + 8 * DAY)
    # a review applied later but dated earlier is not "later"
    scheduling.undo_review(user=alice, log=target, now=NOW + 9 * DAY)
    assert not CardState.objects.filter(user=alice, concept=card).exists()
    assert (_state(bob, card).reps, _state(alice, deck["a1"]).reps) == (2, 2)


def test_an_earlier_dated_review_applied_later_does_not_block_undo(alice, deck):
    card = deck["a0"]
    applied_first = _review(alice, card, 3, NOW + timedelta(seconds=5))
    _review(alice, card, 3, NOW)  # applied second, dated earlier
    undone = scheduling.undo_review(user=alice, log=applied_first, now=NOW + DAY)
    assert undone.undone_at == NOW + DAY


def test_undoing_twice_changes_nothing_the_second_time(alice, deck):
    card = deck["a0"]
    _review(alice, card, 4, NOW)
    second = _review(alice, card, 3, NOW + 8 * DAY)
    scheduling.undo_review(user=alice, log=second, now=NOW + 8 * DAY)
    state = _fields(_state(alice, card))
    again = scheduling.undo_review(user=alice, log=second, now=NOW + 9 * DAY)
    assert again.undone_at == NOW + 8 * DAY
    second.refresh_from_db()
    assert second.undone_at == NOW + 8 * DAY and _fields(_state(alice, card)) == state


def test_a_learner_cannot_undo_another_learners_review(alice, bob, deck):
    bobs = _review(bob, deck["a0"], 3, NOW)
    with pytest.raises(ReviewLog.DoesNotExist):
        scheduling.undo_review(user=alice, log=bobs, now=NOW)
    bobs.refresh_from_db()
    assert bobs.undone_at is None and _state(bob, deck["a0"]).reps == 1


def test_undo_of_a_review_whose_card_state_is_gone_still_marks_it_undone(alice, deck):
    log = _review(alice, deck["a0"], 4, NOW)
    second = _review(alice, deck["a0"], 3, NOW + 8 * DAY)
    CardState.objects.filter(user=alice).delete()  # e.g. the learner reset their progress
    assert scheduling.undo_review(user=alice, log=second, now=NOW + 9 * DAY).undone_at == NOW + 9 * DAY
    assert scheduling.undo_review(user=alice, log=log, now=NOW + 9 * DAY).undone_at == NOW + 9 * DAY
    assert not CardState.objects.exists()


# --- the due queue and the day's new cards ---------------------------------------------------------


def _slugs(queue):
    return [(e.concept.slug, e.is_new) for e in queue]


def test_new_cards_come_in_topic_then_card_order_and_drafts_never(alice, deck):
    assert _slugs(scheduling.due_queue(alice, now=NOW)) == [("b1", True), ("b2", True), ("a0", True), ("a1", True)]
    assert _slugs(scheduling.due_queue(alice, now=NOW, topic="a")) == [("a0", True), ("a1", True)]
    assert scheduling.queue_counts(alice, now=NOW) == {"due": 0, "new": 4}
    assert scheduling.queue_counts(alice, now=NOW, topic="b") == {"due": 0, "new": 2}


def test_cards_of_equal_order_are_queued_in_creation_order(alice):
    topic = _topic("t", 1)
    made = [_concept(topic, slug) for slug in ("zeta", "alpha", "mu")]  # same order, slugs not sorted
    assert [e.concept.pk for e in scheduling.due_queue(alice, now=NOW)] == [c.pk for c in made]


def test_due_cards_come_first_oldest_first_then_new_ones(alice, deck):
    _review(alice, deck["a1"], 1, NOW)  # due NOW + 1 min
    _review(alice, deck["b2"], 3, NOW - timedelta(minutes=5))  # due NOW + 5 min
    _review(alice, deck["a0"], 1, NOW + timedelta(seconds=30))  # due NOW + 1 min 30 s
    later = NOW + timedelta(minutes=5)
    assert _slugs(scheduling.due_queue(alice, now=later)) == [("a1", False), ("a0", False), ("b2", False),
                                                               ("b1", True)]
    assert scheduling.queue_counts(alice, now=later) == {"due": 3, "new": 1}
    # a card due a microsecond from now is not due yet
    just_before = NOW + timedelta(minutes=5) - timedelta(microseconds=1)
    assert _slugs(scheduling.due_queue(alice, now=just_before)) == [("a1", False), ("a0", False), ("b1", True)]
    assert scheduling.queue_counts(alice, now=just_before) == {"due": 2, "new": 1}
    assert [e.state.pk for e in scheduling.due_queue(alice, now=later)[:3]] == [
        _state(alice, deck[s]).pk for s in ("a1", "a0", "b2")]


def test_cards_due_at_the_same_moment_keep_the_order_they_were_first_reviewed(alice, deck):
    for slug in ("b2", "a0", "a1"):
        _review(alice, deck[slug], 1, NOW)
    assert _slugs(scheduling.due_queue(alice, now=NOW + DAY))[:3] == [("b2", False), ("a0", False), ("a1", False)]


def test_the_limit_caps_due_cards_then_new_cards(alice, deck):
    for slug in ("a0", "a1", "b2"):
        _review(alice, deck[slug], 1, NOW)
    later = NOW + DAY
    assert _slugs(scheduling.due_queue(alice, now=later, limit=2)) == [("a0", False), ("a1", False)]
    assert _slugs(scheduling.due_queue(alice, now=later, limit=3)) == [("a0", False), ("a1", False), ("b2", False)]
    assert _slugs(scheduling.due_queue(alice, now=later, limit=4)) == [("a0", False), ("a1", False), ("b2", False),
                                                                       ("b1", True)]
    assert _slugs(scheduling.due_queue(alice, now=NOW, limit=1)) == [("b1", True)]


def test_new_cards_stop_at_the_days_limit_and_the_counts_agree(alice, deck):
    profile = _settings(alice, new_cards_per_day=2)
    assert _slugs(scheduling.due_queue(alice, now=NOW)) == [("b1", True), ("b2", True)]
    _review(alice, deck["b1"], 4, NOW)
    assert scheduling.new_cards_left_today(alice, profile, NOW) == 1
    assert _slugs(scheduling.due_queue(alice, now=NOW)) == [("b2", True)]
    assert scheduling.queue_counts(alice, now=NOW) == {"due": 0, "new": 1}
    _review(alice, deck["b2"], 4, NOW)
    assert scheduling.due_queue(alice, now=NOW) == [] and scheduling.queue_counts(alice, now=NOW) == {"due": 0,
                                                                                                      "new": 0}
    _review(alice, deck["a0"], 4, NOW)  # a review beyond the limit (from search, say): never a negative count
    assert scheduling.new_cards_left_today(alice, profile, NOW) == 0


def test_only_first_reviews_today_by_this_learner_use_up_new_cards(alice, bob, deck):
    profile = _settings(alice, new_cards_per_day=3, timezone="Asia/Seoul")
    midnight = datetime(2026, 3, 1, 15, 0, tzinfo=timezone.utc)  # 00:00 on 2 March in Seoul
    _review(alice, deck["a0"], 1, midnight - timedelta(microseconds=1))  # yesterday
    _review(alice, deck["a0"], 3, midnight + timedelta(hours=1))  # not a new card any more
    _review(alice, deck["a1"], 3, midnight)  # today, at the stroke of midnight
    undone = _review(alice, deck["b1"], 3, midnight + timedelta(hours=2))
    scheduling.undo_review(user=alice, log=undone, now=midnight + timedelta(hours=2))
    for slug in ("a0", "a1", "b1", "b2"):
        _review(bob, deck[slug], 3, midnight + timedelta(hours=1))
    assert scheduling.new_cards_left_today(alice, profile, midnight + timedelta(hours=3)) == 2
    assert scheduling.new_cards_left_today(bob, scheduling.profile_for(bob), midnight + timedelta(hours=3)) == 16


def test_a_card_whose_concept_was_unpublished_leaves_the_queue(alice, deck):
    _review(alice, deck["a0"], 1, NOW)
    _review(alice, deck["b1"], 1, NOW)
    Concept.objects.filter(pk=deck["a0"].pk).update(status=Status.DRAFT)
    later = NOW + DAY
    assert _slugs(scheduling.due_queue(alice, now=later, topic="b")) == [("b1", False), ("b2", True)]
    assert _slugs(scheduling.due_queue(alice, now=later)) == [("b1", False), ("b2", True), ("a1", True)]
    assert scheduling.queue_counts(alice, now=later) == {"due": 1, "new": 2}
    assert scheduling.queue_counts(alice, now=later, topic="a") == {"due": 0, "new": 1}
    assert scheduling.queue_counts(alice, now=later, topic="b") == {"due": 1, "new": 1}
    assert _slugs(scheduling.due_queue(alice, now=later, topic="a")) == [("a1", True)]


def test_another_learners_cards_neither_queue_nor_hide_new_cards(alice, bob, deck):
    for slug in ("a0", "b1"):
        _review(bob, deck[slug], 1, NOW)
    assert _slugs(scheduling.due_queue(alice, now=NOW + DAY)) == [("b1", True), ("b2", True), ("a0", True),
                                                                  ("a1", True)]
    assert scheduling.queue_counts(alice, now=NOW + DAY) == {"due": 0, "new": 4}


OTHER_TEXTS = {"front", "answer", "explanation", "key_points", "pitfalls", "follow_ups"}


@pytest.mark.parametrize("lang, other", [("ko", "en"), ("en", "ko")])
def test_a_queue_for_one_language_leaves_the_others_texts_and_aliases_unloaded(alice, deck, lang, other):
    _review(alice, deck["a0"], 1, NOW)
    queue = scheduling.due_queue(alice, now=NOW + DAY, lang=lang)
    assert _slugs(queue)[:2] == [("a0", False), ("b1", True)]
    unloaded = {f"{name}_{other}" for name in OTHER_TEXTS} | {"aliases_ko", "aliases_en"}
    for entry in queue:
        assert entry.concept.get_deferred_fields() == unloaded  # the other title is kept (links show it)
        assert getattr(entry.concept, f"front_{lang}") in ("앞면", "front")


@pytest.mark.parametrize("lang", [None, "fr"])
def test_a_queue_without_a_known_language_loads_every_text(alice, deck, lang):
    _review(alice, deck["a0"], 1, NOW)
    queue = scheduling.due_queue(alice, now=NOW + DAY, lang=lang)
    assert _slugs(queue)[:2] == [("a0", False), ("b1", True)]
    assert all(entry.concept.get_deferred_fields() == set() for entry in queue)


def test_the_queue_loads_related_cards_as_slugs_in_a_fixed_number_of_queries(alice, deck,
                                                                             django_assert_num_queries):
    deck["a0"].related.set([deck["b1"], deck["b2"]])
    deck["b1"].related.set([deck["a1"]])
    _review(alice, deck["a0"], 1, NOW)
    scheduling.profile_for(alice)
    # profile, due cards, their related cards, the day's new-card count, new cards, their related cards
    with django_assert_num_queries(6):
        queue = scheduling.due_queue(alice, now=NOW + DAY, lang="en")
        related = {e.concept.slug: sorted(r.slug for r in e.concept.related.all()) for e in queue}
        topics = {e.concept.topic.slug for e in queue}
    assert related == {"a0": ["b1", "b2"], "b1": ["a1"], "b2": [], "a1": []}
    assert topics == {"a", "b"}
    linked = queue[0].concept.related.all()[0]
    assert linked.get_deferred_fields() >= {"title_en", "front_en", "answer_en"}


# --- two requests with the same idempotency key at once ------------------------------------------


def _held_back_together(*calls):
    """Run each call in its own thread (its own connection) while SQLite's write lock is held elsewhere;
    release the lock once every call has checked its key and is waiting to begin its transaction."""
    waiting = [threading.Event() for _ in calls]
    results = [None] * len(calls)

    def request(i):
        def note_begin(execute, sql, params, many, context):
            if sql.startswith("BEGIN"):
                waiting[i].set()
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(note_begin):
                results[i] = calls[i]()
        finally:
            connections.close_all()

    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, timeout=60)
    holder.execute("BEGIN IMMEDIATE")
    threads = [threading.Thread(target=request, args=(i,)) for i in range(len(calls))]
    try:
        for thread in threads:
            thread.start()
        assert all(event.wait(timeout=60) for event in waiting)
    finally:
        holder.execute("COMMIT")
        holder.close()
        for thread in threads:
            thread.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="holds SQLite's write lock to line the requests up")
def test_a_repeated_key_that_commits_while_the_other_request_waits_records_one_review(alice, deck):
    """Both requests check the key before either writes, then write in turn: the second finds the
    first's review once it has the lock, returns it, and leaves no blank card row behind."""
    results = _held_back_together(*(
        lambda card=card: scheduling.review_card(user=alice, concept=card, rating=3, now=NOW, idempotency_key="tap")
        for card in (deck["a0"], deck["a1"])))  # different cards: only the key can tell them apart
    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    winner = results[0][0]
    assert ReviewLog.objects.filter(user=alice).count() == 1
    assert list(CardState.objects.filter(user=alice).values_list("concept_id", "reps")) == [(winner.concept_id, 1)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="holds SQLite's write lock to line the requests up")
def test_a_repeated_quiz_answer_gets_the_first_review_back_although_the_card_is_no_longer_due(alice, deck):
    """only_if_due (quiz answers): the repeat finds the card not due any more, yet it is the same answer
    sent twice, so it gets the review the first made, not "nothing reviewed"."""
    due = _review(alice, deck["a0"], 1, NOW).due_after
    results = _held_back_together(*(
        lambda: scheduling.review_card(user=alice, concept=deck["a0"], rating=3, now=due, idempotency_key="q-1",
                                       source=ReviewSource.QUIZ, only_if_due=True)
        for _ in range(2)))
    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0] is not None and results[0][0].pk == results[1][0].pk
    assert ReviewLog.objects.filter(user=alice).count() == 2 and _state(alice, deck["a0"]).reps == 2


def test_the_queue_holds_twenty_cards_unless_asked_for_another_number(alice):
    topic = _topic("many", 1)
    cards = [_concept(topic, f"c{i:02}", order=i) for i in range(22)]
    _settings(alice, new_cards_per_day=200)
    queue = scheduling.due_queue(alice, now=NOW)
    assert [e.concept.slug for e in queue] == [f"c{i:02}" for i in range(20)]
    for card in cards[:21]:
        log = _review(alice, card, 1, NOW)
        assert (log.duration_ms, log.idempotency_key, log.source) == (None, None, ReviewSource.FLASHCARD)
    queue = scheduling.due_queue(alice, now=NOW + DAY)
    assert [(e.concept.slug, e.is_new) for e in queue] == [(f"c{i:02}", False) for i in range(20)]
    assert len(scheduling.due_queue(alice, now=NOW + DAY, limit=30)) == 22
