"""The bridge from content to the sandbox: run an item's linked demo and fill its quoted numbers."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe

from concepts import quoting


def run_linked_demo(obj, lang: str) -> dict[str, Any] | None:
    """The API payload of `obj`'s demo (cached by the runner), an error payload, or None without a demo."""
    if not obj.demo_key:
        return None
    from sandbox import runner

    try:
        payload = runner.run_demo(obj.demo_key, obj.demo_params, lang=lang).as_dict()
    except runner.SandboxError as exc:
        return {"key": obj.demo_key, "error": str(exc)}
    return payload


def for_template(payload: dict[str, Any] | None) -> dict[str, Any] | None:
    """The payload with its SVG charts marked safe: matplotlib writes them from demo data, never from users."""
    if payload and payload.get("charts"):
        return {**payload, "charts": [mark_safe(svg) for svg in payload["charts"]]}
    return payload


def filled(obj, field: str, lang: str, demo: dict[str, Any] | None) -> str:
    """A localized text with `[[value]]` placeholders filled from the demo result."""
    text = obj.localized(field, lang)
    if demo and "values" in demo:
        return quoting.fill(text, demo["values"])
    return text


def display(obj, field: str, lang: str | None = None):
    """What a reader sees: the localized text (or list of texts) with quoted demo values filled in.

    The demo runs only when the text quotes one, and then through the runner's cache.
    """
    from concepts.models import active_lang

    value = obj.localized(field, lang)
    texts = value if isinstance(value, list) else [value]
    if not getattr(obj, "demo_key", "") or not any(quoting.placeholders(t) for t in texts):
        return value
    demo = run_linked_demo(obj, active_lang(lang))
    if not demo or "values" not in demo:
        return value
    if isinstance(value, list):
        return [quoting.fill(t, demo["values"]) for t in value]
    return filled(obj, field, lang, demo)
