#!/usr/bin/env python3
"""Set-up in one command, on a machine with nothing but Python 3.11.

    python3.11 dev.py serve   # install, migrate, load the content, serve on http://127.0.0.1:8000/
    python3.11 dev.py test    # install the test requirements and run the whole test suite

Creates `.venv/` beside this file on first use and reinstalls only when a
requirements file changes. Extra arguments after `test` go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"


def sh(*args: str | Path, **kwargs) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, **kwargs)


def ensure_env(requirements: str) -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Python 3.11 is required (the pinned torch build is for 3.11); this is {sys.version.split()[0]}.")
    if not PY.exists():
        print(f"Creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256()
    for name in ("requirements.txt", "requirements-dev.txt"):
        digest.update((ROOT / name).read_bytes())
    stamp = VENV / f".installed-{requirements}-{digest.hexdigest()[:16]}"
    if not stamp.exists():
        sh(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", requirements)
        for old in VENV.glob(f".installed-{requirements}-*"):
            old.unlink()
        stamp.touch()


def serve() -> None:
    ensure_env("requirements.txt")
    manage = [PY, "manage.py"]
    sh(*manage, "migrate", "--no-input", "-v", "0")
    sh(*manage, "load_content")
    sh(*manage, "collectstatic", "--no-input", "-v", "0")
    port = os.environ.get("PORT", "8000")
    print(f"\nDL Interview Prep is serving on http://127.0.0.1:{port}/  (admin: /admin/, API schema: /api/schema/)\n"
          "Stop with Ctrl+C.\n", flush=True)
    os.execv(str(PY), [str(PY), "manage.py", "runserver", f"127.0.0.1:{port}"])


def test(pytest_args: list[str]) -> None:
    ensure_env("requirements-dev.txt")
    os.execv(str(PY), [str(PY), "-m", "pytest", *pytest_args])


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("serve", "test"):
        sys.exit(__doc__)
    os.chdir(ROOT)
    if sys.argv[1] == "serve":
        serve()
    else:
        test(sys.argv[2:])


if __name__ == "__main__":
    main()
