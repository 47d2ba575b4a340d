"""Server time and first-load bytes per page, for a learner with 1,000 reviews.

    .venv/bin/python bench/pages.py [--reviews 1000] [--repeat 30]

Builds a throw-away SQLite database with the shipped content and one learner
whose 1,000 reviews are spread over 60 days, starts the real server
(`manage.py runserver --noreload`, DEBUG off, whitenoise serving compressed
static files) on loopback, and prints per page: median and p95 wall time of warm
requests, HTML bytes, and bytes transferred on a first load (HTML plus the CSS and
JS it links, gzip as a browser asks for it; fonts excluded, as the target says).
Targets: HTML in <= 50 ms warm, <= 300 KB on first load.
"""

from __future__ import annotations

import argparse
import gzip
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PAGES = ["/", "/concepts/", "/concepts/why-relu-over-sigmoid/", "/review/", "/quiz/", "/progress/",
         "/accounts/login/"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict, reviews: int) -> None:
    subprocess.run([PY, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "load_content"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    script = f"""
import random
from datetime import timedelta
from django.contrib.auth.models import User
from django.utils import timezone
from concepts import scheduling, quizzes
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
"""
    subprocess.run([PY, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-pages-")
    env = {**os.environ, "SQLITE_PATH": f"{tmp}/db.sqlite3", "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "quizsite.settings"}
    print(f"preparing a database with {args.reviews} reviews ...", flush=True)
    prepare(env, args.reviews)

    port = free_port()
    server = subprocess.Popen([PY, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": "bench", "password": "bench pass 123",
                                       "csrfmiddlewaretoken": token}).encode()
        opener.open(urllib.request.Request(base + "/accounts/login/", data=data, headers={"Referer": base}))
        quiz = opener.open(base + "/quiz/").read().decode()
        quiz_url = re.search(r'href="(/quiz/\d+/)"', quiz)
        pages = PAGES + ([quiz_url.group(1)] if quiz_url else [])

        print(f"\n{'page':38} {'median ms':>9} {'p95 ms':>7} {'HTML KB':>8} {'first load KB (gzip)':>21}")
        for path in pages:
            times = []
            html = b""
            for i in range(args.repeat + 3):
                started = time.perf_counter()
                response = opener.open(urllib.request.Request(base + path, headers={"Accept-Encoding": "identity"}))
                html = response.read()
                if i >= 3:  # the first requests warm caches and the demo runner
                    times.append((time.perf_counter() - started) * 1000)
            assets = re.findall(rb'(?:src|href)="(/static/[^"]+\.(?:css|js))"', html)
            transferred = len(gzip.compress(html))
            for asset in set(assets):
                req = urllib.request.Request(base + asset.decode(), headers={"Accept-Encoding": "gzip"})
                transferred += len(opener.open(req).read())
            times.sort()
            print(f"{path:38} {statistics.median(times):9.1f} {times[int(len(times) * 0.95) - 1]:7.1f} "
                  f"{len(html) / 1024:8.1f} {transferred / 1024:21.1f}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
