"""Kiwi runs in one process per host (concepts.search.analyser): a web worker that searches never loads
it, gets the same analysis as Kiwi in-process, and carries on in-process when the analyser cannot run."""

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from concepts.search import analyser, morphology, terms

ROOT = Path(__file__).resolve().parents[2]
WORDS = ["초기화하면", "학습률은", "기울기소실", "에폭을", "배치정규화를", "사라지는"]


def analyser_pids(path: str) -> list[int]:
    """The analyser processes serving `path` (read from /proc, not from anything the analyser says)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"concepts.search.analyser" in argv and path.encode() in argv:
                pids.append(int(entry.name))
    return pids


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def socket_path(tmp_path_factory):
    # short: a Unix socket's path is limited to ~107 bytes, and pytest's temporary directories are long
    directory = Path(os.environ.get("TMPDIR", "/tmp")) / f"kiwi-test-{os.getpid()}-{time.monotonic_ns()}"
    directory.mkdir()
    path = str(directory / "a.sock")
    yield path
    for pid in analyser_pids(path):
        os.kill(pid, signal.SIGTERM)
    for child in directory.iterdir():
        child.unlink()
    directory.rmdir()


def inline(words):
    return [list(map(tuple, tokens)) for tokens in morphology._inline(words)]


def test_a_worker_that_searches_asks_the_analyser_and_never_loads_kiwi(socket_path):
    script = f"""
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "quizsite.settings"
import django
django.setup()
from concepts.search import morphology, terms
print(json.dumps({{"tokens": [morphology.kiwi_tokens(w) for w in {WORDS!r}],
                  "analyze": terms.analyze("학습률을 너무 크게 잡으면 발산하나요", "kiwi-bigram"),
                  "kiwi_loaded": "kiwipiepy" in sys.modules}}, ensure_ascii=False))
"""
    env = {**os.environ, "SEARCH_KIWI": "process", "SEARCH_KIWI_SOCKET": socket_path, "SEARCH_KIWI_IDLE_S": "120"}
    runs = [json.loads(subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                                      text=True, check=True, timeout=600).stdout) for _ in range(2)]
    first_server = analyser_pids(socket_path)
    assert len(first_server) == 1  # the second worker used the analyser the first one started
    for run in runs:
        assert run["kiwi_loaded"] is False
        assert [list(map(tuple, t)) for t in run["tokens"]] == inline(WORDS)
    assert [list(x) for x in terms.analyze("학습률을 너무 크게 잡으면 발산하나요", "kiwi-bigram")] == runs[0]["analyze"]
    # Kiwi's own reading, through the analyser: 학습+률 (XSN right after the stem), 초기화 + 하 + 면
    tokens = dict(zip(WORDS, runs[0]["tokens"]))
    assert [t[:2] for t in tokens["학습률은"]][:2] == [["학습", "NNG"], ["률", "XSN"]]
    assert tokens["초기화하면"][0][:2] == ["초기화", "NNG"]
    assert oct(os.stat(socket_path).st_mode & 0o777) == "0o600"  # this user's processes only


def test_an_idle_analyser_exits_and_the_next_word_starts_it_again(socket_path):
    client = analyser.Client(socket_path, idle_s=1)
    assert client.tokenize(["역전파를"]) == inline(["역전파를"])
    first = analyser_pids(socket_path)
    assert len(first) == 1
    # it exits after a second without requests (waited for generously: a busy machine is slow)
    assert wait_for(lambda: not analyser_pids(socket_path), 120), "the idle analyser did not exit"
    assert not os.path.exists(socket_path)
    # the client's connection is dead; the next request starts a new analyser and is answered
    assert client.tokenize(["옵티마이저"]) == inline(["옵티마이저"])
    second = analyser_pids(socket_path)
    assert len(second) == 1 and second != first


def test_an_analyser_that_exits_as_a_fresh_connection_reaches_it_is_started_again(socket_path):
    """What failed in CI on a busy machine: the kept connection was dead (the analyser had idled out) and the
    fresh one met an analyser in the instant of its own idle exit (accepted, then closed unanswered)."""
    client = analyser.Client(socket_path, idle_s=1)
    client.tokenize(["역전파를"])
    assert wait_for(lambda: not analyser_pids(socket_path), 120), "the idle analyser did not exit"
    exiting = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    exiting.bind(socket_path)
    exiting.listen()

    def accept_once_then_exit():
        connection, _ = exiting.accept()
        connection.close()
        exiting.close()
        os.unlink(socket_path)

    closer = threading.Thread(target=accept_once_then_exit)
    closer.start()
    assert client.tokenize(["옵티마이저"]) == inline(["옵티마이저"])
    closer.join(timeout=60)
    assert len(analyser_pids(socket_path)) == 1


def test_a_malformed_request_is_answered_with_an_error_and_the_next_one_works(socket_path):
    client = analyser.Client(socket_path, idle_s=120)
    client.tokenize(["드롭아웃"])  # starts it
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(socket_path)
        stream = sock.makefile("rwb")
        for request, error in ((b'{"words": 1}\n', "a JSON list of words"), (b"not json\n", "Expecting value"),
                               (json.dumps(["가" * 1001]).encode() + b"\n", "at most")):
            stream.write(request)
            stream.flush()
            assert error in json.loads(stream.readline())["error"]
        stream.write(json.dumps(["드롭아웃을"], ensure_ascii=False).encode() + b"\n")
        stream.flush()
        assert [list(map(tuple, t)) for t in json.loads(stream.readline())] == inline(["드롭아웃을"])


def test_without_an_analyser_the_worker_analyses_in_process_and_says_why(settings, monkeypatch, caplog, tmp_path):
    settings.SEARCH_KIWI = "process"
    settings.SEARCH_KIWI_SOCKET = str(tmp_path / "no such directory" / "a.sock")  # cannot be created
    monkeypatch.setattr(morphology, "_kiwi_tokens", {})
    monkeypatch.setattr(morphology, "_client", None)
    with caplog.at_level(logging.WARNING, logger="concepts.search.morphology"):
        assert morphology.kiwi_tokens("정규화를") == tuple(inline(["정규화를"])[0])
    assert "did not answer" in caplog.text and "analysing Korean in this process instead" in caplog.text


def test_an_unknown_analyser_mode_is_refused_with_the_setting_named(settings, monkeypatch):
    settings.SEARCH_KIWI = "remote"
    monkeypatch.setattr(morphology, "_kiwi_tokens", {})
    with pytest.raises(ValueError, match="SEARCH_KIWI is 'remote': it must be 'process' or 'inline'"):
        morphology.kiwi_tokens("정규화를")


def test_a_socket_another_user_owns_is_never_asked(socket_path):
    Path(socket_path).write_text("")  # stands where the analyser's socket would be
    try:
        os.chown(socket_path, 65534, 65534)  # nobody's
    except PermissionError:
        pytest.skip("changing a file's owner needs root")
    with pytest.raises(analyser.AnalyserUnavailable, match="belongs to another user"):
        analyser.Client(socket_path, idle_s=5).tokenize(["정규화"])
    assert not analyser_pids(socket_path)  # and none was started in its place
