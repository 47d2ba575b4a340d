"""Time every demo: cold (first run in a fresh process), warm, chart rendering, and a cache hit.

    .venv/bin/python bench/demos.py               # all registered demos
    .venv/bin/python bench/demos.py gpu-memory    # only these
    .venv/bin/python bench/demos.py --strict      # exit 1 if a target is missed

Targets: a default run <= 300 ms on one torch thread (torch already imported, so
"cold" counts importing the demo module and its first run, not `import torch`),
a run with every numeric parameter at its maximum <= 2 s (the worst a learner
can ask for), a cached result through the runner <= 5 ms. Also checks that
importing the site and listing demos never imports torch or matplotlib.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN_TARGET_MS = 300.0
MAX_TARGET_MS = 2000.0
CACHED_TARGET_MS = 5.0

# Runs in a fresh interpreter per demo; prints one JSON line. With "preload" the
# interpreter first imports what the runner's forkserver preloads (the state a
# worker starts in); without, only torch and matplotlib.
_COLD = r"""
import importlib, json, sys, time
import torch
torch.set_num_threads(1)
import matplotlib.figure, matplotlib.backends.backend_svg  # imports are not the demo's cost
key, preload = sys.argv[1], sys.argv[2] == "preload"
if preload:
    from sandbox import process
    for name in process.PRELOAD:
        importlib.import_module(name)
t0 = time.perf_counter()
from sandbox import registry
params, errors = registry.validated_params(key, {})
assert not errors, errors
demo = registry.get(key)
result = demo.run(params, seed=0)
cold = (time.perf_counter() - t0) * 1000
warm = []
for _ in range(3):
    t0 = time.perf_counter()
    demo.run(params, seed=0)
    warm.append((time.perf_counter() - t0) * 1000)
from sandbox import charts
t0 = time.perf_counter()
svgs = [charts.render(c, lang) for lang in ("ko", "en") for c in result.charts]
render = (time.perf_counter() - t0) * 1000
# Every int/float parameter at its costly bound (choices and bools keep their defaults);
# bench/demo_bounds.py also crosses the choices.
from bench.demo_bounds import at_costly_bounds
at_max = at_costly_bounds(key)
t0 = time.perf_counter()
demo.run(at_max, seed=0)
max_ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"cold_ms": cold, "warm_ms": min(warm), "charts": len(result.charts), "render_ms": render,
                  "max_svg_kb": max((len(s.encode()) for s in svgs), default=0) / 1000, "max_ms": max_ms}))
"""

_IMPORTS = r"""
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
import django
django.setup()
import quizsite.urls  # every view module, the API included
from sandbox import registry
demos = registry.list_demos()
for key in registry.DEMOS:
    registry.validated_params(key, {})
print(len(demos), "torch" in sys.modules, "matplotlib" in sys.modules)
"""


def _python(code: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed")
    return done.stdout.strip().splitlines()[-1]


def worker_ms(key: str) -> float:
    """An uncached run as the site does it by default: in a forkserver worker, charts included."""
    from django.test.utils import override_settings

    from sandbox import runner

    with override_settings(SANDBOX_IN_PROCESS=False):
        return min(runner.run_demo(key, {}, refresh=True).elapsed_ms for _ in range(3))


def cached_ms(key: str) -> float:
    """Median time of a cache hit through the runner (in this process, local-memory cache)."""
    from django.test.utils import override_settings

    from sandbox import runner

    with override_settings(SANDBOX_IN_PROCESS=True):
        runner.run_demo(key, {}, refresh=True)
        times = []
        for _ in range(50):
            t0 = time.perf_counter()
            outcome = runner.run_demo(key, {})
            times.append((time.perf_counter() - t0) * 1000)
            assert outcome.cached
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("keys", nargs="*")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
    os.environ["SQLITE_PATH"] = ":memory:"  # runs are stored (sandbox/store.py): in a throw-away database
    import django

    django.setup()
    from django.core.management import call_command

    from sandbox import registry

    call_command("migrate", verbosity=0)

    count, torch_loaded, mpl_loaded = _python(_IMPORTS).split()
    print(f"import quizsite.urls + list {count} demos + validate defaults: "
          f"torch imported: {torch_loaded}, matplotlib imported: {mpl_loaded}")
    ok = torch_loaded == "False" and mpl_loaded == "False"

    from sandbox import process

    t0 = time.perf_counter()
    process.warm_up()
    print(f"forkserver start (preloads {', '.join(process.PRELOAD)}): {time.perf_counter() - t0:.1f} s")

    keys = args.keys or list(registry.DEMOS)
    columns = ("cold ms", "preloaded", "warm ms", "at max ms", "charts", "render ms", "max SVG kB", "worker ms",
               "cached ms")
    header = f"{'demo':26}" + "".join(f"{c:>11}" for c in columns) + "  verdict"
    print(header)
    print("-" * len(header))
    for key in keys:
        try:
            cold = json.loads(_python(_COLD, key, "torch-only"))
            pre = json.loads(_python(_COLD, key, "preload"))
            worker, hit = worker_ms(key), cached_ms(key)
        except Exception as exc:  # report and go on; the verdict says FAIL
            print(f"{key:26} FAIL: {exc}")
            ok = False
            continue
        verdict = []
        if pre["cold_ms"] > RUN_TARGET_MS:
            verdict.append(f"preloaded cold > {RUN_TARGET_MS:.0f} ms")
        if pre["max_ms"] > MAX_TARGET_MS:
            verdict.append(f"at max > {MAX_TARGET_MS:.0f} ms")
        if hit > CACHED_TARGET_MS:
            verdict.append(f"cached > {CACHED_TARGET_MS:.0f} ms")
        ok = ok and not verdict
        cells = (cold["cold_ms"], pre["cold_ms"], pre["warm_ms"], pre["max_ms"], pre["charts"], pre["render_ms"],
                 pre["max_svg_kb"], worker, hit)
        print(f"{key:26}" + "".join(f"{c:>11d}" if isinstance(c, int) else f"{c:>11.1f}" for c in cells[:-1])
              + f"{hit:>11.3f}  {'; '.join(verdict) or 'ok'}")
    print(
        "cold ms: first run in a fresh process with only torch (and matplotlib) imported; torch still imports sympy\n"
        "  and torch._dynamo on first use of meta tensors / optimizers, which is most of it when large.\n"
        "preloaded: first run in a fresh process that imported what the forkserver preloads (a worker's state).\n"
        "warm: best of 3 more runs. at max: one run with every numeric parameter at its costly bound (see\n"
        "  bench/demo_bounds.py, which also crosses the choices; one that breaks a cross-field check keeps its\n"
        "  default). render: every chart in ko and en. worker: an uncached run through the runner in a forkserver\n"
        "  worker (fork, run, charts, transfer). cached: median cache hit.\n"
        f"targets: preloaded cold <= {RUN_TARGET_MS:.0f} ms on one thread, at max <= {MAX_TARGET_MS:.0f} ms, "
        f"cached <= {CACHED_TARGET_MS:.0f} ms"
    )
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
