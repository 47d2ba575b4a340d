"""Server time and first-load bytes per page, for a learner with 1,000 reviews.

    .venv/bin/python bench/pages.py [--reviews 1000] [--repeat 30]

Builds a throw-away SQLite database with the shipped content and one learner
whose 1,000 reviews are spread over 60 days (and two mock interviews, one finished), starts the real server
(`manage.py runserver --noreload`, DEBUG off, whitenoise serving compressed
static files) on loopback, and prints per page: median and p95 wall time of warm
requests, the first request right after a server restart ("just restarted"), HTML
bytes, and bytes transferred on a first load (HTML plus the CSS and JS it links,
gzip as a browser asks for it; fonts excluded, as the target says).
Then, after another restart: the first view of EVERY concept page (max, p95,
median), a first quiz answer with feedback and a first flashcard grade (API).
Last, in a fresh server: every page and a few library searches, then the server's RSS and
what it started (no demo forkserver expected; Kiwi in its shared analyser process).
Targets: HTML in <= 50 ms warm, <= 300 KB on first load; just restarted: every
concept page <= 100 ms, quiz feedback <= 100 ms, a flashcard grade <= 50 ms; the web
worker <= 200 MB RSS.
"""

from __future__ import annotations

import argparse
import gzip
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import PY, ROOT, free_port, pct  # noqa: E402

PAGES = ["/", "/concepts/", "/concepts/why-relu-over-sigmoid/", "/review/", "/quiz/", "/progress/",
         "/accounts/login/", "/interview/", "/interview/2/", "/interview/1/report/"]


def prepare(env: dict, reviews: int) -> None:
    subprocess.run([PY, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "load_content"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    script = f"""
import random
from datetime import timedelta
from django.contrib.auth.models import User
from django.utils import timezone
from study import scheduling, quizzes
from concepts.models import Concept
user = User.objects.create_user("bench", password="bench pass 123")
concepts = list(Concept.objects.all())
rng = random.Random(0)
start = timezone.now() - timedelta(days=60)
for i in range({reviews}):
    concept = concepts[i % len(concepts)]
    now = start + timedelta(minutes=i * 60 * 24 * 59 / {reviews})
    scheduling.review_card(user=user, concept=concept, rating=rng.choice([1, 3, 3, 3, 4]), now=now)
session = quizzes.start_quiz(user=user, length=20, rng=rng)
# mock interviews: #1 finished (its report), #2 with a question waiting (the interview page)
from interview import services as iv
done = iv.interview_start(user=user, topics=[], main_count=3, time_limit_s=120, lang="ko", now=timezone.now(), seed=0)
while (item := iv.interview_next(interview=done, now=timezone.now())[0]) is not None:
    iv.interview_answer(item=item, answer="기울기 소실을 막으려고 ReLU를 씁니다", aloud=False, now=timezone.now())
    iv.interview_confirm(item=item, ticks=[0], rating=None, now=timezone.now())
waiting = iv.interview_start(user=user, topics=[], main_count=3, time_limit_s=None, lang="ko", now=timezone.now(), seed=1)
iv.interview_next(interview=waiting, now=timezone.now())
"""
    subprocess.run([PY, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True)


def start_server(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([PY, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            # a static file: it takes the server up without touching a Django view (no warming)
            urllib.request.urlopen(base + "/static/site.css", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait()


def login(base: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": "bench", "password": "bench pass 123",
                                   "csrfmiddlewaretoken": token}).encode()
    opener.open(urllib.request.Request(base + "/accounts/login/", data=data, headers={"Referer": base}))
    return opener


def timed(opener, url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[float, bytes]:
    started = time.perf_counter()
    body = opener.open(urllib.request.Request(url, data=data, headers={"Accept-Encoding": "identity",
                                                                      **(headers or {})})).read()
    return (time.perf_counter() - started) * 1000, body


def api_token(base: str) -> str:
    import json

    data = urllib.parse.urlencode({"username": "bench", "password": "bench pass 123"}).encode()
    return json.loads(urllib.request.urlopen(base + "/api/auth/token/", data=data).read())["token"]


def main() -> None:
    import json

    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-pages-")
    env = {**os.environ, "SQLITE_PATH": f"{tmp}/db.sqlite3", "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "quizsite.settings"}
    print(f"preparing a database with {args.reviews} reviews ...", flush=True)
    prepare(env, args.reviews)

    # 1. just restarted: the first request of each page in a fresh server process
    server, base = start_server(env)
    try:
        opener = login(base)  # the log-in page is the first view; it is measured in the warm table
        quiz = opener.open(base + "/quiz/").read().decode()
        quiz_url = re.search(r'href="(/quiz/\d+/)"', quiz)
        pages = PAGES + ([quiz_url.group(1)] if quiz_url else [])
    finally:
        stop(server)
    server, base = start_server(env)
    try:
        opener = login(base)
        first = {path: timed(opener, base + path)[0] for path in pages}
    finally:
        stop(server)

    # 2. warm: median and p95 after a few requests, with first-load bytes
    server, base = start_server(env)
    try:
        opener = login(base)
        print(f"\n{'page':38} {'median ms':>9} {'p95 ms':>7} {'just restarted ms':>18} {'HTML KB':>8} "
              f"{'first load KB (gzip)':>21}")
        for path in pages:
            times = []
            html = b""
            for i in range(args.repeat + 3):
                elapsed, html = timed(opener, base + path)
                if i >= 3:
                    times.append(elapsed)
            assets = re.findall(rb'(?:src|href)="(/static/[^"]+\.(?:css|js))"', html)
            transferred = len(gzip.compress(html))
            for asset in set(assets):
                req = urllib.request.Request(base + asset.decode(), headers={"Accept-Encoding": "gzip"})
                transferred += len(opener.open(req).read())
            print(f"{path:38} {statistics.median(times):9.1f} {pct(times, 0.95):7.1f} {first[path]:18.1f} "
                  f"{len(html) / 1024:8.1f} {transferred / 1024:21.1f}")
        slugs = re.findall(r'href="/concepts/([a-z0-9-]+)/"', opener.open(base + "/concepts/").read().decode())
    finally:
        stop(server)

    # 3. just restarted: every concept page's first view, then a first quiz answer and a first grade (API)
    server, base = start_server(env)
    try:
        opener = login(base)
        concept_times = [timed(opener, f"{base}/concepts/{slug}/")[0] for slug in dict.fromkeys(slugs)]
        token = api_token(base)
        auth = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        opener = urllib.request.build_opener()  # the API with the token alone (a session cookie would ask for CSRF)
        _, body = timed(opener, base + "/api/quizzes/", json.dumps({"length": 5, "practice": True}).encode(), auth)
        created = json.loads(body)
        item = created["items"][0]
        question = item["question"]
        response = {"single": (question.get("choices") or [{}])[0].get("id"), "true_false": True, "numeric": 1,
                    "short": "relu", "multiple": [c["id"] for c in (question.get("choices") or [])[:1]]}[question["kind"]]
        feedback_ms, _ = timed(opener, f"{base}/api/quizzes/{created['id']}/answers/",
                               json.dumps({"position": item["position"], "response": response}).encode(), auth)
        due = json.loads(timed(opener, base + "/api/flashcards/due/?limit=1", None, auth)[1])
        slug = due["cards"][0]["concept"]["slug"]
        grade_ms, _ = timed(opener, f"{base}/api/flashcards/{slug}/review/", json.dumps({"rating": 3}).encode(), auth)
    finally:
        stop(server)
    print(f"\njust restarted, first view of each of {len(concept_times)} concept pages: "
          f"max {max(concept_times):.1f} ms, p95 {pct(concept_times, 0.95):.1f} ms, "
          f"median {statistics.median(concept_times):.1f} ms (target: max <= 100 ms)")
    print(f"just restarted, first quiz answer with feedback (API): {feedback_ms:.1f} ms (target <= 100 ms)")
    print(f"just restarted, first flashcard grade (API): {grade_ms:.1f} ms (target <= 50 ms)")

    # 4. a web worker's memory after every page, searches included, and no learner's own-parameter run
    server, base = start_server(env)
    try:
        opener = login(base)
        for path in pages + [f"/concepts/{slug}/" for slug in dict.fromkeys(slugs)]:
            opener.open(base + path).read()
        for query in SEARCHES:
            opener.open(f"{base}/concepts/?{urllib.parse.urlencode({'q': query})}").read()
        print(f"\nafter every page ({len(pages) + len(set(slugs))}) and {len(SEARCHES)} searches, no own-parameter run:")
        for line in process_memory(server.pid):
            print("  " + line)
        print("  target: the web worker <= 200 MB, no demo forkserver (torch) in it")
    finally:
        stop(server)


#: library searches of bench's memory phase: Korean (Kiwi), English, mixed
SEARCHES = ["ReLU를 시그모이드 대신 쓰는 이유", "Xavier vs He initialization", "학습률 스케줄러 종류",
            "테스트 데이터 누수가 뭔가요", "Adam이랑 SGD 차이", "gradient clipping이 필요한 경우"]


def process_memory(pid: int) -> list[str]:
    """RSS of a process and of each process it started, and whether torch or Kiwi is loaded in it."""
    def rss_mb(p: int) -> float:
        for entry in Path(f"/proc/{p}/status").read_text().splitlines():
            if entry.startswith("VmRSS:"):
                return int(entry.split()[1]) / 1024
        return 0.0

    def loaded(p: int) -> str:
        maps = Path(f"/proc/{p}/maps").read_text()
        names = [name for name, marker in (("torch", "libtorch_cpu"), ("Kiwi", "kiwipiepy")) if marker in maps]
        return ", ".join(names) + " loaded" if names else "neither torch nor Kiwi loaded"

    children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    lines = [f"web worker (runserver, pid {pid}): {rss_mb(pid):.0f} MB RSS, {loaded(pid)}"]
    for child in children:
        command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        lines.append(f"  child {child}: {rss_mb(child):.0f} MB RSS, {loaded(child)}: {command[:90]}")
    # the Kiwi analyser runs in its own session: it is found by its command line, not as a child
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) not in children:
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "concepts.search.analyser" in command:
                lines.append(f"Kiwi analyser, shared by every worker on the host (pid {entry.name}): "
                             f"{rss_mb(int(entry.name)):.0f} MB RSS")
    return lines


if __name__ == "__main__":
    main()
