"""The languages the site speaks, and how a request, a learner or the active locale picks one.

The one place that knows the supported languages. Apps at every level (sandbox, concepts,
study, interview) import from here instead of keeping their own `LANGS` tuple or `_lang()`.
"""
from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

#: Supported content and UI languages, in the order texts are shown and stored.
LANGUAGES: tuple[str, ...] = ("ko", "en")
#: The site's default: most learners are Korean speakers.
DEFAULT = "ko"


def resolve(code: str | None, default: str = DEFAULT) -> str:
    """`code` reduced to a supported language (`"en-us"` -> `"en"`), else `default`."""
    short = (code or "")[:2].lower()
    return short if short in LANGUAGES else default


def active(lang: str | None = None) -> str:
    """The content language to show: `lang` if given, else the active UI language."""
    return resolve(lang or get_language())


def of_request(request: Any) -> str:
    """The request's language: `?lang=` (checked by the middleware), else what Django negotiated."""
    params = getattr(request, "query_params", None) or getattr(request, "GET", {})
    return resolve(params.get("lang") or getattr(request, "LANGUAGE_CODE", None))


def of_user(user: Any, default: str = DEFAULT) -> str:
    """The language a learner chose and keeps on their profile, else `default`."""
    profile = getattr(user, "learner", None) if getattr(user, "is_authenticated", False) else None
    return resolve(getattr(profile, "language", "") or None, default)
