"""Kiwi's tokens of Korean words, for this process: asked of the host's analyser process
(`concepts.search.analyser`, SEARCH_KIWI = "process", the default) or of Kiwi loaded here
("inline", or when the analyser cannot be reached), and kept per word."""

from __future__ import annotations

import logging
import threading

from concepts.search import analyser

_log = logging.getLogger(__name__)
_kiwi_tokens: dict[str, tuple] = {}  # word -> Kiwi's tokens, as the analyser gave them (bounded below)
_KIWI_TOKENS_MAX = 200_000
_kiwi_lock = threading.Lock()
_inline_kiwi = None
_client = None


def _analyser_settings() -> tuple[str, str, float]:
    """(mode, socket path, idle seconds): Django's settings when configured, else Kiwi in this process."""
    from django.conf import settings

    if settings.configured:
        return (settings.SEARCH_KIWI, settings.SEARCH_KIWI_SOCKET or analyser.default_socket_path(),
                settings.SEARCH_KIWI_IDLE_S)
    return "inline", "", analyser.DEFAULT_IDLE_S


def _inline(words: list[str]) -> list[list]:
    global _inline_kiwi
    with _kiwi_lock:
        if _inline_kiwi is None:
            _inline_kiwi = analyser.build_kiwi()
        return analyser.tokenize_with(_inline_kiwi, words)


def _analyse(words: list[str]) -> list[list]:
    """Kiwi's tokens for each word: from the host's analyser process (`concepts.search.analyser`), or
    from Kiwi loaded here when SEARCH_KIWI is "inline" or the analyser cannot be reached."""
    global _client
    mode, path, idle_s = _analyser_settings()
    if mode == "process":
        if _client is None or _client.path != path:
            _client = analyser.Client(path, idle_s)
        try:
            return _client.tokenize(words)
        except analyser.AnalyserUnavailable as error:
            _log.warning("%s; analysing Korean in this process instead (about 300 MB more memory)", error)
    elif mode != "inline":
        raise ValueError(f"SEARCH_KIWI is {mode!r}: it must be 'process' or 'inline'")
    return _inline(words)


def prime_korean(words) -> None:
    """Ask Kiwi about every one of `words` not yet known, in one request (the index's build)."""
    unknown = set(words) - _kiwi_tokens.keys()
    if unknown:
        _remember(sorted(unknown))


def _remember(words: list[str]) -> dict[str, tuple]:
    answers = dict(zip(words, map(tuple, _analyse(words))))
    if len(_kiwi_tokens) + len(answers) > _KIWI_TOKENS_MAX:
        _kiwi_tokens.clear()
    _kiwi_tokens.update(answers)
    return answers


def kiwi_tokens(word: str) -> tuple:
    """Kiwi's tokens of one word, as (form, tag, start, length)."""
    tokens = _kiwi_tokens.get(word)
    return tokens if tokens is not None else _remember([word])[word]
