"""The hardening attacks of issue 12, re-run against gunicorn: status codes counted, nothing asserted.

    .venv/bin/python bench/hardening.py [--pg postgres://postgres@127.0.0.1:5432/postgres]

Needs PostgreSQL and Redis on loopback (as bench/scale.py). Each phase starts its
own gunicorn (DEBUG off) and prints what it sent and what came back:

1. the cache unreachable (CACHE_URL on a port where nothing listens): catalogue,
   sign-up, reviews and pages;
2. rate limits with a different spoofed X-Forwarded-For on every request;
3. the twelve inputs that answered 500 on PostgreSQL (NUL, lone surrogates, too long);
4. undo after three simultaneous reviews of one card (did it revert the last applied?);
5. four clients posting reviews to two workers on the embedded SQLite default;
6. 20 simultaneous uncached demo runs at the largest parameters, and six simultaneous
   full Anki exports: status codes, and the latency of `GET /` meanwhile (p50 / p95 / max);
7. a Celery worker killed (SIGKILL) in the middle of a demo job: seconds from the kill to
   the poll that answers 200 (a new worker is started at once, as a supervisor would).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attack_kit import PASSWORD, burst, celery_worker, raw, show, signup, start, stop  # noqa: E402
from harness import ROOT, Client, manage, psql  # noqa: E402


def cache_outage(env: dict) -> None:
    server, port = start({**env, "CACHE_URL": "redis://127.0.0.1:6399/5"}, 3)
    try:
        print("1. cache unreachable (CACHE_URL=redis://127.0.0.1:6399/5), gunicorn x3")
        show("GET /api/topics/, /api/concepts/ (anonymous)", Counter(
            Client(port).call("GET", path)[0] for path in ["/api/topics/", "/api/concepts/?lang=en"] * 50))
        tokens, statuses = [], Counter()
        for n in range(20):
            status, token = signup(port, f"outage{n}")
            statuses[status] += 1
            tokens.append(token)
        show("POST /api/auth/signup/", statuses)
        statuses = Counter()
        for token in filter(None, tokens):
            client = Client(port, token)
            for slug in ("mini-relu", "mini-sigmoid"):
                statuses[client.call("POST", f"/api/flashcards/{slug}/review/", {"rating": 3})[0]] += 1
        show("POST /api/flashcards/<slug>/review/", statuses)
        show("GET /, /concepts/ (pages)", Counter(Client(port).call("GET", p)[0] for p in ["/", "/concepts/"] * 25))
    finally:
        stop(server)


def spoofed_forwarded_for(env: dict, redis: str) -> None:
    server, port = start({**env, "CACHE_URL": redis, "THROTTLE_ANON": "120/min", "THROTTLE_AUTH": "20/min"}, 3)
    try:
        print("2. a different X-Forwarded-For on every request (anon 120/min, sign-up 20/min), gunicorn x3")
        show("GET /api/topics/ x130", Counter(
            raw(port, "GET", "/api/topics/", headers={"X-Forwarded-For": f"203.0.113.{i}"}) for i in range(130)))
        show("POST /api/auth/signup/ x25", Counter(
            signup(port, f"spoof{i}", {"X-Forwarded-For": f"198.51.100.{i}"})[0] for i in range(25)))
    finally:
        stop(server)


def twelve_inputs(env: dict, redis: str) -> None:
    server, port = start({**env, "CACHE_URL": redis}, 2)
    try:
        print("3. the twelve inputs that answered 500 (PostgreSQL)")
        _, token = signup(port, "hostile")
        auth = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        quiz = Client(port, token).call("POST", "/api/quizzes/", {"kinds": ["short", "numeric"], "length": 2})
        quiz = json.loads(quiz[2])
        positions = {i["question"]["kind"]: i["position"] for i in quiz["items"]}
        surrogate = '"x\\ud800"'
        web = _web_session(port)
        cases = [
            ("POST /api/auth/token/ username surrogate", "POST", "/api/auth/token/",
             f'{{"username": {surrogate}, "password": "x"}}', {"Content-Type": "application/json"}),
            ("PATCH /api/profile/ timezone surrogate", "PATCH", "/api/profile/", f'{{"timezone": {surrogate}}}', auth),
            ("POST /api/quizzes/ kinds surrogate", "POST", "/api/quizzes/", f'{{"kinds": [{surrogate}]}}', auth),
            ("POST quiz answer (short) surrogate", "POST", f"/api/quizzes/{quiz['id']}/answers/",
             f'{{"position": {positions["short"]}, "response": {surrogate}}}', auth),
            ("POST quiz answer (numeric) surrogate", "POST", f"/api/quizzes/{quiz['id']}/answers/",
             f'{{"position": {positions["numeric"]}, "response": {surrogate}}}', auth),
            ("GET /api/flashcards/due/?topic=NUL", "GET", "/api/flashcards/due/?topic=a%00", None, auth),
            ("GET /concepts/?topic=NUL", "GET", "/concepts/?topic=a%00", None, {}),
            ("GET /review/?topic=NUL", "GET", "/review/?topic=a%00", None, web),
        ]
        form = {**web, "Content-Type": "application/x-www-form-urlencoded"}
        for name, body in [("topic NUL", "rating=3&topic=a%00"), ("key of 100 characters", "rating=3&key=" + "k" * 100),
                           ("key NUL", "rating=3&key=k%00"), ("duration_ms=-5", "rating=3&duration_ms=-5")]:
            cases.append((f"POST /review/mini-relu/grade/ {name}", "POST", "/review/mini-relu/grade/", body, form))
        for name, method, path, body, headers in cases:
            show(name, Counter([raw(port, method, path, body, headers)]))
    finally:
        stop(server)


def _web_session(port: int) -> dict:
    """A signed-in browser session's headers (cookies and CSRF token), from the log-in form."""
    client = Client(port)
    client.conn.request("GET", "/accounts/login/")
    response = client.conn.getresponse()
    response.read()
    csrf = response.getheader("Set-Cookie").split("csrftoken=")[1].split(";")[0]
    client.conn.request("POST", "/accounts/login/", body=f"username=hostile&password={PASSWORD.replace(' ', '+')}"
                        f"&csrfmiddlewaretoken={csrf}", headers={"Cookie": f"csrftoken={csrf}",
                                                                  "Content-Type": "application/x-www-form-urlencoded"})
    response = client.conn.getresponse()
    response.read()
    session = response.getheader("Set-Cookie").split("sessionid=")[1].split(";")[0]
    return {"Cookie": f"csrftoken={csrf}; sessionid={session}", "X-CSRFToken": csrf, "Referer": f"http://127.0.0.1:{port}/"}


def concurrent_reviews(port: int, token: str, slug: str, rounds: int, clients: int, per_client: int) -> Counter:
    statuses: Counter = Counter()
    lock = threading.Lock()
    for _ in range(rounds):
        barrier = threading.Barrier(clients)

        def one(_n):
            client = Client(port, token)
            barrier.wait()
            for _i in range(per_client):
                status = client.call("POST", f"/api/flashcards/{slug}/review/", {"rating": 3})[0]
                with lock:
                    statuses[status] += 1

        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(one, range(clients)))
    return statuses


def undo_race(env: dict, redis: str, db_url: str) -> None:
    import psycopg

    server, port = start({**env, "CACHE_URL": redis, "THROTTLE_USER": "1000000/min"}, 3)
    try:
        print("4. undo after three simultaneous reviews of one card, 14 tries (PostgreSQL, gunicorn x3)")
        _, token = signup(port, "racer")
        wrong = 0
        for _ in range(14):
            concurrent_reviews(port, token, "mini-relu", 1, 3, 1)
            Client(port, token).call("POST", "/api/flashcards/undo/")
            with psycopg.connect(db_url) as conn:
                reps, live = conn.execute(
                    "SELECT s.reps, (SELECT count(*) FROM concepts_reviewlog l WHERE l.user_id = u.id "
                    "AND l.undone_at IS NULL) FROM concepts_cardstate s JOIN auth_user u ON u.id = s.user_id "
                    "JOIN concepts_concept c ON c.id = s.concept_id WHERE u.username = 'racer' AND c.slug = 'mini-relu'"
                ).fetchone()
            wrong += reps != live
        print(f"  {'tries where the card and the live review log disagree':58} {14:5} tries  {wrong} wrong", flush=True)
    finally:
        stop(server)


def sqlite_writers(base_env: dict, content: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**{k: v for k, v in base_env.items() if k not in ("DATABASE_URL", "CACHE_URL")},
               "SQLITE_PATH": str(Path(tmp) / "db.sqlite3"), "THROTTLE_USER": "1000000/min"}
        manage(env, "migrate", "--no-input")
        manage(env, "load_content", content)
        server, port = start(env, 2)
        try:
            print("5. four clients posting reviews to two workers on the SQLite default (WAL, IMMEDIATE, busy timeout)")
            _, token = signup(port, "writer")
            started = time.monotonic()
            statuses = concurrent_reviews(port, token, "mini-relu", 20, 4, 21)
            show(f"POST /api/flashcards/mini-relu/review/ ({time.monotonic() - started:.0f} s)", statuses)
        finally:
            stop(server)


def _small_content() -> str:
    """The test suite's small topic (every question kind, no demos) as a YAML file: loading the shipped
    content runs every demo it quotes, minutes on a busy machine, and these attacks need none of it."""
    import yaml

    sys.path.insert(0, str(ROOT))
    from tests.conftest import MINI_TOPIC

    path = Path(tempfile.mkdtemp(prefix="dlprep-hardening-")) / "mini.yaml"
    path.write_text(yaml.safe_dump(MINI_TOPIC, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def cpu_and_export_bursts(env: dict, redis: str) -> None:
    print("6. bursts: uncached demo runs at the largest parameters, and full Anki exports")
    server, port = start({**env, "CACHE_URL": redis, "THROTTLE_ANON": "120/min"}, 3)
    try:
        runs = [f"/api/demos/overfitting/run/?samples=200&max_degree=20&width=200&epochs={500 - i}" for i in range(20)]
        burst(port, "20 x GET /api/demos/overfitting/run/ (max, each new)", runs)
        burst(port, "the same 20 again (stored, or remembered failures)", runs)
        burst(port, "6 x GET /api/export/anki/?questions=true&lang=both", ["/api/export/anki/?questions=true&lang=both"] * 6)
    finally:
        stop(server)


def killed_worker(env: dict, redis: str, broker: str) -> None:
    import signal

    print("7. a Celery worker killed in the middle of a job")
    env = {**env, "CACHE_URL": redis, "CELERY_BROKER_URL": broker, "SANDBOX_QUEUE": "celery", "DB_CONN_MAX_AGE": "0"}
    server, port = start(env, 2)
    worker = celery_worker(env)
    try:
        client = Client(port)
        client.call("GET", "/api/demos/perceptron/run/?epochs=3")  # the worker is up once this job is done
        for _ in range(600):
            if client.call("GET", "/api/demos/perceptron/run/?epochs=3")[0] == 200:
                break
            time.sleep(0.2)
        status, _, body = client.call("GET", "/api/demos/overfitting/run/?samples=200&max_degree=20&width=200&epochs=499&"
                                             "lang=ko")
        poll = json.loads(body).get("poll") if status == 202 else None
        if poll is None:
            print(f"  the run answered {status} at once; nothing to kill")
            return
        poll = poll[poll.index("/api/"):]
        time.sleep(0.5)  # the worker has taken the job
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        killed = time.perf_counter()
        worker = celery_worker(env)  # a supervisor restarts it
        codes = Counter()
        while time.perf_counter() - killed < 120:
            status, _, body = client.call("GET", poll)
            codes[status] += 1
            if status == 202:
                poll = json.loads(body)["poll"]
                poll = poll[poll.index("/api/"):]
            elif status != 202:
                break
            time.sleep(0.5)
        show("polls after the kill", codes)
        print(f"  {'seconds from the kill to the answer':58} {time.perf_counter() - killed:5.1f}  (last status {status})")
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--only", choices=["bursts", "worker"], help="run one of the new phases alone")
    args = parser.parse_args()
    content = _small_content()
    name = f"dlprep_hardening_{os.getpid()}"
    db_url = args.pg.rsplit("/", 1)[0] + "/" + name
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quizsite.settings", "DATABASE_URL": db_url, "DEBUG": "0",
           "SECRET_KEY": "bench-" + "x7" * 30, "GUNICORN_ACCESS_LOG": "/dev/null", "STATIC_MANIFEST": "0",
           "THROTTLE_ANON": "1000000/min", "THROTTLE_AUTH": "1000000/min", "AXES_ENABLED": "1"}
    psql(args.pg, f'CREATE DATABASE "{name}"')
    try:
        manage(env, "migrate", "--no-input")
        manage(env, "load_content", content)
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        if args.only:
            cpu_and_export_bursts(env, args.redis) if args.only == "bursts" else killed_worker(env, args.redis,
                                                                                                args.broker)
            return
        cache_outage(env)
        spoofed_forwarded_for(env, args.redis)
        twelve_inputs(env, args.redis)
        undo_race(env, args.redis, db_url)
        cpu_and_export_bursts(env, args.redis)
        killed_worker(env, args.redis, args.broker)
    finally:
        psql(args.pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sqlite_writers(env, content)


if __name__ == "__main__":
    main()
