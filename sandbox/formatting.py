"""How a demo's output is shown on a page: its values as text, its chart SVG as markup.

Both the reader's side (values quoted in content, `concepts.quoting`) and the
author's side (the admin preview) format values here; they differ only in `style`.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Literal

from django.utils.safestring import SafeString, mark_safe

Style = Literal["reader", "author"]


def format_value(value: Any, spec: str | None = None, *, style: Style = "reader") -> str:
    """A demo value as text: with a format `spec` (`.1f`, `.0%`, ...) if given, else in `style`.

    - "reader" (quoted in explanations): short. Four significant digits, scientific notation
      outside [0.001, 100000), integers with thousands separators.
    - "author" (the admin preview, where an author checks a number before quoting it): six
      significant digits, separators only from 10,000 up.
    A spec that does not apply raises ValueError or TypeError, as `format` does.
    """
    if spec:
        return format(value, spec)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if style == "author":
        if isinstance(value, float):
            return f"{value:.6g}"
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if value == 0 or not math.isfinite(value):
        return str(value)
    if abs(value) >= 1e5 or abs(value) < 1e-3:
        return f"{value:.2e}"
    return f"{value:.4g}"


def safe_svgs(svgs: Iterable[str]) -> list[SafeString]:
    """Chart SVGs marked safe to put in a page as they are.

    The one place that does so, and why it may: every chart is drawn by matplotlib
    (`sandbox.charts`) from a registered demo's own result, with every text in it
    escaped on the way; no user writes any of it (learners choose parameters only, and
    parameters are validated against the demo's declaration before anything runs).
    """
    return [mark_safe(svg) for svg in svgs]
