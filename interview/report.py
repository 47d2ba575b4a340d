"""The report of a mock interview, as plain data: the web page, the API and the learner's export
all read this one structure."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from concepts.demos import display
from study import scheduling
from study.models import CardState
from interview.models import InterviewItem, MockInterview

RATING_NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}
WEAKEST_LIMIT = 10


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def item_report(item: InterviewItem, lang: str) -> dict[str, Any]:
    concept = item.concept
    points = concept.localized("key_points", lang)
    ticked = set(item.ticks) if item.confirmed_at else set()
    return {
        "position": item.position,
        "kind": "follow_up" if item.main_id else "main",
        "main_position": item.main.position if item.main_id else None,
        "concept": concept.slug,
        "title": concept.localized("title", lang),
        "question": concept.localized("front", lang),
        "asked_as": item.asked_as,
        "answer": item.answer,
        "aloud": item.aloud,
        "duration_ms": item.duration_ms,
        "timed_out": item.timed_out,
        "covered": [p for i, p in enumerate(points) if i in ticked],
        "missed": [p for i, p in enumerate(points) if i not in ticked] if item.confirmed_at else [],
        "rating": item.rating,
        "rating_name": RATING_NAMES.get(item.rating),
        "skipped": item.skipped,
        "asked_at": _iso(item.asked_at),
        "answered_at": _iso(item.answered_at),
        "confirmed_at": _iso(item.confirmed_at),
    }


def interview_report(interview: MockInterview, *, now: datetime, with_due: bool = True) -> dict[str, Any]:
    """Per question: answer, time, key points covered and missed, follow-ups reached (main
    questions list theirs, and the linked ones passed over as already asked). Across the
    session: the weakest key points (missed, on the lowest-rated cards first) and the
    session's cards due by the end of the learner's day."""
    lang = interview.lang
    items = list(interview.items.select_related("concept__topic", "main").order_by("position"))
    questions = [item_report(item, lang) for item in items]
    for question in questions:
        if question["kind"] == "main":
            question["follow_ups"] = [q["position"] for q in questions if q["main_position"] == question["position"]]
    weakest = sorted(
        ({"concept": q["concept"], "title": q["title"], "point": point, "rating": q["rating"]}
         for q in questions for point in q["missed"]),
        key=lambda w: w["rating"] or 0,
    )[:WEAKEST_LIMIT]
    confirmed = [i for i in items if i.confirmed_at]
    covered = sum(len(i.ticks) for i in confirmed)
    total_points = sum(i.key_point_count for i in confirmed)
    timed = [i.duration_ms for i in items if i.duration_ms is not None]
    report = {
        "id": interview.pk,
        "lang": lang,
        "created_at": _iso(interview.created_at),
        "finished_at": _iso(interview.finished_at),
        "finished": interview.finished_at is not None,
        "main_count": interview.main_count,
        "time_limit_s": interview.time_limit_s,
        "topics": sorted(t.slug for t in interview.topics.all()),
        "summary": {
            "questions": len(items),
            "main_questions": sum(1 for i in items if i.main_id is None),
            "follow_ups": sum(1 for i in items if i.main_id is not None),
            "key_points_covered": covered,
            "key_points_total": total_points,
            "covered_share": round(covered / total_points, 3) if total_points else None,
            "average_ms": round(sum(timed) / len(timed)) if timed else None,
            "timed_out": sum(1 for i in items if i.timed_out),
        },
        "questions": questions,
        "weakest_key_points": weakest,
    }
    if with_due:
        report["due"] = due_cards(interview, [i.concept_id for i in items], now=now)
    return report


def due_cards(interview: MockInterview, concept_ids: list[int], *, now: datetime) -> list[dict[str, Any]]:
    """The interview's cards due by the end of the learner's day (Again and new cards come back soon)."""
    profile = scheduling.profile_for(interview.user)
    day_end = scheduling.day_start(profile, now) + timedelta(days=1)
    states = (CardState.objects.of(interview.user).filter(concept_id__in=concept_ids, due__lt=day_end)
              .select_related("concept").order_by("due", "id"))
    return [{"concept": s.concept.slug, "title": s.concept.localized("title", interview.lang), "due": _iso(s.due)}
            for s in states]


def interviews_export(user) -> list[dict[str, Any]]:
    """Every mock interview of the learner, for the data export (registered with `study.learner_data`)."""
    interviews = MockInterview.objects.filter(user=user).prefetch_related("topics").order_by("created_at", "id")
    return [interview_report(interview, now=interview.created_at, with_due=False) for interview in interviews]


def history(user, *, limit: int = 10) -> list[dict[str, Any]]:
    """The learner's latest interviews with their covered share, for the progress page."""
    interviews = list(MockInterview.objects.filter(user=user).prefetch_related("items").order_by("-created_at", "-id")[:limit])
    rows = []
    for interview in interviews:
        items = list(interview.items.all())
        confirmed = [i for i in items if i.confirmed_at]
        total = sum(i.key_point_count for i in confirmed)
        rows.append({
            "interview": interview,
            "questions": len(items),
            "follow_ups": sum(1 for i in items if i.main_id),
            "covered_share": sum(len(i.ticks) for i in confirmed) / total if total else None,
        })
    return rows


def question_state(item: InterviewItem) -> dict[str, Any]:
    """One question as the learner sees it now: the model answer and key points only once answered."""
    from interview.services import deadline, ratings_by_count

    interview, concept = item.interview, item.concept
    lang = interview.lang
    answered, confirmed = item.answered_at is not None, item.confirmed_at is not None
    points = display(concept, "key_points", lang)  # quoted demo values filled, as on the card
    state = {
        "position": item.position, "kind": "follow_up" if item.main_id else "main",
        "main_position": item.main.position if item.main_id else None, "asked_as": item.asked_as,
        "concept": concept.slug, "topic": concept.topic.slug, "title": concept.localized("title", lang),
        "question": concept.localized("front", lang), "stage": item.stage, "asked_at": item.asked_at,
        "deadline": deadline(item),
        "answer": None, "aloud": None, "duration_ms": None, "timed_out": None, "model_answer": None,
        "key_points": None, "suggested_rating": None, "ratings_by_count": None, "rating": None, "due_after": None,
    }
    if answered:
        suggested = set(item.suggested_ticks)
        state.update(
            answer=item.answer, aloud=item.aloud, duration_ms=item.duration_ms, timed_out=item.timed_out,
            model_answer=display(concept, "answer", lang), suggested_rating=item.suggested_rating,
            ratings_by_count=ratings_by_count(item),
            key_points=[{"index": i, "text": p, "suggested": i in suggested,
                         "ticked": (i in item.ticks) if confirmed else None} for i, p in enumerate(points)],
        )
    if confirmed:
        state.update(rating=item.rating, due_after=item.review.due_after if item.review_id else None)
    return state
