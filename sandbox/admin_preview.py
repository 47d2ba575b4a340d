"""The demo preview an author sees on a card's admin change page.

`render_preview` runs the linked demo through the runner (so it is validated,
limited and cached like any other run) and returns safe HTML: the summary, the
quoted values, the tables and the charts, or the messages that explain why the
demo could not run.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from quizsite.languages import LANGUAGES
from sandbox import runner
from sandbox.formatting import format_value, safe_svgs
from sandbox.result import localized_tables


def render_preview(demo_key: str, demo_params: Any, lang: str = "en") -> SafeString:
    lang = lang if lang in LANGUAGES else "en"
    context: dict[str, Any] = {"key": demo_key, "lang": lang}
    if not isinstance(demo_params, dict):
        context["errors"] = {"demo_params": "Demo parameters must be a JSON object."}
    else:
        try:
            with translation.override(lang):  # parameter messages in the preview's language
                outcome = runner.run_demo(demo_key, demo_params, lang=lang)
        except runner.ParameterError as exc:
            context["errors"] = exc.errors
        except runner.SandboxError as exc:
            context["errors"] = {"demo": str(exc)}
        else:
            context.update(
                version=outcome.version,
                summary=outcome.summary,
                params=outcome.params,
                values=[(name, format_value(value, style="author")) for name, value in outcome.values.items()],
                tables=localized_tables(outcome.tables, lang),
                charts=safe_svgs(outcome.charts),
                cached=outcome.cached,
                elapsed_ms=round(outcome.elapsed_ms, 1),
            )
    return render_to_string("sandbox/preview.html", context)
