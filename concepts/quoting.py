"""Numbers from a demo quoted in content: `[[first_layer_grad.sigmoid]]` or `[[ratio:.1f]]`.

Explanations carry placeholders instead of typed-in numbers, filled from the linked
demo's result when shown, so the text and the live computation never disagree.
Square brackets, not braces, because LaTeX uses braces everywhere.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.formatting import format_value  # noqa: F401  (one formatter for every demo value shown)

PLACEHOLDER = re.compile(r"\[\[([A-Za-z0-9_.\-]+)(?::([^\]\s]+))?\]\]")


def placeholders(text: str) -> list[tuple[str, str | None]]:
    return [(m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(text or "")]


#: What a reader sees in place of a quoted value whose demo result is not computed yet.
PENDING = "…"


def fill(text: str, values: dict[str, Any] | None, *, missing: str | None = None) -> str:
    """Replace every placeholder with its value.

    An unknown name is left visible as-is (authors and validation see it), or replaced by
    `missing` where readers must never see a raw placeholder (`values` None: not computed yet).
    """
    values = values or {}

    def sub(match: re.Match) -> str:
        name, spec = match.group(1), match.group(2)
        if name not in values:
            return match.group(0) if missing is None else missing
        try:
            return format_value(values[name], spec)
        except (ValueError, TypeError):
            return str(values[name])

    return PLACEHOLDER.sub(sub, text or "")


def problems(text: str, values: dict[str, Any]) -> list[str]:
    """Messages for placeholders the result does not have, or whose format does not apply."""
    out = []
    for name, spec in placeholders(text):
        if name not in values:
            out.append(f"quotes [[{name}]], which the demo result does not have")
        elif spec:
            try:
                format(values[name], spec)
            except (ValueError, TypeError):
                out.append(f"format {spec!r} does not apply to [[{name}]]")
    return out
