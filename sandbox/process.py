"""Run one prepared demo in a killable child process (or here, in in-process mode): the runner's *run* step.

`run(prepared)` is the one entry: it returns the run's payload, `{"result": ..., "svgs":
{lang: [svg, ...]}}`, JSON-safe and under SANDBOX_MAX_RESULT_BYTES, or raises a
SandboxError (DemoTimeout, DemoBusy, DemoFailed, ResultTooLarge). It reads and writes
no database: storing what comes back is `sandbox.storing`'s job.

Where the demo runs (setting `SANDBOX_IN_PROCESS`):
- process mode (default): a fresh child process per run, forked by a `forkserver`
  that has torch and matplotlib preloaded (~20 ms to start a job). On timeout the
  child is killed. A signal alarm would not do: it does not interrupt a running torch
  op. Plain `fork` would not do either: a process that has run a multi-threaded torch
  op can hang in a forked child; the forkserver itself never runs torch, so its
  children start clean. At most SANDBOX_MAX_WORKERS children per server process.
- in-process mode (tests, tools): the same size cap, but no timeout; torch is still
  limited to one thread.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import threading
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings

from sandbox.errors import DemoBusy, DemoFailed, DemoTimeout, ResultTooLarge, SandboxError

if TYPE_CHECKING:
    from sandbox.runner import PreparedRun

SEED = 0  # demos are deterministic; every run uses the same seed
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# Imported once by the forkserver, so that no child pays for them. Besides torch and
# matplotlib: sympy (via symbolic_shapes, imported on the first meta-device or
# _refs op) and torch._dynamo (imported on the first optimizer step) cost ~0.4 s
# and ~0.8 s when a child has to import them itself.
PRELOAD = [
    "torch",
    "torch.fx.experimental.symbolic_shapes",
    "torch._dynamo",
    "matplotlib",
    "sandbox.charts",
    "sandbox.process",
]


def run(prepared: PreparedRun, *, timeout: float | None = None, chart_langs: tuple[str, ...] = (),
        stored: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the demo and draw its charts in `chart_langs`; with `stored` (a result computed before) only draw.

    `timeout` defaults to SANDBOX_TIMEOUT_S; in-process mode has none.
    """
    max_bytes = settings.SANDBOX_MAX_RESULT_BYTES
    if settings.SANDBOX_IN_PROCESS:
        try:
            return _here(prepared.module_path, prepared.params, SEED, max_bytes, chart_langs, stored)
        except SandboxError:
            raise
        except Exception as exc:
            raise DemoFailed(f"Demo {prepared.key!r} failed: {type(exc).__name__}: {exc}") from exc
    timeout = float(timeout if timeout is not None else settings.SANDBOX_TIMEOUT_S)
    if not _slots().acquire(timeout=timeout):
        raise DemoBusy("Too many demos are running right now; try again in a moment.")
    try:
        return _in_child(prepared, max_bytes, timeout, chart_langs, stored)
    finally:
        _slots().release()


def warm_up() -> None:
    """Do the slow imports now rather than in the first run: start the forkserver (~3 s), or in-process import them."""
    if settings.SANDBOX_IN_PROCESS:
        for name in PRELOAD:
            importlib.import_module(name)
    else:
        proc = _context().Process(target=_noop, daemon=True)
        proc.start()
        proc.join()


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


def _here(module_path: str, params: dict[str, Any], seed: int, max_bytes: int,
          chart_langs: tuple[str, ...] = (), stored: dict[str, Any] | None = None) -> dict[str, Any]:
    """The payload, computed in whatever process calls this (the child, or in-process mode's caller)."""
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


def _in_child(prepared: PreparedRun, max_bytes: int, timeout: float, chart_langs: tuple[str, ...],
              stored: dict[str, Any] | None) -> dict[str, Any]:
    from multiprocessing.connection import wait

    key = prepared.key
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    args = (sender, prepared.module_path, prepared.params, SEED, max_bytes, chart_langs, stored)
    proc = ctx.Process(target=_child_main, args=args, daemon=True)
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


def _child_main(conn, module_path: str, params: dict[str, Any], seed: int, max_bytes: int,
                chart_langs: tuple[str, ...] = (), stored: dict[str, Any] | None = None) -> None:
    try:
        message = ("ok", _here(module_path, params, seed, max_bytes, chart_langs, stored))
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
            ctx.set_forkserver_preload(PRELOAD)
            _ctx = ctx
    return _ctx


def _slots() -> threading.BoundedSemaphore:
    """At most SANDBOX_MAX_WORKERS children per server process at once (settings is the one default)."""
    global _slots_sem
    with _ctx_lock:
        if _slots_sem is None:
            _slots_sem = threading.BoundedSemaphore(int(settings.SANDBOX_MAX_WORKERS))
    return _slots_sem
