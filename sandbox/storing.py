"""The runner's *store* step: run what the demo-result store lacks, and store what comes back.

`compute(prepared)` runs one demo now (`sandbox.process.run`) and stores the result,
or the failure with its back-off (`sandbox.store`), returning the StoredResult.
`compute_many` does that for a batch, `workers` children at a time, and `fill` makes
sure a batch is stored (reading first, computing only what is missing), with a
budget meant for a slow, busy machine: what content loading and `run_demos` use.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Iterable

from django.conf import settings

from quizsite.languages import LANGUAGES
from sandbox import process, store
from sandbox.errors import DemoFailed, DemoTimeout, ResultTooLarge, SandboxError

if TYPE_CHECKING:
    from sandbox.runner import PreparedRun


def compute(prepared: PreparedRun, *, timeout: float | None = None, chart_langs: tuple[str, ...] = ()):
    """Run the demo now (in a killable child, or in-process) and store the result or the failure.

    Returns the StoredResult; raises the SandboxError after storing it. `chart_langs` are drawn
    in the same run (the child has matplotlib loaded already); others are drawn on first use.
    """
    return _save(prepared, _attempt(prepared, timeout, chart_langs))


def compute_many(runs: Iterable[PreparedRun], *, timeout: float | None = None, workers: int = 2,
                 chart_langs: tuple[str, ...] = ()) -> dict[str, Any]:
    """Compute several runs, `workers` children at a time; returns digest -> StoredResult or SandboxError.

    The children run in threads, every database write happens in the calling thread (so a
    test's transaction sees them). In-process mode computes one after the other.
    """
    unique = list({run.digest: run for run in runs}.values())
    if settings.SANDBOX_IN_PROCESS or workers <= 1 or len(unique) <= 1:
        attempts = ((run, _attempt(run, timeout, chart_langs)) for run in unique)
        return {run.digest: _saved_or_error(run, attempt) for run, attempt in attempts}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="demo-batch") as pool:
        futures = [(run, pool.submit(_attempt, run, timeout, chart_langs)) for run in unique]
        return {run.digest: _saved_or_error(run, future.result()) for run, future in futures}


def fill(runs: Iterable[PreparedRun], *, charts: bool = False, timeout: float | None = None,
         workers: int | None = None) -> tuple[dict[str, Any], int]:
    """Make sure every run's result is stored: (digest -> StoredResult or SandboxError, runs computed).

    What is stored already is read in one query and not run again; what is missing (or
    failed before) is computed with the batch budget SANDBOX_BATCH_TIMEOUT_S per run,
    meant for a slow, busy machine rather than a learner's request. `charts=True` also
    draws every result's charts in both languages (in the same child where it runs).
    """
    runs = list({run.digest: run for run in runs}.values())
    found = store.get_many((run.digest for run in runs), use_cache=False)  # the database decides what is stored
    results: dict[str, Any] = {d: s for d, s in found.items() if s.ok}
    missing = [run for run in runs if run.digest not in results]
    timeout = timeout if timeout is not None else settings.SANDBOX_BATCH_TIMEOUT_S
    workers = workers if workers is not None else settings.SANDBOX_BATCH_WORKERS
    results |= compute_many(missing, timeout=timeout, workers=workers, chart_langs=LANGUAGES if charts else ())
    if charts:
        _draw_missing_charts([s for s in results.values() if not isinstance(s, SandboxError)], runs, timeout, workers)
    return results, len(missing)


def _draw_missing_charts(rows, runs, timeout: float, workers: int) -> None:
    """Draw the charts stored results lack, in both languages, `workers` children at a time."""
    by_digest = {run.digest: run for run in runs}
    todo = [(row, [lang for lang in LANGUAGES if row.charts(lang) is None]) for row in rows]
    todo = [(row, langs) for row, langs in todo if langs and row.digest in by_digest]

    def draw(row, langs):
        try:
            return process.run(by_digest[row.digest], timeout=timeout, chart_langs=tuple(langs),
                               stored=row.result)["svgs"]
        except SandboxError:
            return {}  # drawn on first view instead

    if settings.SANDBOX_IN_PROCESS or workers <= 1:
        drawn = [draw(row, langs) for row, langs in todo]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="demo-charts") as pool:
            drawn = list(pool.map(lambda item: draw(*item), todo))
    for (row, _), svgs in zip(todo, drawn):
        store.save_charts(row, svgs)


def _attempt(prepared: PreparedRun, timeout: float | None,
             chart_langs: tuple[str, ...]) -> dict[str, Any] | SandboxError:
    """The demo's payload (from this process's memo, or run now), or the error it ended with. No database."""
    payload = store.memo_get("result", prepared.digest)
    if payload is not None and all(lang in payload.get("svgs", {}) for lang in chart_langs):
        return payload
    started = time.perf_counter()
    try:
        payload = process.run(prepared, timeout=timeout, chart_langs=chart_langs)
    except SandboxError as exc:
        exc.duration_ms = (time.perf_counter() - started) * 1000
        return exc
    payload["duration_ms"] = (time.perf_counter() - started) * 1000
    store.memo_put("result", prepared.digest, payload)
    return payload


def _save(prepared: PreparedRun, attempt: dict[str, Any] | SandboxError):
    """Store a payload (returning the row) or a failure (raising it again after storing it)."""
    if isinstance(attempt, SandboxError):
        if isinstance(attempt, (DemoTimeout, DemoFailed, ResultTooLarge)):  # not DemoBusy: nothing ran
            store.put_failure(prepared, str(attempt), timed_out=isinstance(attempt, DemoTimeout),
                              duration_ms=getattr(attempt, "duration_ms", None))
        raise attempt
    return store.put(prepared, attempt["result"], duration_ms=attempt["duration_ms"], svgs=attempt.get("svgs"))


def _saved_or_error(prepared: PreparedRun, attempt):
    try:
        return _save(prepared, attempt)
    except SandboxError as exc:
        return exc
