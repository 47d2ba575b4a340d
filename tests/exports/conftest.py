import io
import sqlite3
import tempfile
import zipfile

import pytest
from rest_framework.test import APIClient

from concepts.content import load_content


@pytest.fixture
def content(db, mini_content, write_content):
    """The small test topic, loaded: 2 published concepts (one with a formula), 5 questions of every kind."""
    load_content(write_content(mini_content))


@pytest.fixture
def private_tempdir(tmp_path, monkeypatch):
    """Points `tempfile` at an empty directory of its own, so any file left there is ours."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


@pytest.fixture
def api():
    return APIClient()


def read_apkg(data: bytes, tmp_path) -> sqlite3.Connection:
    """Unzip an .apkg and open its `collection.anki2` the way Anki would: as a SQLite database."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {"collection.anki2", "media"} <= set(archive.namelist())
        path = tmp_path / f"collection-{len(list(tmp_path.iterdir()))}.anki2"
        path.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(path)


@pytest.fixture
def studied(content, alice, bob):
    """alice reviewed mini-relu and answered a quiz on it; bob reviewed mini-sigmoid and took a practice quiz.

    Practice quizzes leave the schedule alone, so nothing of bob's mentions mini-relu. alice has a token.
    """
    import datetime as dt

    from rest_framework.authtoken.models import Token

    from study import quizzes, scheduling
    from concepts.models import Concept, Question

    now = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
    relu, sigmoid = Concept.objects.get(slug="mini-relu"), Concept.objects.get(slug="mini-sigmoid")
    tf = Question.objects.get(slug="mini-tf")
    for user, concept, answer, practice in ((alice, relu, True, False), (bob, sigmoid, False, True)):
        scheduling.review_card(user=user, concept=concept, rating=3, now=now, duration_ms=4200)
        session = quizzes.start_quiz(user=user, kinds=["true_false"], length=1, practice=practice)
        quizzes.answer(session=session, item=session.items.get(question=tf), response=answer,
                       now=now + dt.timedelta(minutes=5))
    Token.objects.create(user=alice)
    return now
