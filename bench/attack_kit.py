"""What the attacks of bench/hardening.py share: a gunicorn to attack, raw requests, sign-ups, a
burst with `GET /` probed meanwhile, a Celery worker to kill. Not part of the test suite."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from harness import PY, ROOT, Client, free_port

PASSWORD = "bench pass 123"


def start(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen([PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(workers), "quizsite.wsgi"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            Client(port).call("GET", "/api/demos/")
            return server, port
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def raw(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None) -> int:
    client = Client(port)
    client.conn.request(method, path, body=body, headers=headers or {})
    response = client.conn.getresponse()
    response.read()
    return response.status


def signup(port: int, username: str, headers: dict | None = None) -> tuple[int, str | None]:
    client = Client(port)
    client.headers.update(headers or {})
    status, _, payload = client.call("POST", "/api/auth/signup/", {"username": username, "password": PASSWORD})
    return status, json.loads(payload).get("token") if status == 201 else None


def show(name: str, counts: Counter) -> None:
    print(f"  {name:58} {sum(counts.values()):5} sent  {dict(sorted(counts.items()))}", flush=True)


def probe_home(port: int, stop_event: threading.Event) -> list[float]:
    """`GET /` every 100 ms until told to stop; the latencies in ms."""
    client, times = Client(port), []
    while not stop_event.is_set():
        times.append(client.call("GET", "/")[1])
        time.sleep(0.1)
    return times


def burst(port: int, name: str, paths: list[str]) -> None:
    stop_event = threading.Event()
    with ThreadPoolExecutor(len(paths) + 1) as pool:
        probe = pool.submit(probe_home, port, stop_event)
        time.sleep(0.3)
        started = time.perf_counter()
        codes = Counter(pool.map(lambda path: Client(port).call("GET", path)[0], paths))
        wall = time.perf_counter() - started
        time.sleep(0.3)
        stop_event.set()
        home = sorted(probe.result())
    show(f"{name} ({wall:.1f} s)", codes)
    print(f"  {'GET / meanwhile':58} {len(home):5} sent  p50 {home[len(home) // 2]:.0f} ms, "
          f"p95 {home[int(len(home) * 0.95) - 1]:.0f} ms, max {home[-1]:.0f} ms", flush=True)


def celery_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([PY, "-m", "celery", "-A", "quizsite.celery", "worker", "--pool=threads", "--concurrency=2",
                             "--queues=demos", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
