"""The README's curl session runs as written against a live server (datasette's documentation tests are the model).

The session is read from README.md itself: the indented block after "A session with curl".
Every curl fails the run on an HTTP error (`--fail-with-body`), so a wrong id or an answer
of the wrong kind fails this test.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

from study.models import QuizItem, QuizSession, ReviewLog

README = Path(__file__).resolve().parents[1] / "README.md"


def curl_session() -> str:
    lines = README.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("A session with curl")) + 1
    block = []
    for line in lines[start:]:
        if line.strip() and not line.startswith("    "):
            break
        block.append(line[4:])
    return "\n".join(block).strip()


def test_the_session_is_found_and_uses_the_returned_quiz_id():
    session = curl_session()
    assert session.startswith("API=http://127.0.0.1:8000/api")
    assert "$QUIZ_ID" in session and "/quizzes/1/" not in session


@pytest.fixture
def shipped_content(transactional_db, monkeypatch):
    from concepts import content
    from concepts.content import checks

    monkeypatch.setattr(checks, "demo_checks", lambda bundle, broken, charts=False: [])  # checked elsewhere
    content.load_content()


def test_the_readme_curl_session_runs_against_a_live_server(live_server, shipped_content):
    script = curl_session().replace("API=http://127.0.0.1:8000/api", f"API={live_server.url}/api", 1)
    prelude = 'set -euo pipefail\ncurl() { command curl --fail-with-body --max-time 60 "$@"; }\n'
    run = subprocess.run(["bash", "-c", prelude + script], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    quiz = QuizSession.objects.get(user__username="minji")
    assert quiz.finished_at is not None
    assert QuizItem.objects.filter(session=quiz, answered_at__isnull=False).count() == 1
    review = ReviewLog.objects.get(user__username="minji", idempotency_key="review-1")
    assert review.undone_at is not None  # reviewed, then undone, as the session says
    assert re.search(r'"answered":\s*1', run.stdout)
