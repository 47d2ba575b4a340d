"""Time every demo at its worst-case parameters against the per-run CPU budget.

    .venv/bin/python bench/demo_bounds.py              # all registered demos
    .venv/bin/python bench/demo_bounds.py overfitting  # only these
    .venv/bin/python bench/demo_bounds.py --strict     # exit 1 if a demo is over budget

A learner may run any demo at any values inside its declared bounds, and a run is
killed after SANDBOX_TIMEOUT_S = 10 s on a shared 2-core machine. The budget is
2.5 s on one core of this machine, which leaves room for a 3-4x slowdown under load.

Worst case: every int/float parameter at the bound that costs most (the upper one,
except those listed in COSTLIER_AT_MIN), crossed with every combination of choice
and bool parameters. A combination that breaks the demo's cross-field `check()` has the
fields it names put back to their defaults (so it stays a legal request); a
combination still illegal after that is skipped. Each demo runs in a fresh process
that has imported what the runner's forkserver preloads, with torch on one thread
and OPENBLAS/OMP/MKL on one thread, as the runner's children do; each case is run
twice and the best time kept; the demo's figure is its slowest case.

tests/sandbox/test_demo_bounds.py holds the bounds this bench validated.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 2.5

# Parameters whose lower bound costs more than the upper one.
COSTLIER_AT_MIN: dict[str, tuple[str, ...]] = {
    "minibatch": ("batch_size",),  # batch 1 is the most optimiser steps per epoch
    "cnn-shapes": ("stride", "pool"),  # no down-sampling: the largest feature maps and fc layer
    "activations": ("x_min",),  # the widest range (x_min must stay below x_max)
}


def at_costly_bounds(key: str, fixed: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validated params with every numeric parameter at its costly bound (and `fixed` as given).

    Numeric fields that break a cross-field check keep their defaults (until the check passes).
    """
    from sandbox import registry

    demo = registry.get(key)
    low = COSTLIER_AT_MIN.get(key, ())
    raw = {p.name: (p.min if p.name in low else p.max) for p in demo.PARAMS
           if p.kind in ("int", "float") and p.max is not None}
    raw.update(fixed or {})
    values, errors = registry.validated_params(key, raw)
    while errors and set(errors) & set(raw) - set(fixed or {}):
        raw = {k: v for k, v in raw.items() if k not in errors or k in (fixed or {})}
        values, errors = registry.validated_params(key, raw)
    if errors:
        raise ValueError(errors)
    return values


def worst_cases(key: str) -> list[dict[str, Any]]:
    """Every legal combination of the choice (and bool) parameters, numeric ones at their costly bounds."""
    from sandbox import registry

    choices = [p for p in registry.get(key).PARAMS if p.kind in ("choice", "bool")]
    cases = []
    for combo in itertools.product(*(p.choices or (False, True) for p in choices)):
        try:
            case = at_costly_bounds(key, {p.name: c for p, c in zip(choices, combo)})
        except ValueError:
            continue
        if case not in cases:
            cases.append(case)
    return cases


_CHILD = r"""
import importlib, json, sys, time
import torch
torch.set_num_threads(1)
from sandbox import process
for name in process.PRELOAD:
    importlib.import_module(name)
from bench.demo_bounds import worst_cases
from sandbox import registry
key = sys.argv[1]
demo = registry.get(key)
rows = []
for params in worst_cases(key):
    times = []
    for _ in range(2):
        t0 = time.perf_counter()
        demo.run(dict(params), seed=0)
        times.append(time.perf_counter() - t0)
    rows.append({"params": params, "s": min(times)})
print(json.dumps(rows))
"""


def measure(key: str) -> list[dict[str, Any]]:
    from sandbox.process import BLAS_THREAD_VARIABLES

    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "quizsite.settings"}
    env.update({name: "1" for name in BLAS_THREAD_VARIABLES})
    done = subprocess.run([sys.executable, "-c", _CHILD, key], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _short(params: dict[str, Any], defaults: dict[str, Any]) -> str:
    return " ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in params.items()
                    if v != defaults.get(k))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("keys", nargs="*")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a demo is over budget")
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from sandbox import registry

    keys = args.keys or list(registry.DEMOS)
    print(f"{'demo':26} {'cases':>5} {'worst s':>8}  verdict   worst-case params (those off their default)")
    over, table = [], {}
    for key in keys:
        try:
            rows = measure(key)
        except Exception as exc:  # report and go on
            print(f"{key:26} FAIL: {exc}")
            over.append(key)
            continue
        worst = max(rows, key=lambda r: r["s"])
        defaults = {p.name: p.default for p in registry.get(key).PARAMS}
        verdict = "ok" if worst["s"] <= BUDGET_S else "OVER"
        if verdict == "OVER":
            over.append(key)
        table[key] = {"cases": len(rows), "worst_s": worst["s"], "params": worst["params"]}
        print(f"{key:26} {len(rows):>5} {worst['s']:>8.2f}  {verdict:8}  {_short(worst['params'], defaults)}",
              flush=True)
    print(f"budget: {BUDGET_S} s per run on one core (best of 2, slowest case); over budget: {', '.join(over) or 'none'}")
    if args.json:
        Path(args.json).write_text(json.dumps(table, indent=1))
    return 1 if args.strict and over else 0


if __name__ == "__main__":
    sys.exit(main())
