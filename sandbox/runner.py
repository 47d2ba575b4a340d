"""Run a registered demo with limits, and cache what it returns.

`run_demo(key, raw_params)` is the one entry point the API, the pages, the admin
preview and the management command share:

1. validate the parameters (`registry.validated_params`); bad input raises
   `ParameterError` with a message per field and nothing runs;
2. look the result up in Django's cache under (key, VERSION, canonical params);
3. otherwise run the demo on one torch thread, with a wall-clock timeout that
   really stops it and a cap on the result's size, render its charts to SVG in
   both languages, and cache the lot.

Where the demo runs (setting `SANDBOX_IN_PROCESS`):
- process mode (default): a fresh child process per run, forked by a
  `forkserver` that has torch and matplotlib preloaded (~20 ms to start a job).
  On timeout the child is killed. A signal alarm would not do: it does not
  interrupt a running torch op. Plain `fork` would not do either: a process that
  has run a multi-threaded torch op can hang in a forked child; the forkserver
  itself never runs torch, so its children start clean.
- in-process mode (tests, tools): same validation, cache and size cap, but no
  timeout; torch is still limited to one thread.

Users choose parameters of registered demos only; no user code is ever run.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

from django.conf import settings
from django.core.cache import cache

from sandbox import registry

LANGS = ("ko", "en")
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_RESULT_BYTES = 2_000_000
DEFAULT_CACHE_TTL_S = 7 * 24 * 3600  # versions invalidate entries; the TTL only bounds space
DEFAULT_MAX_WORKERS = 4
SEED = 0  # demos are deterministic; every run uses the same seed
# Imported once by the forkserver, so that no child pays for them. Besides torch and
# matplotlib: sympy (via symbolic_shapes, imported on the first meta-device or
# _refs op) and torch._dynamo (imported on the first optimizer step) cost ~0.4 s
# and ~0.8 s when a child has to import them itself.
_PRELOAD = [
    "torch",
    "torch.fx.experimental.symbolic_shapes",
    "torch._dynamo",
    "matplotlib",
    "sandbox.charts",
    "sandbox.runner",
]


class SandboxError(Exception):
    """A demo could not be run; `str(exc)` is a message fit to show a user."""


class ParameterError(SandboxError):
    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name}: {msg}" for name, msg in self.errors.items()))


class DemoTimeout(SandboxError):
    def __init__(self, key: str, timeout_s: float, pid: int | None = None):
        self.key, self.timeout_s, self.pid = key, timeout_s, pid
        super().__init__(f"Demo {key!r} did not finish within {timeout_s:g} s and was stopped.")


class DemoBusy(SandboxError):
    pass


class ResultTooLarge(SandboxError):
    pass


class DemoFailed(SandboxError):
    pass


class UnknownDemo(SandboxError, registry.UnknownDemo):
    """No demo has this key (caught as either a SandboxError or the registry's UnknownDemo)."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(f"Unknown demo {key!r}.")

    def __str__(self) -> str:  # KeyError's would wrap the message in quotes
        return f"Unknown demo {self.key!r}."


def _get(key: str):
    try:
        return registry.get(key)
    except registry.UnknownDemo:
        raise UnknownDemo(key) from None


@dataclass(frozen=True)
class RunOutcome:
    """A demo's result plus its charts as SVG, in both languages."""

    key: str
    version: int
    params: dict[str, Any]
    result: dict[str, Any]  # DemoResult.to_dict(), JSON-safe
    svgs: dict[str, list[str]]  # lang -> one SVG per chart
    cached: bool
    elapsed_ms: float
    lang: str = "ko"
    title: dict[str, str] = field(default_factory=dict)

    @property
    def values(self) -> dict[str, Any]:
        return self.result["values"]

    @property
    def tables(self) -> dict[str, Any]:
        return self.result["tables"]

    @property
    def summary(self) -> str:
        return _pick(self.result.get("summary") or {}, self.lang)

    @property
    def charts(self) -> list[str]:
        return self.svgs.get(self.lang) or self.svgs.get("en") or []

    def as_dict(self) -> dict[str, Any]:
        """What the API returns: one language picked for the summary and the charts."""
        return {
            "key": self.key,
            "version": self.version,
            "lang": self.lang,
            "params": self.params,
            "values": self.values,
            "tables": self.tables,
            "summary": self.summary,
            "charts": self.charts,
            "cached": self.cached,
            "elapsed_ms": round(self.elapsed_ms, 2),
        }


def describe(key: str) -> dict[str, Any]:
    """A demo's catalogue entry: key, title, description, version and parameter schema (no torch import)."""
    demo = _get(key)
    return {
        "key": key,
        "title": dict(demo.TITLE),
        "description": dict(demo.DESCRIPTION),
        "version": demo.VERSION,
        "params": [p.as_schema() for p in demo.PARAMS],
    }


def list_demos() -> list[dict[str, Any]]:
    return [describe(key) for key in registry.DEMOS]


def run_demo(
    key: str,
    raw_params: Mapping[str, Any] | None = None,
    *,
    lang: str | None = None,
    refresh: bool = False,
) -> RunOutcome:
    """Validate, then serve from the cache or run. `refresh=True` always runs (and re-caches)."""
    started = time.perf_counter()
    run = prepare(key, raw_params, lang=lang)
    if not refresh:
        hit = cached(run, started=started)
        if hit is not None:
            return hit
    payload = _run(key, run.module_path, run.params)
    cache.set(run.cache_key, payload, _setting("SANDBOX_CACHE_TTL_S", DEFAULT_CACHE_TTL_S))
    return run.outcome(payload, cached=False, started=started)


@dataclass(frozen=True)
class PreparedRun:
    """A validated request to run a demo: what `run_demo` and the job queue (sandbox/jobs.py) share."""

    key: str
    version: int
    params: dict[str, Any]
    lang: str
    title: dict[str, str]
    module_path: str
    cache_key: str

    def outcome(self, payload: Mapping[str, Any], *, cached: bool, started: float) -> RunOutcome:
        elapsed = (time.perf_counter() - started) * 1000
        return RunOutcome(key=self.key, version=self.version, params=self.params, lang=self.lang, title=self.title,
                          result=payload["result"], svgs=payload["svgs"], cached=cached, elapsed_ms=elapsed)


def prepare(key: str, raw_params: Mapping[str, Any] | None = None, *, lang: str | None = None) -> PreparedRun:
    """Validate the key and parameters (UnknownDemo, ParameterError) and pick the language; runs nothing."""
    demo = _get(key)
    if raw_params is not None and not isinstance(raw_params, Mapping):
        raise ParameterError({"params": "must be an object mapping parameter names to values"})
    params, errors = registry.validated_params(key, raw_params or {})
    if errors:
        raise ParameterError(errors)
    lang = lang if lang in LANGS else _setting("LANGUAGE_CODE", "ko")[:2]
    lang = lang if lang in LANGS else "en"
    return PreparedRun(key=key, version=demo.VERSION, params=params, lang=lang, title=dict(demo.TITLE),
                       module_path=demo.__name__, cache_key=cache_key(key, demo.VERSION, params))


def cached(run: PreparedRun, *, started: float | None = None) -> RunOutcome | None:
    """The cached outcome of this run, or None."""
    started = time.perf_counter() if started is None else started
    hit = cache.get(run.cache_key)
    return None if hit is None else run.outcome(hit, cached=True, started=started)


def cache_key(key: str, version: int, params: Mapping[str, Any]) -> str:
    canonical = json.dumps([key, version, params], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sandbox:run:" + hashlib.sha256(canonical.encode()).hexdigest()


def warm_up() -> None:
    """Do the slow imports now rather than in the first run: start the forkserver (~3 s), or in-process import them."""
    if _setting("SANDBOX_IN_PROCESS", False):
        for name in _PRELOAD:
            importlib.import_module(name)
    else:
        proc = _context().Process(target=_noop, daemon=True)
        proc.start()
        proc.join()


# --- running ---------------------------------------------------------------


def _run(key: str, module_path: str, params: dict[str, Any]) -> dict[str, Any]:
    max_bytes = _setting("SANDBOX_MAX_RESULT_BYTES", DEFAULT_MAX_RESULT_BYTES)
    if _setting("SANDBOX_IN_PROCESS", False):
        try:
            return execute(module_path, params, SEED, max_bytes)
        except SandboxError:
            raise
        except Exception as exc:
            raise DemoFailed(f"Demo {key!r} failed: {type(exc).__name__}: {exc}") from exc
    timeout = float(_setting("SANDBOX_TIMEOUT_S", DEFAULT_TIMEOUT_S))
    if not _slots().acquire(timeout=timeout):
        raise DemoBusy("Too many demos are running right now; try again in a moment.")
    try:
        return _run_in_child(key, module_path, params, max_bytes, timeout)
    finally:
        _slots().release()


def execute(module_path: str, params: dict[str, Any], seed: int, max_bytes: int) -> dict[str, Any]:
    """Run the demo and render its charts (in whatever process calls this). The payload is JSON-safe."""
    import torch

    torch.set_num_threads(1)
    demo = importlib.import_module(module_path)
    result = demo.run(dict(params), seed=seed)

    from sandbox import charts  # matplotlib loads only where demos actually run

    payload = {
        "result": json_safe(result.to_dict()),
        "svgs": {lang: charts.render_all(result.charts, lang) for lang in LANGS},
    }
    size = len(json.dumps(payload, ensure_ascii=False, allow_nan=False).encode())
    if size > max_bytes:
        raise ResultTooLarge(f"The demo's result is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit.")
    return payload


def _run_in_child(key: str, module_path: str, params: dict[str, Any], max_bytes: int, timeout: float) -> dict:
    from multiprocessing.connection import wait

    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, module_path, params, SEED, max_bytes), daemon=True)
    proc.start()  # returns once the child exists; the clock starts here
    sender.close()
    deadline = time.monotonic() + timeout
    try:
        message = None
        while message is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DemoTimeout(key, timeout, proc.pid)
            ready = wait([receiver, proc.sentinel], remaining)
            if receiver in ready:
                try:
                    message = receiver.recv()
                except EOFError:  # the child died before it could answer
                    message = ("error", "DemoFailed", f"the worker exited with code {_exitcode(proc)}")
            elif proc.sentinel in ready and not receiver.poll():
                message = ("error", "DemoFailed", f"the worker exited with code {_exitcode(proc)}")
    finally:
        receiver.close()
        _stop(proc)
    if message[0] == "ok":
        return message[1]
    _, kind, text = message
    if kind == "ResultTooLarge":
        raise ResultTooLarge(text)
    raise DemoFailed(f"Demo {key!r} failed: {kind}: {text}")


def _child(conn, module_path: str, params: dict[str, Any], seed: int, max_bytes: int) -> None:
    try:
        message = ("ok", execute(module_path, params, seed, max_bytes))
    except BaseException as exc:  # report everything; the parent turns it into DemoFailed
        message = ("error", type(exc).__name__, str(exc))
    conn.send(message)
    conn.close()


def _noop() -> None:
    pass


def _stop(proc) -> None:
    """Make sure the child is gone and reaped. SIGKILL: a torch op cannot ignore it, and once the
    answer is in (or the time is up) nothing the child still has to do matters."""
    if proc.is_alive():
        proc.kill()
    proc.join(timeout=5)
    if not proc.is_alive():
        proc.close()


def _exitcode(proc) -> int | None:
    proc.join(timeout=1)
    return proc.exitcode


_ctx = None
_ctx_lock = threading.Lock()
_slots_sem: threading.BoundedSemaphore | None = None


def _context():
    global _ctx
    with _ctx_lock:
        if _ctx is None:
            import multiprocessing

            ctx = multiprocessing.get_context("forkserver")
            # Demo modules are not preloaded: they are small, and one broken module
            # (anything but ImportError) would take the forkserver down with it.
            ctx.set_forkserver_preload(_PRELOAD)
            _ctx = ctx
    return _ctx


def _slots() -> threading.BoundedSemaphore:
    """At most SANDBOX_MAX_WORKERS children per server process at once."""
    global _slots_sem
    with _ctx_lock:
        if _slots_sem is None:
            _slots_sem = threading.BoundedSemaphore(int(_setting("SANDBOX_MAX_WORKERS", DEFAULT_MAX_WORKERS)))
    return _slots_sem


# --- helpers ---------------------------------------------------------------


def json_safe(value: Any) -> Any:
    """Plain JSON types; NaN and infinities become None (strict JSON has no such numbers)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if hasattr(value, "item"):  # a numpy or torch scalar that slipped through
        return json_safe(value.item())
    raise TypeError(f"not JSON data: {type(value).__name__}")


def _pick(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en") or texts.get("ko") or ""


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)
