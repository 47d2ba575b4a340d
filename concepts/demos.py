"""The bridge from content to the sandbox: an item's linked demo result, read from the store.

Content links a demo (key + parameters) and quotes its values as `[[name]]`. Those
results are computed when content is loaded (`load_content` fills the demo-result
store, sandbox/store.py), so reading them is one query, or none when `attach` has
fetched them for a whole page at once. Nothing here runs PyTorch in a request: a
result that is missing (a new deployment before `load_content`) is started in the
background (`sandbox.jobs.ensure`) and the reader sees "computing" and `…` in place
of the quoted numbers, never a raw placeholder. In-process mode (tests, tools) has
no background, so there `ensure` computes it on the spot.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any, Iterable

from django.urls import reverse

from concepts import quoting
from sandbox.formatting import safe_svgs

_UNSET = object()


def linked_run(obj):
    """The prepared run of `obj`'s linked demo (validated, no torch), or None without a usable link."""
    run = getattr(obj, "_demo_run", _UNSET)
    if run is _UNSET:
        run = None
        if getattr(obj, "demo_key", ""):
            from sandbox import runner

            try:
                run = runner.prepare(obj.demo_key, obj.demo_params or {})
            except runner.SandboxError:  # validate_content reports it; readers just get no demo
                run = None
        obj._demo_run = run
    return run


def attach(objs: Iterable, *, values_only: bool = False) -> None:
    """Fetch the stored results of every object's linked demo in one query, kept on each object.

    `values_only`: only what quoting needs (no charts, tables or summaries), for pages that
    show texts and no demo, such as the due queue.
    """
    from sandbox import store

    objs = [o for o in objs if linked_run(o) is not None]
    digests = [linked_run(o).digest for o in objs]
    if values_only:
        found = store.values_many(digests)
        for obj in objs:
            obj._demo_values = found.get(linked_run(obj).digest)
        return
    found = store.get_many(digests)
    for obj in objs:
        obj._demo_stored = found.get(linked_run(obj).digest)


def quotes_values(obj, fields: Iterable[str]) -> bool:
    """Whether any of `obj`'s texts in `fields` (either language) quotes a demo value."""
    for name in fields:
        for lang in ("ko", "en"):
            value = obj.localized(name, lang)
            if any(quoting.placeholders(t) for t in (value if isinstance(value, list) else [value])):
                return True
    return False


def unfilled(objs: Iterable, fields: Iterable[str]) -> list:
    """The objects whose texts quote demo values that are not stored (yet); reads the store, runs nothing."""
    from sandbox import store

    fields = tuple(fields)
    quoting_objs = [o for o in objs if getattr(o, "demo_key", "") and quotes_values(o, fields)]
    attach(quoting_objs)
    return [o for o in quoting_objs
            if linked_run(o) is None or o._demo_stored is None or not store.usable(o._demo_stored)
            or not o._demo_stored.ok]


def linked_result(obj, *, start: bool = True):
    """The stored result (ok, or a failure inside its back-off) of `obj`'s demo; None while it is computing.

    A missing result is started in the background unless `start` is False.
    """
    from sandbox import jobs, store

    run = linked_run(obj)
    if run is None:
        return None
    stored = getattr(obj, "_demo_stored", _UNSET)
    if stored is _UNSET:
        stored = store.get(run)
    if not store.usable(stored) and start:
        jobs.ensure(run)  # in the background; in-process mode computes it here
        stored = store.get(run)
    stored = stored if store.usable(stored) else None
    obj._demo_stored = stored
    return stored


def run_url(obj) -> str | None:
    """The API URL that returns `obj`'s demo result with its charts (what clients fetch to draw it)."""
    run = linked_run(obj)
    if run is None:
        return None
    from urllib.parse import urlencode

    query = {k: ("true" if v else "false") if isinstance(v, bool) else v for k, v in (obj.demo_params or {}).items()}
    url = reverse("sandbox:demo-run", args=[run.key])
    return f"{url}?{urlencode(query)}" if query else url


def demo_payload(obj, lang: str, *, charts: bool = True) -> dict[str, Any] | None:
    """What a reader gets for `obj`'s demo: its values (and charts), `computing`, an `error`, or None without a demo."""
    run = linked_run(obj)
    if run is None:
        return None
    started = time.perf_counter()
    stored = linked_result(obj)
    if stored is None:
        return {"key": run.key, "status": "computing", "computing": True, "url": run_url(obj)}
    if not stored.ok:
        return {"key": run.key, "error": stored.error, "url": run_url(obj)}
    outcome = replace(run.outcome(stored, cached=True, started=started), lang=lang)
    return {**outcome.as_dict(charts=charts), "url": run_url(obj)}


def for_template(payload: dict[str, Any] | None) -> dict[str, Any] | None:
    """The payload with its SVG charts marked safe (`sandbox.formatting.safe_svgs` says why they may be)."""
    if payload and payload.get("charts"):
        return {**payload, "charts": safe_svgs(payload["charts"])}
    return payload


def _values(demo: dict[str, Any] | None) -> dict[str, Any] | None:
    return demo.get("values") if demo else None


def filled(obj, field: str, lang: str, demo: dict[str, Any] | None) -> str:
    """A localized text with `[[value]]` placeholders filled from the demo payload (`…` while computing)."""
    return quoting.fill(obj.localized(field, lang), _values(demo), missing=quoting.PENDING)


def display(obj, field: str, lang: str | None = None, *, start: bool = True):
    """What a reader sees: the localized text (or list of texts) with quoted demo values filled in.

    The stored result is read only when the text quotes one; `…` stands in while it is computed
    (started in the background unless `start` is False).
    """
    value = obj.localized(field, lang)
    texts = value if isinstance(value, list) else [value]
    if not getattr(obj, "demo_key", "") or not any(quoting.placeholders(t) for t in texts):
        return value
    light = getattr(obj, "_demo_values", None)
    if light is not None and light.ok:
        values = light.values
    else:
        stored = linked_result(obj, start=start)
        values = stored.result["values"] if stored is not None and stored.ok else None
    if isinstance(value, list):
        return [quoting.fill(t, values, missing=quoting.PENDING) for t in value]
    return quoting.fill(value, values, missing=quoting.PENDING)
