"""gunicorn settings for DL Interview Prep (README, "Running with PostgreSQL and Redis").

    .venv/bin/gunicorn quizsite.wsgi        # reads this file from the working directory

No `preload_app`. Preloading imports the app in the master and forks the workers
from it; anything the master has started by then (threads, a forkserver, a torch
thread pool, open database or Redis sockets) would be shared with or half-copied
into every worker, and a process that has run multi-threaded torch can hang in a
forked child. Each worker imports the app itself instead (a second or so at start).

No demo forkserver is started with a worker either: content's demo results are read
from the database (computed by `load_content`), so a worker that serves pages never
needs torch (~330 MB each). A worker starts its forkserver only on the first run of
a learner's own parameters.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the views are short and CPU-light (demo runs happen in a forkserver
# child, or on Celery workers with SANDBOX_QUEUE=celery); 2 x cores + 1 is gunicorn's rule.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))  # above SANDBOX_TIMEOUT_S (10 s) with room to spare
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then; jitter keeps them from restarting together
max_requests_jitter = 200
preload_app = False
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

