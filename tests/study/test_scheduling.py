"""FSRS flashcards: intervals, the due queue, the learner's day, undo and idempotent reviews."""

from datetime import datetime, timedelta, timezone

import pytest

from study import scheduling
from concepts.content import load_content
from concepts.models import Concept
from study.models import CardState, ReviewLog

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)  # 12:00 in Seoul


@pytest.fixture
def relu(mini_content, write_content):
    load_content(write_content(mini_content))
    return Concept.objects.get(slug="mini-relu")


def _graduate(user, concept, rating, start=NOW):
    """Review a new card Good until it reaches the review state; returns the time of the last review."""
    now = start
    log, _ = scheduling.review_card(user=user, concept=concept, rating=rating, now=now)
    while CardState.objects.get(user=user, concept=concept).state != CardState.State.REVIEW:
        now = log.due_after
        log, _ = scheduling.review_card(user=user, concept=concept, rating=3, now=now)
    return now


def test_again_brings_a_card_back_sooner_than_easy(alice, relu):
    previews = scheduling.preview(alice, relu, now=NOW)
    assert previews["again"] < previews["hard"] <= previews["good"] < previews["easy"]
    assert previews["again"] - NOW == timedelta(minutes=1)


def test_the_previewed_interval_is_the_one_a_review_gives(alice, relu):
    expected = scheduling.preview(alice, relu, now=NOW)["good"]
    log, _ = scheduling.review_card(user=alice, concept=relu, rating=3, now=NOW)
    assert log.due_after == expected == CardState.objects.get(user=alice).due


def test_successful_reviews_push_the_due_date_further_each_time(alice, relu):
    now = _graduate(alice, relu, 3)
    gaps = []
    for _ in range(3):
        state = CardState.objects.get(user=alice, concept=relu)
        now = state.due
        log, _ = scheduling.review_card(user=alice, concept=relu, rating=3, now=now)
        gaps.append(log.due_after - now)
    assert gaps[0] < gaps[1] < gaps[2]
    assert gaps[0] >= timedelta(days=1)


def test_forgetting_a_review_card_counts_a_lapse_and_relearns(alice, relu):
    now = _graduate(alice, relu, 4)
    due = CardState.objects.get(user=alice).due
    scheduling.review_card(user=alice, concept=relu, rating=1, now=due)
    state = CardState.objects.get(user=alice)
    assert (state.state, state.lapses) == (CardState.State.RELEARNING, 1)
    assert state.due - due == timedelta(minutes=10)
    assert now < due


def test_the_queue_shows_due_cards_then_new_cards_up_to_the_daily_limit(alice, relu):
    profile = scheduling.profile_for(alice)
    profile.new_cards_per_day = 1
    profile.save()
    queue = scheduling.due_queue(alice, now=NOW)
    assert [(e.concept.slug, e.is_new) for e in queue] == [("mini-relu", True)]

    scheduling.review_card(user=alice, concept=relu, rating=1, now=NOW)
    later = NOW + timedelta(minutes=5)
    queue = scheduling.due_queue(alice, now=later)
    assert [(e.concept.slug, e.is_new) for e in queue] == [("mini-relu", False)]
    assert scheduling.queue_counts(alice, now=later) == {"due": 1, "new": 0}


def test_the_new_card_limit_resets_at_the_learners_midnight_not_utc(alice, relu):
    profile = scheduling.profile_for(alice)
    profile.new_cards_per_day, profile.timezone = 1, "Asia/Seoul"
    profile.save()
    late_evening_seoul = datetime(2026, 3, 2, 14, 30, tzinfo=timezone.utc)  # 23:30 KST
    scheduling.review_card(user=alice, concept=relu, rating=3, now=late_evening_seoul)
    before_midnight = late_evening_seoul + timedelta(minutes=20)  # 23:50 KST, still 2 March in UTC and KST
    after_midnight = late_evening_seoul + timedelta(minutes=40)  # 00:10 KST on 3 March, 15:10 UTC on 2 March
    assert scheduling.new_cards_left_today(alice, profile, before_midnight) == 0
    assert scheduling.new_cards_left_today(alice, profile, after_midnight) == 1


def test_undo_restores_the_card_and_keeps_the_log_entry_marked(alice, relu):
    scheduling.review_card(user=alice, concept=relu, rating=3, now=NOW)
    before = CardState.objects.get(user=alice)
    second, _ = scheduling.review_card(user=alice, concept=relu, rating=4, now=before.due)

    undone = scheduling.undo_last_review(user=alice, now=before.due)

    assert undone.pk == second.pk and undone.undone_at == before.due
    after = CardState.objects.get(user=alice)
    assert (after.due, after.state, after.stability, after.reps) == (before.due, before.state, before.stability, 1)
    assert ReviewLog.objects.filter(user=alice).count() == 2


def test_undo_reverts_the_review_applied_last_even_when_it_carries_the_earlier_time(alice, relu):
    # Two concurrent requests: the one that took its time first waited for the card's lock and was applied second.
    first, _ = scheduling.review_card(user=alice, concept=relu, rating=3, now=NOW + timedelta(seconds=1))
    applied_last, _ = scheduling.review_card(user=alice, concept=relu, rating=4, now=NOW)

    undone = scheduling.undo_last_review(user=alice, now=NOW + timedelta(seconds=2))

    assert undone.pk == applied_last.pk
    first.refresh_from_db()
    assert first.undone_at is None
    assert CardState.objects.get(user=alice).reps == 1
    assert ReviewLog.objects.filter(user=alice, undone_at__isnull=True).get().pk == first.pk


def test_undoing_a_first_review_makes_the_card_new_again(alice, relu):
    scheduling.review_card(user=alice, concept=relu, rating=3, now=NOW)
    scheduling.undo_last_review(user=alice, now=NOW)
    assert not CardState.objects.filter(user=alice).exists()
    assert scheduling.due_queue(alice, now=NOW)[0].is_new
    assert scheduling.undo_last_review(user=alice, now=NOW) is None


def test_the_same_idempotency_key_records_one_review(alice, relu):
    first, created = scheduling.review_card(user=alice, concept=relu, rating=3, now=NOW, idempotency_key="k1")
    again, created_again = scheduling.review_card(user=alice, concept=relu, rating=3, now=NOW + timedelta(seconds=2),
                                                  idempotency_key="k1")
    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert ReviewLog.objects.count() == 1 and CardState.objects.get().reps == 1


def test_one_learners_reviews_do_not_touch_anothers_cards(alice, bob, relu):
    scheduling.review_card(user=alice, concept=relu, rating=3, now=NOW)
    assert scheduling.due_queue(bob, now=NOW)[0].is_new
    assert scheduling.undo_last_review(user=bob, now=NOW) is None


def test_a_lower_desired_retention_gives_longer_intervals(alice, bob, relu):
    for user, retention in ((alice, 0.97), (bob, 0.75)):
        profile = scheduling.profile_for(user)
        profile.desired_retention = retention
        profile.save()
        _graduate(user, relu, 3)
    state_a = CardState.objects.get(user=alice)
    state_b = CardState.objects.get(user=bob)
    gap_a = scheduling.review_card(user=alice, concept=relu, rating=3, now=state_a.due)[0].due_after - state_a.due
    gap_b = scheduling.review_card(user=bob, concept=relu, rating=3, now=state_b.due)[0].due_after - state_b.due
    assert gap_b > gap_a
