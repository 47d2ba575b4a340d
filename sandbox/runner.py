"""Run a registered demo: the vocabulary, one verb per step.

1. *prepare* — `prepare(key, params, lang=...)` validates the key and the parameters
   (`registry.validated_params`) and returns a `PreparedRun`; bad input raises
   `ParameterError` with a message per field, and nothing runs.
2. *run* — `sandbox.process.run(prepared)` runs it in a killable child process (or
   here, in in-process mode) with a timeout and a size cap, and returns the payload.
3. *store* — `sandbox.storing.compute(prepared)` runs what is missing and stores the
   result, or the failure with a back-off, in the demo-result store (`sandbox.store`);
   `storing.fill` does it for a batch. `stored_outcome` reads what is stored.

Three callers compose these steps: `run_demo` (here) waits for the outcome (tools,
the admin preview, workers); `sandbox.jobs.request_run` answers a learner at once or
"computing" and finishes in the background; `sandbox.jobs.execute_job` is a queue
worker's side. The catalogue (`describe`, `list_demos`) is `sandbox.registry`'s.

Users choose parameters of registered demos only; no user code is ever run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Mapping

from django.conf import settings

from quizsite.languages import LANGUAGES, resolve
from sandbox import registry, store
from sandbox.errors import (  # noqa: F401  (the runner's errors, as callers name them: runner.ParameterError)
    DemoBusy, DemoFailed, DemoTimeout, ParameterError, ResultTooLarge, SandboxError, UnknownDemo, demo as _demo,
)
from sandbox.process import json_safe  # noqa: F401  (re-exported: results are JSON-safe)
from sandbox.result import pick
from sandbox.storing import compute, fill  # noqa: F401  (the store step, as content loading names it)


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
        return pick(self.result.get("summary") or {}, self.lang)

    @property
    def charts(self) -> list[str]:
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
    demo = _demo(key)
    if raw_params is not None and not isinstance(raw_params, Mapping):
        raise ParameterError({"params": "must be an object mapping parameter names to values"})
    params, errors = registry.validated_params(key, raw_params or {})
    if errors:
        raise ParameterError(errors)
    lang = lang if lang in LANGUAGES else resolve(settings.LANGUAGE_CODE, default="en")
    return PreparedRun(key=key, version=demo.VERSION, params=params, lang=lang, title=dict(demo.TITLE),
                       module_path=demo.__name__, digest=store.digest(key, demo.VERSION, params))


def run_demo(key: str, raw_params: Mapping[str, Any] | None = None, *, lang: str | None = None,
             refresh: bool = False, timeout: float | None = None) -> RunOutcome:
    """Prepare, then read the store or compute here (waiting for the run) and store what it gives.

    For tools, the admin preview and the queue's workers. A failure is stored too and
    raised again without running while its back-off lasts; `refresh=True` always runs.
    Learners' requests go through `sandbox.jobs.request_run`, which never waits long.
    """
    started = time.perf_counter()
    prepared = prepare(key, raw_params, lang=lang)
    if not refresh:
        hit = stored_outcome(prepared, started=started)
        if hit is not None:
            return hit
    stored = compute(prepared, timeout=timeout, chart_langs=(prepared.lang,))
    return prepared.outcome(stored, cached=False, started=started)


def stored_outcome(prepared: PreparedRun, *, started: float | None = None) -> RunOutcome | None:
    """The stored outcome of this run, None if nothing is stored, or the stored failure raised
    again while its back-off lasts."""
    started = time.perf_counter() if started is None else started
    stored = store.get(prepared)
    if not store.usable(stored):
        return None
    if not stored.ok:
        raise (DemoTimeout(prepared.key, 0, message=stored.error) if stored.timed_out else DemoFailed(stored.error))
    return prepared.outcome(stored, cached=True, started=started)


def cached(prepared: PreparedRun, *, started: float | None = None) -> RunOutcome | None:
    """The stored outcome of this run, or None (a remembered failure counts as None here)."""
    try:
        return stored_outcome(prepared, started=started)
    except SandboxError:
        return None


def cache_key(key: str, version: int, params: Mapping[str, Any]) -> str:
    return "sandbox:run:" + store.digest(key, version, params)


def localized(value: Any, lang: str) -> Any:
    """A {ko, en} text in `lang`; anything else as it is."""
    if isinstance(value, dict) and value and set(value) <= set(LANGUAGES):
        return pick(value, lang)
    return value
