"""Throughput and latency under concurrent learners, on gunicorn + PostgreSQL + Redis (loopback only).

    .venv/bin/python bench/scale.py [--learners 16] [--requests 25] [--big-rows 1000000]

Needs PostgreSQL and Redis on loopback (README, "Running with PostgreSQL and
Redis"). Creates a throw-away database (dropped at the end), loads the shipped
content, makes one account per simulated learner, starts gunicorn
(gunicorn.conf.py, DEBUG off) and prints:

1. per endpoint, with N learners sending at once (a thread and a keep-alive
   connection each, R requests each): throughput and p50 / p99 latency for a
   trivial JSON view (/api/health/), the due queue, a concept page, a review, a
   quiz answer and a stored demo run; the throughput of the due queue, the quiz
   answer and the concept page as a fraction of the trivial view's, measured just before
   and after each of them (target >= 0.2x), in --rounds rounds (a fresh quiz each), the
   median being the figure (one phase lasts well under a second, and a busy machine is noisy),
   and each web worker's RSS with its child processes (no demo forkserver expected:
   nothing here runs a learner's own parameters);
2. the due queue's latency for one learner when the review log holds 1,000 rows,
   then 1,000,000 (bulk-loaded with COPY, spread over 1,000 learners with a card
   state per card each), and the indexes PostgreSQL uses for its queries.
   Target: at 1,000,000 rows no more than 1.5 x the latency at 1,000.

Every loop is bounded in count and in time (--max-seconds per phase). `--template DB` starts the
throw-away database as a copy of DB (a database with the content loaded and no learners), which
saves computing every demo again on a busy machine; `--big-rows 0` skips part 2.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import PY, ROOT, Client, free_port, manage, pct, psql  # noqa: E402
SETUP = """
import json, random
from datetime import timedelta
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.authtoken.models import Token
from study import quizzes, scheduling
from concepts.models import Concept
concepts = list(Concept.objects.filter(status="published").order_by("id"))
now, out = timezone.now(), []
for n in range({learners}):
    user = User.objects.create_user(f"learner{{n}}", password="bench pass 123")
    for i, concept in enumerate(concepts[:30]):  # a learner with due cards: reviewed two weeks ago
        scheduling.review_card(user=user, concept=concept, rating=1, now=now - timedelta(days=14, minutes=i))
    quiz_ids = [quizzes.start_quiz(user=user, kinds=["true_false"], length={requests}, rng=random.Random(n * 100 + r)).pk
                for r in range({rounds})]  # a fresh quiz per round: every answer is a first answer
    out.append({{"token": Token.objects.create(user=user).key, "quizzes": quiz_ids}})
print("BENCH", json.dumps({{"learners": out, "slugs": [c.slug for c in concepts]}}))
"""


def phase(name: str, port: int, learners: list[dict], requests: int, make_request, max_seconds: float) -> float:
    """N threads released together, each sending `requests` requests on its own connection."""
    barrier = threading.Barrier(len(learners))
    deadline = time.monotonic() + max_seconds
    latencies: list[float] = []
    errors: dict[int, int] = {}
    lock = threading.Lock()

    def learner(index: int) -> None:
        client = Client(port, learners[index]["token"])
        barrier.wait()
        for i in range(requests):
            if time.monotonic() > deadline:
                break
            method, path, body, ok = make_request(index, i)
            status, ms, _ = client.call(method, path, body)
            with lock:
                latencies.append(ms)
                if status not in ok:
                    errors[status] = errors.get(status, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(len(learners)) as pool:
        list(pool.map(learner, range(len(learners))))
    wall = time.perf_counter() - started
    print(f"{name:34} {len(latencies):6d} {len(latencies) / wall:9.1f} {statistics.median(latencies):8.1f} "
          f"{pct(latencies, 0.99):8.1f}   {errors or ''}", flush=True)
    return len(latencies) / wall


def worker_memory(master: int) -> list[str]:
    """Each gunicorn worker's resident memory, and its child processes (a demo forkserver would be one)."""
    def children(pid: int) -> list[int]:
        path = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(c) for c in path.read_text().split()] if path.exists() else []

    def rss_mb(pid: int) -> float:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    out = []
    for worker in children(master):
        kids = children(worker)
        out.append(f"worker {worker}: {rss_mb(worker):.0f} MB RSS, {len(kids)} child process(es)"
                   + (f" ({', '.join(f'{rss_mb(k):.0f} MB' for k in kids)})" if kids else " (no forkserver)"))
    return out


def due_latency(port: int, token: str, repeat: int) -> tuple[float, float]:
    client = Client(port, token)
    for _ in range(5):  # warm the connection and the worker
        client.call("GET", "/api/flashcards/due/?limit=20")
    times = []
    for _ in range(repeat):
        status, ms, _ = client.call("GET", "/api/flashcards/due/?limit=20")
        assert status == 200, status
        times.append(ms)
    return statistics.median(times), pct(times, 0.99)


def bulk_load(db_url: str, rows: int, per_user: int = 1000) -> None:
    """`rows` review-log rows (and a card state per card) for rows / per_user new learners, by COPY."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        concepts = [r[0] for r in conn.execute("SELECT id FROM concepts_concept WHERE status = 'published'")]
        users = -(-rows // per_user)
        first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM auth_user").fetchone()[0]
        with conn.cursor().copy("COPY auth_user (id, password, is_superuser, username, first_name, last_name, "
                                "email, is_staff, is_active, date_joined) FROM STDIN") as copy:
            for uid in range(first, first + users):
                copy.write_row((uid, "!", False, f"bulk{uid}", "", "", "", False, True, "2025-01-01T00:00:00Z"))
        conn.execute("SELECT setval(pg_get_serial_sequence('auth_user', 'id'), %s)", (first + users,))
        rng = random.Random(0)
        with conn.cursor().copy("COPY concepts_cardstate (user_id, concept_id, state, stability, difficulty, due, "
                                "last_review, reps, lapses) FROM STDIN") as copy:
            for uid in range(first, first + users):
                for cid in concepts:
                    copy.write_row((uid, cid, 2, 10.0, 5.0, f"2025-{rng.randint(1, 12):02d}-15T00:00:00Z",
                                    "2024-12-01T00:00:00Z", per_user // len(concepts), 0))
        with conn.cursor().copy("COPY concepts_reviewlog (user_id, concept_id, rating, reviewed_at, source, was_new, "
                                "due_after) FROM STDIN") as copy:
            for n in range(rows):
                uid = first + n // per_user
                day = 1 + (n % per_user) * 364 // per_user
                stamp = f"2024-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}T{n % 24:02d}:00:00Z"
                copy.write_row((uid, concepts[n % len(concepts)], rng.choice((1, 3, 3, 4)), stamp, "flashcard",
                                n % per_user < len(concepts), stamp))
        conn.execute("ANALYZE concepts_reviewlog; ANALYZE concepts_cardstate; ANALYZE auth_user")


def explain(db_url: str, username: str) -> None:
    """The due queue's queries, as PostgreSQL plans them, reduced to the indexes they use."""
    import psycopg

    with psycopg.connect(db_url) as conn:
        uid = conn.execute("SELECT id FROM auth_user WHERE username = %s", (username,)).fetchone()[0]
        queries = {
            "cards due now (user, due <= now, ORDER BY due)":
                "SELECT s.id FROM concepts_cardstate s JOIN concepts_concept c ON c.id = s.concept_id "
                "WHERE s.user_id = %s AND s.due <= now() AND c.status = 'published' ORDER BY s.due, s.id LIMIT 20",
            "new cards introduced today (count)":
                "SELECT count(*) FROM concepts_reviewlog WHERE user_id = %s AND was_new AND undone_at IS NULL "
                "AND reviewed_at >= now() - interval '1 day'",
            "cards never seen (NOT IN the learner's states)":
                "SELECT c.id FROM concepts_concept c WHERE c.status = 'published' AND NOT (c.id IN "
                "(SELECT concept_id FROM concepts_cardstate WHERE user_id = %s)) LIMIT 20",
        }
        for name, sql in queries.items():
            plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + sql, (uid,)))
            used = sorted({line.split(" using ")[1].split()[0] for line in plan.splitlines() if " using " in line})
            print(f"  {name:50} {', '.join(used) or 'no index (sequential scan)'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=16)
    parser.add_argument("--requests", type=int, default=25, help="per learner and endpoint (<= 50)")
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5, help="the throughput ratios are measured this many "
                        "times (a phase is short, and a busy machine noisy): their median is the figure")
    parser.add_argument("--big-rows", type=int, default=1_000_000, help="0: skip the review-log growth phase")
    parser.add_argument("--repeat", type=int, default=200, help="due-queue requests per measurement")
    parser.add_argument("--max-seconds", type=float, default=120, help="time cap per phase")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--template", default="", help="create the throw-away database from this one (content "
                        "loaded, no learners): saves computing every demo again; load_content still runs")
    args = parser.parse_args()
    args.requests = min(args.requests, 50)

    name = f"dlprep_bench_{os.getpid()}"
    db_url = args.pg.rsplit("/", 1)[0] + "/" + name
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quizsite.settings", "DATABASE_URL": db_url,
           "CACHE_URL": args.redis, "DEBUG": "0", "SECRET_KEY": "bench-" + "x7" * 30,
           "THROTTLE_USER": "1000000/min", "THROTTLE_ANON": "1000000/min", "SANDBOX_RUN_RATE": "1000000/min",
           "WEB_CONCURRENCY": str(args.gunicorn_workers), "GUNICORN_ACCESS_LOG": "/dev/null"}
    psql(args.pg, f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{args.template}"' if args.template else ""))
    server = None
    try:
        started = time.monotonic()
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        manage(env, "load_content")
        out = manage(env, "shell", "-c", SETUP.format(learners=args.learners, requests=args.requests,
                                                      rounds=args.rounds), capture=True)
        data = json.loads(out.split("BENCH ", 1)[1])
        learners, slugs = data["learners"], data["slugs"]
        print(f"prepared {name}: content, {len(learners)} learners ({time.monotonic() - started:.0f} s)", flush=True)

        port = free_port()
        server = subprocess.Popen([PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                                   "quizsite.wsgi"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                if Client(port).call("GET", "/api/topics/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        demo = "/api/demos/vanishing-gradients/run/?depth=10"  # a result content links: stored by load_content

        print(f"\ngunicorn x{args.gunicorn_workers} sync workers, PostgreSQL, Redis cache; "
              f"{args.learners} learners at once, {args.requests} requests each")
        print(f"{'endpoint':34} {'reqs':>6} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}   errors")
        health = lambda n, i: ("GET", "/api/health/", None, {200})  # noqa: E731

        def against_trivial(name, make_request) -> float:
            """The endpoint's throughput over the trivial view's, measured just before and just after it:
            a busy machine changes both alike, where one trivial figure for the whole run would not."""
            before = phase("GET /api/health/ (trivial JSON)", port, learners, args.requests, health, args.max_seconds)
            value = phase(name, port, learners, args.requests, make_request, args.max_seconds)
            after = phase("GET /api/health/ (trivial JSON)", port, learners, args.requests, health, args.max_seconds)
            return value / ((before + after) / 2)

        phase("GET /api/health/ (warm-up, not counted)", port, learners, args.requests, health, args.max_seconds)
        ratios: dict[str, list[float]] = {"due queue": [], "quiz answer": [], "concept page": []}
        for r in range(args.rounds):
            print(f"-- round {r + 1} of {args.rounds}")
            ratios["due queue"].append(against_trivial(
                "GET /api/flashcards/due/", lambda n, i: ("GET", "/api/flashcards/due/?limit=20", None, {200})))
            ratios["concept page"].append(against_trivial(
                "GET /concepts/<slug>/ (HTML)",
                lambda n, i: ("GET", f"/concepts/{slugs[(n + i + r) % len(slugs)]}/", None, {200})))
            if r == 0:
                phase("POST /api/flashcards/<slug>/review/", port, learners, args.requests,
                      lambda n, i: ("POST", f"/api/flashcards/{slugs[(n + i) % len(slugs)]}/review/",
                                    {"rating": 3}, {201}), args.max_seconds)
            ratios["quiz answer"].append(against_trivial(
                "POST /api/quizzes/<id>/answers/",
                lambda n, i: ("POST", f"/api/quizzes/{learners[n]['quizzes'][r]}/answers/",
                              {"position": i + 1, "response": True}, {201})))
            if r == 0:
                phase("GET /api/demos/<key>/run/ (cached)", port, learners, args.requests,
                      lambda n, i: ("GET", demo, None, {200}), args.max_seconds)
        print("throughput against the trivial JSON view just before and after (target >= 0.2x each), "
              f"median of {args.rounds} rounds [each round]:")
        for name, values in ratios.items():
            print(f"  {name:13} {statistics.median(values):.3f}x  [{', '.join(f'{v:.3f}' for v in values)}]")
        print("web workers (RSS, and whether a demo forkserver runs under them):")
        for line in worker_memory(server.pid):
            print("  " + line)

        if args.big_rows <= 0:
            return
        print(f"\ndue queue of one learner (30 due cards, 30 reviews of its own), {args.repeat} requests, one client:")
        print(f"{'review-log rows':>16} {'p50 ms':>8} {'p99 ms':>8}")
        token = learners[0]["token"]
        small = due_latency(port, token, args.repeat)
        count = lambda: __import__("psycopg").connect(db_url).execute(  # noqa: E731
            "SELECT count(*) FROM concepts_reviewlog").fetchone()[0]
        print(f"{count():16,d} {small[0]:8.1f} {small[1]:8.1f}", flush=True)
        loaded = time.monotonic()
        bulk_load(db_url, max(0, args.big_rows - count()))
        big = due_latency(port, token, args.repeat)
        print(f"{count():16,d} {big[0]:8.1f} {big[1]:8.1f}   (COPY + ANALYZE took {time.monotonic() - loaded:.0f} s)")
        ratio = big[0] / small[0]
        print(f"p50 ratio {ratio:.2f} (target <= 1.5): {'met' if ratio <= 1.5 else 'NOT met'}")
        print("indexes used by the due queue's queries at that size:")
        explain(db_url, "learner0")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        psql(args.pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
