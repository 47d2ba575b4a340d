"""In-process cost of the due queue and a quiz answer: ms per request through Django's test client
(the whole middleware and DRF stack), and a cProfile of each, on the database the environment names.

    DJANGO_SETTINGS_MODULE=quizsite.settings DATABASE_URL=postgres://... CACHE_URL=redis://... DEBUG=0 \\
        THROTTLE_USER=1000000/min THROTTLE_ANON=1000000/min .venv/bin/python bench/profile_api.py [--profile]

The database must have the content loaded (`load_content`); the learners made here (`prof<pid>-<n>`,
as bench/scale.py makes them: 30 cards due, a true/false quiz) are left behind. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def learners(count: int, quiz_length: int) -> list[dict]:
    from django.contrib.auth.models import User
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from concepts.models import Concept
    from study import quizzes, scheduling

    concepts = list(Concept.objects.filter(status="published").order_by("id"))
    now, out = timezone.now(), []
    for n in range(count):
        user = User.objects.create_user(f"prof{os.getpid()}-{n}", password="bench pass 123")
        for i, concept in enumerate(concepts[:30]):
            scheduling.review_card(user=user, concept=concept, rating=1, now=now - timedelta(days=14, minutes=i))
        quiz = quizzes.start_quiz(user=user, kinds=["true_false"], length=quiz_length, rng=random.Random(n))
        out.append({"token": Token.objects.create(user=user).key, "quiz": quiz.pk})
    return out


def measure(name: str, calls, profile: bool, top: int) -> None:
    """Time each call (ms), then print the median and, with `profile`, the costliest functions."""
    profiler = cProfile.Profile() if profile else None
    times, cpu = [], []
    for call in calls:
        started, started_cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        status = call()
        if profiler:
            profiler.disable()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert status in (200, 201), (name, status)
    print(f"{name}: {len(times)} requests, median {statistics.median(times):.2f} ms, "
          f"mean {statistics.mean(times):.2f} ms, min {min(times):.2f} ms; this process's CPU: mean "
          f"{statistics.mean(cpu):.2f} ms{' (profiled)' if profile else ''}")
    if profiler:
        for order in ("tottime", "cumulative"):
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(top)
            print("\n".join(line for line in text.getvalue().splitlines()[6:] if line.strip()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=4)
    parser.add_argument("--requests", type=int, default=50, help="per learner (quiz answers: <= 50)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    args.requests = min(args.requests, 50)

    import django

    django.setup()
    from django.test import Client

    people = learners(args.learners, args.requests)
    clients = [Client(HTTP_AUTHORIZATION=f"Token {p['token']}", HTTP_HOST="127.0.0.1") for p in people]
    health = Client(HTTP_HOST="127.0.0.1")
    for client in clients:  # warm: stored payloads, compiled queries, connections
        client.get("/api/flashcards/due/?limit=20")
    rounds = range(args.requests)
    measure("GET /api/health/", (lambda: health.get("/api/health/").status_code
                                 for _ in rounds for _c in clients), False, args.top)
    measure("GET /api/flashcards/due/", (lambda c=c: c.get("/api/flashcards/due/?limit=20").status_code
                                         for _ in rounds for c in clients), args.profile, args.top)
    answers = [(c, p["quiz"], i + 1) for i in rounds for c, p in zip(clients, people)]
    measure("POST /api/quizzes/<id>/answers/", (
        lambda c=c, q=q, i=i: c.post(f"/api/quizzes/{q}/answers/", {"position": i, "response": True},
                                     content_type="application/json").status_code
        for c, q, i in answers), args.profile, args.top)


if __name__ == "__main__":
    main()
