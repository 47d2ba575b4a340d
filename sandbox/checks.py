"""System checks for the demo registry (`manage.py check`, and every command that runs checks).

Every registered demo must import without torch, declare what the catalogue, the API,
the web form and the admin show, in both languages, and be runnable at its defaults.
A demo that does not fails at start-up with one of these ids, not in a learner's page:

- sandbox.E001  the demo module cannot be imported
- sandbox.E002  VERSION is missing or not a positive integer
- sandbox.E003  PARAMS is missing or is not a tuple of `Param`
- sandbox.E004  TITLE or DESCRIPTION lacks a text in one of the site's languages
- sandbox.E005  a parameter has no label in one of the site's languages
- sandbox.E006  a parameter has no help text in one of the site's languages
- sandbox.E007  the demo has no `run` function
- sandbox.E008  a parameter's default does not pass its own declaration (or the demo's `check`)
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core import checks

from quizsite.languages import LANGUAGES
from sandbox import registry
from sandbox.params import Param


def check_demos(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every registered demo, checked as `demo_problems` says."""
    errors: list[checks.CheckMessage] = []
    for key, path in registry.DEMOS.items():
        errors += demo_problems(key, path)
    return errors


def demo_problems(key: str, path: str) -> list[checks.Error]:
    """The problems of the demo registered as `key` (module `path`); [] when it is complete."""
    where = f"demo {key!r} ({path})"

    def error(ident: int, message: str, hint: str | None = None) -> checks.Error:
        return checks.Error(f"{where}: {message}", hint=hint, id=f"sandbox.E{ident:03d}")

    try:
        demo = importlib.import_module(path)
    except Exception as exc:  # any error: the check reports it instead of crashing start-up
        return [error(1, f"cannot be imported: {type(exc).__name__}: {exc}",
                      "Fix the module or its entry in sandbox.registry.DEMOS.")]
    errors = []
    version = getattr(demo, "VERSION", None)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        errors.append(error(2, f"VERSION must be a positive integer, not {version!r}.",
                            "Declare VERSION = 1 and raise it whenever the demo's results change."))
    params = getattr(demo, "PARAMS", None)
    if not isinstance(params, tuple) or not all(isinstance(p, Param) for p in params):
        errors.append(error(3, "PARAMS must be a tuple of sandbox.params.Param.", "Declare PARAMS = () if it takes none."))
        params = ()
    for name in ("TITLE", "DESCRIPTION"):
        missing = _missing_languages(getattr(demo, name, None))
        if missing:
            errors.append(error(4, f"{name} has no text in {', '.join(missing)}.",
                                f"Declare {name} = {{'ko': ..., 'en': ...}}."))
    for param in params:
        for ident, what in ((5, "label"), (6, "help")):
            missing = [lang for lang in LANGUAGES if not str(getattr(param, f"{what}_{lang}", "") or "").strip()]
            if missing:
                errors.append(error(ident, f"parameter {param.name!r} has no {what} in {', '.join(missing)}."))
    if not callable(getattr(demo, "run", None)):
        errors.append(error(7, "has no run(params, *, seed) function."))
    errors += _default_problems(demo, params, error)
    return errors


def _missing_languages(texts: Any) -> list[str]:
    if not isinstance(texts, dict):
        return list(LANGUAGES)
    return [lang for lang in LANGUAGES if not str(texts.get(lang) or "").strip()]


def _default_problems(demo, params: tuple[Param, ...], error) -> list[checks.Error]:
    """Defaults are what a link without parameters runs: each must pass its own declaration."""
    from django.utils import translation

    errors = []
    with translation.override("en"):
        for param in params:
            try:
                param.coerce(param.default)
            except ValueError as exc:
                errors.append(error(8, f"the default of {param.name!r} ({param.default!r}) is refused: {exc}."))
        check = getattr(demo, "check", None)
        if not errors and callable(check):
            refused = check({p.name: p.default for p in params})
            if refused:
                errors.append(error(8, "the defaults are refused by check(): "
                                    + "; ".join(f"{name}: {msg}" for name, msg in refused.items()) + "."))
    return errors
