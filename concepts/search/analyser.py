"""Kiwi, the Korean morphological analyser, in one process per host that every web worker asks.

Kiwi's model costs about 300 MB of memory in each process that loads it, which would more than
double a web worker (issue 11: a worker that serves pages stays under 200 MB). So by default
(`SEARCH_KIWI = "process"`) no worker loads it: the first one that needs a Korean word analysed
starts `python -m concepts.search.analyser` on a Unix socket (its name carries a hash of Kiwi's
version and of the words added to its dictionary, so a changed analyser never answers for an old
one) and every worker on the host then sends it words and gets Kiwi's tokens back. Words are
analysed once per worker (`terms` keeps what it was told), and the search index asks for all
of its words in one batch.

The analyser exits after `SEARCH_KIWI_IDLE_S` seconds without a request; the next word starts
it again (a second or two, hidden by the library page's warm-up). If it cannot be started or
reached, the worker logs why and loads Kiwi itself ("inline"), so search answers the same, only
at the old memory cost. `SEARCH_KIWI = "inline"` always does that (the tests do, apart from the
ones that test this module).

Protocol, one JSON line each way: a list of words in; a list of token lists out, a token being
[form, tag, start, length] as Kiwi gives it; or {"error": "..."} for a malformed request.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

_log = logging.getLogger(__name__)

Token = tuple[str, str, int, int]

#: the field's loanwords and terms, nouns as written (Kiwi would read "에폭을" as 에 + 폭)
KIWI_NOUNS = """
에폭 에포크 이터레이션 옵티마이저 렐루 리키렐루 시그모이드 소프트맥스 드롭아웃 오버피팅 언더피팅 하이퍼파라미터
그래디언트 미니배치 역전파 순전파 과적합 과소적합 은닉층 퍼셉트론 텐서플로 파이토치 배치 정규화 활성화 초기화
전이 조기 음수 메타 항등 완전 닷
""".split()
#: a request's limits: more words or longer ones are refused, not cut (a search query is at most 300 characters)
MAX_WORDS = 100_000
MAX_WORD_LENGTH = 1_000
#: how long a worker waits for a starting analyser (loading Kiwi takes 1-2 s, far more on a busy machine)
START_TIMEOUT_S = 120.0
DEFAULT_IDLE_S = 900.0


def build_kiwi():
    """Kiwi, loaded (about a second) from the model pip installed with kiwipiepy-model: nothing is
    downloaded at run time. Without the typo and multi-word dictionaries it loads in a third of the
    time, and search corrects typos itself."""
    from kiwipiepy import Kiwi

    analyser = Kiwi(num_workers=-1, load_typo_dict=False, load_multi_dict=False)  # analyse in the calling thread
    for word in KIWI_NOUNS:
        analyser.add_user_word(word, "NNG")
    return analyser


def tokenize_with(kiwi, words: list[str]) -> list[list[Token]]:
    return [[(t.form, t.tag, t.start, t.len) for t in kiwi.tokenize(word)] for word in words]


def fingerprint() -> str:
    """What decides Kiwi's answers: its version, its model's, the added nouns and this protocol."""
    parts = [metadata.version("kiwipiepy"), metadata.version("kiwipiepy_model"), " ".join(KIWI_NOUNS), "1"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def default_socket_path() -> str:
    return str(Path(tempfile.gettempdir()) / f"dlprep-kiwi-{os.getuid()}-{fingerprint()}.sock")


# ---------------------------------------------------------------------------------------------- server

class _Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

    def __init__(self, path: str, kiwi, idle_s: float):
        self.kiwi = kiwi
        self.kiwi_lock = threading.Lock()  # one analysis at a time: a word takes microseconds
        self.idle_s = idle_s
        self.last_request = time.monotonic()
        self.in_flight = 0  # requests read and not yet answered: the analyser never exits under one
        self.count_lock = threading.Lock()
        super().__init__(path, _Handler)

    def idle_for(self) -> float:
        return 0.0 if self.in_flight else time.monotonic() - self.last_request


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server: _Server = self.server  # type: ignore[assignment]
        server.last_request = time.monotonic()  # a new connection counts: its request is on the way
        for line in self.rfile:
            with server.count_lock:
                server.in_flight += 1
            try:
                self.wfile.write(json.dumps(self.answer(server, line), ensure_ascii=False).encode() + b"\n")
                self.wfile.flush()
            finally:
                with server.count_lock:
                    server.in_flight -= 1
                    server.last_request = time.monotonic()

    @staticmethod
    def answer(server: _Server, line: bytes) -> object:
        try:
            words = json.loads(line)
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise ValueError("a request is a JSON list of words (strings)")
            if len(words) > MAX_WORDS or any(len(w) > MAX_WORD_LENGTH for w in words):
                raise ValueError(f"at most {MAX_WORDS} words of at most {MAX_WORD_LENGTH} characters each")
            with server.kiwi_lock:
                return tokenize_with(server.kiwi, words)
        except ValueError as error:  # json.JSONDecodeError included
            return {"error": str(error)}


def serve(path: str, idle_s: float) -> None:
    """Load Kiwi, then listen on `path` (mode 0600: this user's processes only) until idle for `idle_s`."""
    kiwi = build_kiwi()  # before binding: a worker that can connect finds Kiwi ready
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # a dead analyser's socket (the worker that started us holds the start lock)
    old_umask = os.umask(0o177)
    try:
        server = _Server(path, kiwi, idle_s)
    finally:
        os.umask(old_umask)
    ours = os.stat(path).st_ino

    def stop_when_idle() -> None:
        server.last_request = time.monotonic()  # the idle clock starts when we listen, not when Kiwi began loading
        while server.idle_for() < server.idle_s:
            time.sleep(min(5.0, max(0.05, server.idle_s / 10)))
        server.shutdown()

    threading.Thread(target=stop_when_idle, daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        with contextlib.suppress(FileNotFoundError):
            if os.stat(path).st_ino == ours:  # not a newer analyser's socket
                os.unlink(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Kiwi for every web worker on this host (concepts.search.analyser)")
    parser.add_argument("--socket", default=default_socket_path())
    parser.add_argument("--idle", type=float, default=DEFAULT_IDLE_S, help="exit after this many idle seconds")
    args = parser.parse_args(argv)
    serve(args.socket, args.idle)


# ---------------------------------------------------------------------------------------------- client

class AnalyserUnavailable(RuntimeError):
    pass


class Client:
    """A worker's connection to the host's analyser, started on first use; one connection per thread."""

    def __init__(self, path: str, idle_s: float = DEFAULT_IDLE_S, start_timeout_s: float = START_TIMEOUT_S):
        self.path, self.idle_s, self.start_timeout_s = path, idle_s, start_timeout_s
        self._local = threading.local()

    def tokenize(self, words: list[str]) -> list[list[Token]]:
        if not words:
            return []
        request = json.dumps(words, ensure_ascii=False).encode() + b"\n"
        fresh_failures = 0
        while True:
            # a kept connection may be dead (the analyser idled out since our last request): that costs no
            # try. A fresh connection can meet an analyser in the instant it exits idle: three tries, a
            # moment apart, so that the exiting one has closed its socket and the next try starts a new one.
            reused = getattr(self._local, "stream", None) is not None
            try:
                answer = self._ask(request)
                break
            except OSError:
                self._close()
                if reused:
                    continue
                fresh_failures += 1
                if fresh_failures == 3:
                    raise AnalyserUnavailable(f"the Kiwi analyser at {self.path} did not answer") from None
                time.sleep(0.2 * fresh_failures)
        if isinstance(answer, dict):
            raise AnalyserUnavailable(f"the Kiwi analyser refused the request: {answer.get('error')}")
        return [[tuple(token) for token in tokens] for tokens in answer]  # type: ignore[misc]

    def _ask(self, request: bytes):
        stream = getattr(self._local, "stream", None)
        if stream is None:
            stream = self._local.stream = self._connect().makefile("rwb")
        stream.write(request)
        stream.flush()
        line = stream.readline()
        if not line:
            raise ConnectionResetError("the analyser closed the connection")
        return json.loads(line)

    def _close(self) -> None:
        stream = getattr(self._local, "stream", None)
        self._local.stream = None
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()

    def _try_connect(self) -> socket.socket | None:
        try:
            owner = os.stat(self.path).st_uid
        except FileNotFoundError:
            return None
        if owner != os.getuid():  # /tmp is shared: never ask (or trust) another user's process
            raise AnalyserUnavailable(f"{self.path} belongs to another user (uid {owner})")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(self.path)
            return sock
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            return None

    def _connect(self) -> socket.socket:
        sock = self._try_connect()
        if sock is not None:
            return sock
        # one worker starts the analyser; the others wait on the lock, then connect to it
        with open(self.path + ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                sock = self._try_connect()
                if sock is None:
                    sock = self._start()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return sock

    def _start(self) -> socket.socket:
        _log.info("starting the Kiwi analyser at %s", self.path)
        errors = tempfile.TemporaryFile()  # what it says if it fails to start; a file, so it never blocks on a pipe
        process = subprocess.Popen(
            [sys.executable, "-m", "concepts.search.analyser", "--socket", self.path, "--idle", str(self.idle_s)],
            cwd=Path(__file__).resolve().parents[2], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=errors, start_new_session=True, close_fds=True,  # outlives this worker, holds none of its pipes
        )
        with errors:
            deadline = time.monotonic() + self.start_timeout_s
            while time.monotonic() < deadline:
                sock = self._try_connect()
                if sock is not None:
                    return sock
                if process.poll() is not None:
                    errors.seek(0)
                    lines = errors.read().decode(errors="replace").strip().splitlines()
                    raise AnalyserUnavailable(f"the Kiwi analyser exited ({process.returncode}): "
                                              f"{lines[-1] if lines else 'no message'}")
                time.sleep(0.05)
        process.kill()
        raise AnalyserUnavailable(f"the Kiwi analyser did not start within {self.start_timeout_s:.0f} s")


if __name__ == "__main__":
    main()
