"""Mutation scores of the core modules: how much of their behaviour the tests pin down.

Runs mutmut 3 (requirements-dev.txt) on each module with the test files that reach
it, in a throw-away copy of the project, and prints per module: mutants, killed,
survived, the score, and the score with message-only mutants left out (a mutant
that only changes the text of a message, e.g. "Enter a number." -> "XXEnter a
number.XX", or an exception raised with None for its message, changes no behaviour
a test should pin). Not part of the test suite
or CI: a run takes minutes.

    .venv/bin/python bench/mutation.py                      # every module below
    .venv/bin/python bench/mutation.py concepts/quoting.py  # one
    .venv/bin/python bench/mutation.py --survivors study/grading.py   # and list what survived
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = {
    "study/grading.py": ["tests/study/test_grading.py", "tests/study/test_grading_scores.py"],
    "concepts/quoting.py": ["tests/concepts/test_quoting.py"],
    "study/scheduling.py": ["tests/study/test_scheduling.py", "tests/study/test_scheduling_core.py"],
    "sandbox/params.py": ["tests/sandbox/test_runner.py", "tests/sandbox/test_api.py"],
}
SKIP = {".git", ".venv", "mutants", "staticfiles", "__pycache__", ".hypothesis", "db.sqlite3", "db.sqlite3-wal",
        "db.sqlite3-shm", "node_modules"}
COPY = ["quizsite", "concepts", "study", "sandbox", "interview", "fixtures", "templates", "locale", "static", "tests", "manage.py",
        "pytest.ini", "conftest.py"]


def _config(module: str, tests: list[str]) -> str:
    def listing(items):
        return "\n".join(f"    {item}" for item in items)

    # timeout_constant: mutmut budgets each mutant from the tests' own timing, which leaves out creating
    # the test database; on a busy machine that turns killed mutants into false timeouts.
    return (f"[mutmut]\nsource_paths =\n    {module}\ntimeout_constant = 60\nalso_copy =\n{listing(COPY)}\n"
            f"pytest_add_cli_args =\n    -p\n    no:cacheprovider\n    -q\n"
            f"pytest_add_cli_args_test_selection =\n{listing(tests)}\n")


def _message_only(diff: str) -> bool:
    """A mutant that changes only a string's text (mutmut wraps it in XX or changes its case)."""
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    if len(removed) != 1 or len(added) != 1:
        return False
    before, after = removed[0], added[0]
    strings = re.compile(r"""(["'])(?:\\.|(?!\1).)*\1""")
    if "raise " in before and strings.sub("S", before) == strings.sub("S", after).replace("(None)", "(S)"):
        return True  # an exception's message replaced by None: still raised, same type
    if strings.sub("S", before) != strings.sub("S", after):
        return False  # something outside a string literal changed
    return before != after and ("XX" in after or after.lower() == before.lower())


def _mutmut(workdir: Path, *args: str, timeout: int = 3600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=workdir, env=env, capture_output=True,
                          text=True, timeout=timeout)


def measure(module: str, tests: list[str], *, show_survivors: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="dlprep-mutation-") as tmp:
        workdir = Path(tmp) / "project"
        shutil.copytree(ROOT, workdir, ignore=lambda _dir, names: [n for n in names if n in SKIP])
        (workdir / "setup.cfg").write_text(_config(module, tests))
        run = _mutmut(workdir, "run")
        if run.returncode != 0:
            raise SystemExit(f"mutmut run failed for {module}:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
        _mutmut(workdir, "export-cicd-stats")
        stats = json.loads((workdir / "mutants" / "mutmut-cicd-stats.json").read_text())
        results = _mutmut(workdir, "results").stdout
        survivors = [line.split(":")[0].strip() for line in results.splitlines() if line.strip().endswith("survived")]
        message_only = []
        for name in survivors:
            if _message_only(_mutmut(workdir, "show", name).stdout):
                message_only.append(name)
        if show_survivors:
            for name in survivors:
                if name not in message_only:
                    print(_mutmut(workdir, "show", name).stdout)
    killed, survived = stats["killed"], stats["survived"]
    scored = killed + survived + stats.get("no_tests", 0)
    return {
        "module": module, "mutants": stats["total"], "killed": killed, "survived": survived,
        "no_tests": stats.get("no_tests", 0), "timeout": stats.get("timeout", 0),
        "score": killed / scored if scored else 1.0,
        "score_behaviour": killed / (scored - len(message_only)) if scored - len(message_only) else 1.0,
        "message_only": len(message_only),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"any of {', '.join(MODULES)} (default: all)")
    parser.add_argument("--survivors", action="store_true", help="print the diff of every behaviour survivor")
    args = parser.parse_args()
    unknown = set(args.modules) - set(MODULES)
    if unknown:
        parser.error(f"unknown module(s) {sorted(unknown)}; choose from {sorted(MODULES)}")
    print(f"{'module':24} {'mutants':>7} {'killed':>6} {'survived':>8} {'no tests':>8} {'score':>6} "
          f"{'score*':>6}  (* message-only mutants aside)")
    for module in args.modules or MODULES:
        tests = [t for t in MODULES[module] if (ROOT / t).exists()]
        if not tests:  # mutmut would run the whole suite for every mutant
            print(f"{module:24} none of its test files exist here: {', '.join(MODULES[module])}")
            continue
        r = measure(module, tests, show_survivors=args.survivors)
        print(f"{r['module']:24} {r['mutants']:7} {r['killed']:6} {r['survived']:8} {r['no_tests']:8} "
              f"{r['score']:6.0%} {r['score_behaviour']:6.0%}", flush=True)


if __name__ == "__main__":
    main()
