"""Run a registered demo with limits, and store what it returns.

1. `prepare` validates the parameters (`registry.validated_params`); bad input
   raises `ParameterError` with a message per field and nothing runs;
2. `stored_outcome` reads the demo-result store (sandbox/store.py) under (key,
   VERSION, canonical params): the database, with the cache in front;
3. `compute` runs the demo on one torch thread, with a wall-clock timeout that
   really stops it and a cap on the result's size, draws its charts in the
   languages asked for, and stores the result, or the failure with a back-off.

`run_demo` does all three and waits (tools, the admin preview, workers, content
loading); a learner's request goes through `sandbox.jobs.request_run`, which waits
only briefly and otherwise answers "computing". `compute_many` fills the store for
content in a batch, with a budget meant for a slow machine.

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

import importlib
import json
import os
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

from django.conf import settings

from sandbox import registry

LANGS = ("ko", "en")
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_RESULT_BYTES = 2_000_000
DEFAULT_MAX_WORKERS = 4
DEFAULT_BATCH_TIMEOUT_S = 300.0  # per run, when content is loaded: fits a slow, busy machine
SEED = 0  # demos are deterministic; every run uses the same seed
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
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
    def __init__(self, key: str, timeout_s: float, pid: int | None = None, *, message: str | None = None):
        self.key, self.timeout_s, self.pid = key, timeout_s, pid
        super().__init__(message or f"Demo {key!r} did not finish within {timeout_s:g} s and was stopped.")


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
    """A demo's stored result, shown in one language; its charts are drawn on first use in that language."""

    key: str
    version: int
    params: dict[str, Any]
    result: dict[str, Any]  # DemoResult.to_dict(), JSON-safe
    cached: bool  # True when the result was already stored (nothing ran for this request)
    elapsed_ms: float
    lang: str = "ko"
    title: dict[str, str] = field(default_factory=dict)
    stored: Any = None  # the StoredResult row the result came from

    @property
    def values(self) -> dict[str, Any]:
        return self.result["values"]

    @property
    def tables(self) -> dict[str, Any]:
        """Tables with every {ko, en} header or cell shown in this outcome's language."""
        return {name: {"columns": [localized(c, self.lang) for c in table["columns"]],
                       "rows": [[localized(cell, self.lang) for cell in row] for row in table["rows"]]}
                for name, table in self.result["tables"].items()}

    @property
    def summary(self) -> str:
        return _pick(self.result.get("summary") or {}, self.lang)

    @property
    def charts(self) -> list[str]:
        from sandbox import store

        return store.charts(self.stored, self.lang) if self.stored is not None else []

    def as_dict(self, *, charts: bool = True) -> dict[str, Any]:
        """What the API returns: one language picked for the summary and the charts."""
        payload = {
            "key": self.key,
            "version": self.version,
            "lang": self.lang,
            "params": self.params,
            "values": self.values,
            "tables": self.tables,
            "summary": self.summary,
            "cached": self.cached,
            "elapsed_ms": round(self.elapsed_ms, 2),
        }
        if charts:
            payload["charts"] = self.charts
        return payload


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
    timeout: float | None = None,
) -> RunOutcome:
    """Validate, then read the store or run here (waiting for the run) and store what it gives.

    For tools, the admin preview and the queue's workers. A failure is stored too and
    raised again without running while its back-off lasts; `refresh=True` always runs.
    Learners' requests go through `sandbox.jobs.request_run`, which never waits long.
    """
    started = time.perf_counter()
    run = prepare(key, raw_params, lang=lang)
    if not refresh:
        hit = stored_outcome(run, started=started)
        if hit is not None:
            return hit
    stored = compute(run, timeout=timeout, chart_langs=(run.lang,))
    return run.outcome(stored, cached=False, started=started)


@dataclass(frozen=True)
class PreparedRun:
    """A validated request to run a demo: what `run_demo`, the store and the job queue share."""

    key: str
    version: int
    params: dict[str, Any]
    lang: str
    title: dict[str, str]
    module_path: str
    digest: str  # sandbox.store.digest(key, version, params)

    @property
    def cache_key(self) -> str:
        return "sandbox:run:" + self.digest

    def outcome(self, stored, *, cached: bool, started: float) -> RunOutcome:
        elapsed = (time.perf_counter() - started) * 1000
        return RunOutcome(key=self.key, version=self.version, params=self.params, lang=self.lang, title=self.title,
                          result=stored.result, cached=cached, elapsed_ms=elapsed, stored=stored)


def prepare(key: str, raw_params: Mapping[str, Any] | None = None, *, lang: str | None = None) -> PreparedRun:
    """Validate the key and parameters (UnknownDemo, ParameterError) and pick the language; runs nothing."""
    from sandbox.store import digest

    demo = _get(key)
    if raw_params is not None and not isinstance(raw_params, Mapping):
        raise ParameterError({"params": "must be an object mapping parameter names to values"})
    params, errors = registry.validated_params(key, raw_params or {})
    if errors:
        raise ParameterError(errors)
    lang = lang if lang in LANGS else _setting("LANGUAGE_CODE", "ko")[:2]
    lang = lang if lang in LANGS else "en"
    return PreparedRun(key=key, version=demo.VERSION, params=params, lang=lang, title=dict(demo.TITLE),
                       module_path=demo.__name__, digest=digest(key, demo.VERSION, params))


def stored_outcome(run: PreparedRun, *, started: float | None = None) -> RunOutcome | None:
    """The stored outcome of this run, None if nothing is stored, or the stored failure raised
    again while its back-off lasts."""
    from sandbox import store

    started = time.perf_counter() if started is None else started
    stored = store.get(run)
    if not store.usable(stored):
        return None
    if not stored.ok:
        raise (DemoTimeout(run.key, 0, message=stored.error) if stored.timed_out else DemoFailed(stored.error))
    return run.outcome(stored, cached=True, started=started)


def cached(run: PreparedRun, *, started: float | None = None) -> RunOutcome | None:
    """The stored outcome of this run, or None (a remembered failure counts as None here)."""
    try:
        return stored_outcome(run, started=started)
    except SandboxError:
        return None


def cache_key(key: str, version: int, params: Mapping[str, Any]) -> str:
    from sandbox.store import digest

    return "sandbox:run:" + digest(key, version, params)


def compute(run: PreparedRun, *, timeout: float | None = None, chart_langs: tuple[str, ...] = ()):
    """Run the demo now (in a killable child, or in-process) and store the result or the failure.

    Returns the StoredResult; raises the SandboxError after storing it. `chart_langs` are drawn
    in the same run (the child has matplotlib loaded already); others are drawn on first use.
    """
    return _store(run, _attempt(run, timeout, chart_langs))


def compute_many(runs, *, timeout: float | None = None, workers: int = 2,
                 chart_langs: tuple[str, ...] = ()) -> dict[str, Any]:
    """Compute several runs, `workers` children at a time; returns digest -> StoredResult or SandboxError.

    For filling the store in a batch (content loading, `run_demos`): the children run in
    threads, every database write happens in the calling thread (so a test's transaction
    sees them). In-process mode computes one after the other.
    """
    unique = list({run.digest: run for run in runs}.values())
    if _setting("SANDBOX_IN_PROCESS", False) or workers <= 1 or len(unique) <= 1:
        attempts = ((run, _attempt(run, timeout, chart_langs)) for run in unique)
        return {run.digest: _stored_or_error(run, attempt) for run, attempt in attempts}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="demo-batch") as pool:
        futures = [(run, pool.submit(_attempt, run, timeout, chart_langs)) for run in unique]
        return {run.digest: _stored_or_error(run, future.result()) for run, future in futures}


def fill(runs, *, charts: bool = False, timeout: float | None = None,
         workers: int | None = None) -> tuple[dict[str, Any], int]:
    """Make sure every run's result is stored: (digest -> StoredResult or SandboxError, runs computed).

    What is stored already is read in one query and not run again; what is missing (or
    failed before) is computed with the batch budget SANDBOX_BATCH_TIMEOUT_S per run,
    meant for a slow, busy machine rather than a learner's request. `charts=True` also
    draws every result's charts in both languages (in the same child where it runs).
    """
    from sandbox import store

    runs = list({run.digest: run for run in runs}.values())
    found = store.get_many((run.digest for run in runs), use_cache=False)  # the database decides what is stored
    results: dict[str, Any] = {d: s for d, s in found.items() if s.ok}
    missing = [run for run in runs if run.digest not in results]
    timeout = timeout if timeout is not None else _setting("SANDBOX_BATCH_TIMEOUT_S", DEFAULT_BATCH_TIMEOUT_S)
    workers = workers if workers is not None else _setting("SANDBOX_BATCH_WORKERS", 2)
    results |= compute_many(missing, timeout=timeout, workers=workers, chart_langs=LANGS if charts else ())
    if charts:
        _draw_missing_charts([s for s in results.values() if not isinstance(s, SandboxError)], runs, timeout, workers)
    return results, len(missing)


def _draw_missing_charts(rows, runs, timeout: float, workers: int) -> None:
    """Draw the charts stored results lack, in both languages, `workers` children at a time."""
    from sandbox import store

    by_digest = {run.digest: run for run in runs}
    todo = [(row, [lang for lang in LANGS if row.charts(lang) is None]) for row in rows]
    todo = [(row, langs) for row, langs in todo if langs and row.digest in by_digest]

    def draw(row, langs):
        run = by_digest[row.digest]
        try:
            return _run(run.key, run.module_path, run.params, timeout=timeout, chart_langs=tuple(langs),
                        stored=row.result)["svgs"]
        except SandboxError:
            return {}  # drawn on first view instead

    if _setting("SANDBOX_IN_PROCESS", False) or workers <= 1:
        drawn = [draw(row, langs) for row, langs in todo]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="demo-charts") as pool:
            drawn = list(pool.map(lambda item: draw(*item), todo))
    for (row, _), svgs in zip(todo, drawn):
        store.save_charts(row, svgs)


def _attempt(run: PreparedRun, timeout: float | None, chart_langs: tuple[str, ...]) -> dict[str, Any] | SandboxError:
    """The demo's payload (from this process's memo, or run now), or the error it ended with. No database."""
    from sandbox import store

    payload = store.memo_get("result", run.digest)
    if payload is not None and all(lang in payload.get("svgs", {}) for lang in chart_langs):
        return payload
    started = time.perf_counter()
    try:
        payload = _run(run.key, run.module_path, run.params, timeout=timeout, chart_langs=chart_langs)
    except SandboxError as exc:
        exc.duration_ms = (time.perf_counter() - started) * 1000
        return exc
    payload["duration_ms"] = (time.perf_counter() - started) * 1000
    store.memo_put("result", run.digest, payload)
    return payload


def _store(run: PreparedRun, attempt: dict[str, Any] | SandboxError):
    """Store a payload (returning the row) or a failure (raising it again after storing it)."""
    from sandbox import store

    if isinstance(attempt, SandboxError):
        if isinstance(attempt, (DemoTimeout, DemoFailed, ResultTooLarge)):  # not DemoBusy: nothing ran
            store.put_failure(run, str(attempt), timed_out=isinstance(attempt, DemoTimeout),
                              duration_ms=getattr(attempt, "duration_ms", None))
        raise attempt
    return store.put(run, attempt["result"], duration_ms=attempt["duration_ms"], svgs=attempt.get("svgs"))


def _stored_or_error(run: PreparedRun, attempt):
    try:
        return _store(run, attempt)
    except SandboxError as exc:
        return exc


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


def _run(key: str, module_path: str, params: dict[str, Any], *, timeout: float | None = None,
         chart_langs: tuple[str, ...] = (), stored: dict[str, Any] | None = None) -> dict[str, Any]:
    max_bytes = _setting("SANDBOX_MAX_RESULT_BYTES", DEFAULT_MAX_RESULT_BYTES)
    if _setting("SANDBOX_IN_PROCESS", False):
        try:
            return execute(module_path, params, SEED, max_bytes, chart_langs, stored)
        except SandboxError:
            raise
        except Exception as exc:
            raise DemoFailed(f"Demo {key!r} failed: {type(exc).__name__}: {exc}") from exc
    timeout = float(timeout if timeout is not None else _setting("SANDBOX_TIMEOUT_S", DEFAULT_TIMEOUT_S))
    if not _slots().acquire(timeout=timeout):
        raise DemoBusy("Too many demos are running right now; try again in a moment.")
    try:
        return _run_in_child(key, module_path, params, max_bytes, timeout, chart_langs, stored)
    finally:
        _slots().release()


def execute(module_path: str, params: dict[str, Any], seed: int, max_bytes: int,
            chart_langs: tuple[str, ...] = (), stored: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the demo (in whatever process calls this), and draw its charts in `chart_langs`. JSON-safe.

    With `stored` (a result computed before), nothing runs: only its charts are drawn.
    """
    if stored is None:
        import torch

        torch.set_num_threads(1)
        demo = importlib.import_module(module_path)
        result = json_safe(demo.run(dict(params), seed=seed).to_dict())
    else:
        result = stored
    payload: dict[str, Any] = {"result": result}
    if chart_langs:
        from sandbox import charts  # matplotlib loads only where charts are drawn

        payload["svgs"] = {lang: charts.render_all(result.get("charts") or [], lang) for lang in chart_langs}
    size = len(json.dumps(payload, ensure_ascii=False, allow_nan=False).encode())
    if size > max_bytes:
        raise ResultTooLarge(f"The demo's result is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit.")
    return payload


def _run_in_child(key: str, module_path: str, params: dict[str, Any], max_bytes: int, timeout: float,
                  chart_langs: tuple[str, ...] = (), stored: dict[str, Any] | None = None) -> dict:
    from multiprocessing.connection import wait

    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, module_path, params, SEED, max_bytes, chart_langs, stored),
                       daemon=True)
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


def _child(conn, module_path: str, params: dict[str, Any], seed: int, max_bytes: int,
           chart_langs: tuple[str, ...] = (), stored: dict[str, Any] | None = None) -> None:
    try:
        message = ("ok", execute(module_path, params, seed, max_bytes, chart_langs, stored))
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

            # numpy's BLAS picks its own thread count (one per core): on a busy 2-core machine that made
            # numpy demos ~3x slower. Children inherit the forkserver's environment, set before it starts.
            for name in BLAS_THREAD_VARIABLES:
                os.environ.setdefault(name, "1")
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


def localized(value: Any, lang: str) -> Any:
    """A {ko, en} text in `lang`; anything else as it is."""
    if isinstance(value, dict) and set(value) <= set(LANGS) and value:
        return _pick(value, lang)
    return value


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)
