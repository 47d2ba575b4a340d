"""Which key points a typed answer covers, and the rating that the covered share and the time give.

Pure functions. Terms come from the search's own analysis (`concepts.search.analyze`):
stemmed English words and Korean character bigrams with particles and endings stripped,
so "기울기가 소실된다" meets the key point "기울기 소실" and "vanishes" meets "vanishing".
"""

from __future__ import annotations

from concepts.search import analyze

#: a key point counts as covered when the answer has at least this share of its terms
COVERED_SHARE = 0.5
#: without a time limit, an answer this fast (or faster) with every point covered is Easy
EASY_WITHOUT_LIMIT_MS = 60_000
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


def _terms(text: str) -> set[str]:
    terms, pairs = analyze(text)
    return set(terms) | set(pairs)


def covered_points(answer: str, *point_lists: list[str]) -> list[int]:
    """Indexes of the key points the answer covers; `point_lists` are the same points in each
    language (parallel lists), and a point is covered when any of its versions is."""
    said = _terms(answer)
    if not said:
        return []
    covered = []
    for index in range(max((len(points) for points in point_lists), default=0)):
        for points in point_lists:
            if index >= len(points):
                continue
            wanted = set(analyze(points[index])[0])
            if wanted and len(wanted & said) / len(wanted) >= COVERED_SHARE:
                covered.append(index)
                break
    return covered


def rating_for(*, covered: int, total: int, duration_ms: int | None, time_limit_s: int | None,
               timed_out: bool) -> int:
    """Again under half the key points, Hard under three quarters, Good below all, Easy for all
    of them quickly (within half the time limit, or a minute without one). A timed-out answer
    is at most Hard, as an interviewer would count it."""
    share = covered / total if total else 1.0
    if share < 0.5:
        rating = AGAIN
    elif share < 0.75:
        rating = HARD
    elif share < 1:
        rating = GOOD
    else:
        quick_ms = time_limit_s * 500 if time_limit_s else EASY_WITHOUT_LIMIT_MS
        rating = EASY if duration_ms is not None and duration_ms <= quick_ms else GOOD
    return min(rating, HARD) if timed_out else rating


def ratings_by_count(*, total: int, duration_ms: int | None, time_limit_s: int | None, timed_out: bool) -> list[int]:
    """The rating for 0, 1, ..., total ticked points: the page shows it as the learner ticks."""
    return [rating_for(covered=k, total=total, duration_ms=duration_ms, time_limit_s=time_limit_s,
                       timed_out=timed_out) for k in range(total + 1)]
