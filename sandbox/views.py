"""The live demo panel on web pages: a parameter form built from the demo's declaration, and its result.

The form re-runs the demo in place (htmx GET, so results are cacheable and
shareable as links); bad values are shown next to their field, with what the
learner typed kept, and nothing runs. Where runs go to a task queue
(SANDBOX_QUEUE=celery), a result not cached yet shows "computing…" and polls
every second (the same URL plus `job`) until the worker's result fills it in.
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from quizsite import languages
from sandbox import jobs, registry, runner
from sandbox.api import JOB_PATTERN, admit_compute
from sandbox.formatting import safe_svgs


def run_payload(key: str, raw: Mapping[str, Any], lang: str, job: str | None = None,
                wait_ms: float | None = None, request=None) -> dict[str, Any]:
    """The result the panel shows: the run's payload, `computing` with a URL to poll, or an `error`.

    Raises ParameterError for bad parameters.
    """
    try:
        outcome = jobs.request_run(key, raw, lang=lang, job=job, wait_ms=wait_ms,
                                   admit=None if request is None else lambda: admit_compute(request))
    except runner.ParameterError:
        raise
    except runner.SandboxError as exc:
        return {"error": str(exc)}
    if isinstance(outcome, jobs.Pending):
        query = {name: _query_value(value) for name, value in raw.items()} | {"job": outcome.job}
        return {"computing": True, "poll_url": f"{reverse('demos:panel', args=[key])}?{urlencode(query)}"}
    payload = outcome.as_dict()
    payload["charts"] = safe_svgs(payload["charts"])
    return payload


def _query_value(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def panel_context(key: str, raw: Mapping[str, Any], lang: str, *, wait_ms: float | None = None,
                  request=None) -> dict[str, Any]:
    """Everything the panel template needs: fields with values and errors, and the run's payload.

    Content pages pass `wait_ms=0`: their demo's result was stored when content was loaded.
    """
    demo = registry.get(key)
    _, errors = registry.validated_params(key, raw)
    # With bad fields the chart stays: it shows the run without them (their defaults), and
    # the messages beside the fields say what to fix.
    runnable = {name: value for name, value in raw.items() if name not in errors}
    try:
        payload = run_payload(key, runnable, lang, wait_ms=wait_ms, request=request)
    except runner.ParameterError as exc:
        errors, payload = {**errors, **exc.errors}, None
    if payload is not None and errors:
        payload["stale"] = True
    fields = []
    for param in demo.PARAMS:
        value = raw.get(param.name, param.default)
        fields.append({
            "name": param.name, "kind": param.kind, "label": param.label(lang), "help": param.help(lang),
            "value": value, "checked": str(value).lower() in ("true", "1", "on"), "min": param.min, "max": param.max,
            "step": "1" if param.kind == "int" else "any", "choices": param.choices, "error": errors.get(param.name),
        })
    unknown = {name: msg for name, msg in errors.items() if name not in {p.name for p in demo.PARAMS}}
    return {"key": key, "title": demo.TITLE.get(lang, demo.TITLE["en"]),
            "description": demo.DESCRIPTION.get(lang, demo.DESCRIPTION["en"]), "fields": fields,
            "other_errors": unknown, "demo": payload}


def demo_panel(request, key: str):
    if key not in registry.DEMOS:
        raise Http404("unknown demo")
    raw = {name: value for name, value in request.GET.items() if name not in ("lang", "_bools", "job")}
    # An unchecked checkbox sends nothing: the hidden "_bools" lists the bool fields shown, so unchecked means false.
    for name in request.GET.getlist("_bools"):
        raw.setdefault(name, "false")
    job = request.GET.get("job", "")
    if JOB_PATTERN.fullmatch(job) and request.htmx:  # a poll from a "computing…" result: answer with the result alone
        try:
            demo = run_payload(key, raw, languages.of_request(request), job=job, request=request)
        except runner.ParameterError as exc:
            demo = {"error": str(exc)}
        return render(request, "sandbox/demo_result.html", {"demo": demo})
    context = {"panel": panel_context(key, raw, languages.of_request(request), request=request)}
    template = "sandbox/demo_panel.html" if request.htmx else "sandbox/demo_page.html"
    return render(request, template, context)
