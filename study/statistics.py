"""A learner's progress: accuracy and retention per topic, reviews per day, streak, due forecast.

Each figure is one or two aggregate queries bounded by a date window or by the
number of concepts, never by the size of the review log.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncDate

from concepts.models import Topic
from study import scheduling
from study.models import CardState, QuizItem, ReviewLog

FORECAST_DAYS = 14
HISTORY_DAYS = 30
STREAK_WINDOW_DAYS = 366


def _local_date(profile, now: datetime) -> date:
    return now.astimezone(ZoneInfo(profile.timezone)).date()


def reviews_per_day(user, profile, now: datetime, days: int = HISTORY_DAYS) -> list[dict]:
    tz = ZoneInfo(profile.timezone)
    today = _local_date(profile, now)
    start = scheduling.day_start(profile, now) - timedelta(days=days - 1)
    rows = (
        ReviewLog.objects.of(user).active().filter(reviewed_at__gte=start)
        .annotate(day=TruncDate("reviewed_at", tzinfo=tz))
        .values("day")
        .annotate(reviews=Count("id"), again=Count("id", filter=Q(rating=1)))
    )
    by_day = {r["day"]: r for r in rows}
    out = []
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        row = by_day.get(day, {})
        out.append({"date": day.isoformat(), "reviews": row.get("reviews", 0), "again": row.get("again", 0)})
    return out


def streak(user, profile, now: datetime) -> int:
    """Consecutive days with at least one review, ending today (or yesterday, if none yet today)."""
    tz = ZoneInfo(profile.timezone)
    start = scheduling.day_start(profile, now) - timedelta(days=STREAK_WINDOW_DAYS)
    days = set(
        ReviewLog.objects.of(user).active().filter(reviewed_at__gte=start)
        .annotate(day=TruncDate("reviewed_at", tzinfo=tz))
        .values_list("day", flat=True)
        .distinct()
    )
    day = _local_date(profile, now)
    if day not in days:
        day -= timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def due_forecast(user, profile, now: datetime, days: int = FORECAST_DAYS) -> list[dict]:
    """Cards due on each of the next `days` local days; overdue cards count for today."""
    tz = ZoneInfo(profile.timezone)
    today = _local_date(profile, now)
    end = scheduling.day_start(profile, now) + timedelta(days=days)
    rows = (
        CardState.objects.of(user).filter(due__lt=end)
        .annotate(day=TruncDate("due", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
    )
    counts = {today + timedelta(days=i): 0 for i in range(days)}
    for row in rows:
        counts[max(row["day"], today)] += row["n"]
    return [{"date": d.isoformat(), "due": n} for d, n in sorted(counts.items())]


def per_topic(user, now: datetime) -> list[dict]:
    """Quiz accuracy and mean FSRS retrievability per topic."""
    accuracy = {
        row["question__concept__topic"]: row
        for row in QuizItem.objects.filter(session__user=user, answered_at__isnull=False)
        .values("question__concept__topic")
        .annotate(answered=Count("id"), correct=Count("id", filter=Q(is_correct=True)), score=Avg("score"))
    }
    # Only the topic id of each card's concept: the concept texts are not needed here.
    states = list(CardState.objects.of(user).annotate(topic_id=F("concept__topic_id")))
    recall = scheduling.retrievability(user, states, now=now)
    by_topic: dict[int, list[float]] = {}
    for state in states:
        by_topic.setdefault(state.topic_id, []).append(recall[state.pk])
    out = []
    for topic in Topic.objects.annotate(cards=Count("concepts", filter=Q(concepts__status="published"))):
        acc = accuracy.get(topic.pk)
        values = by_topic.get(topic.pk, [])
        out.append({
            "topic": topic.slug,
            "title": topic.localized("title"),
            "cards": topic.cards,
            "cards_studied": len(values),
            "retention": round(sum(values) / len(values), 4) if values else None,
            "answered": acc["answered"] if acc else 0,
            "accuracy": round(acc["correct"] / acc["answered"], 4) if acc else None,
        })
    return out


def learner_statistics(user, *, now: datetime) -> dict:
    profile = scheduling.profile_for(user)
    return {
        "today": _local_date(profile, now).isoformat(),
        "timezone": profile.timezone,
        "streak_days": streak(user, profile, now),
        "reviews_per_day": reviews_per_day(user, profile, now),
        "due_forecast": due_forecast(user, profile, now),
        "topics": per_topic(user, now),
        "queue": scheduling.queue_counts(user, now=now),
    }
