"""The Celery app that runs demo jobs (used only when SANDBOX_QUEUE=celery).

    celery -A quizsite.celery worker --pool=threads --concurrency=2 --queues=demos

The worker's pool is threads (or solo), never prefork: a process that has run a
multi-threaded torch op can hang in a forked child. The worker threads never run
torch themselves: each job goes through `sandbox.jobs.execute_job`, which starts a
fresh child from its forkserver and kills it when SANDBOX_TIMEOUT_S runs out.
Configuration is read from Django settings named CELERY_* (quizsite/settings.py).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")

app = Celery("quizsite", include=["sandbox.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
