"""Read and write the demo-result store (`sandbox.models.StoredResult`).

The database is the truth, shared by every process and kept across restarts; the
cache (local memory, or Redis when configured) sits in front as an accelerator, and
a cache that fails (Redis down) only costs a database query. Nothing here imports
torch: computing is the runner's job (`sandbox.runner`), drawing charts is
`sandbox.charts`' (matplotlib, imported only when a chart is first drawn).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from quizsite.languages import LANGUAGES
from sandbox.models import StoredResult

if TYPE_CHECKING:
    from sandbox.runner import PreparedRun

log = logging.getLogger(__name__)
CACHE_PREFIX = "sandbox:stored:"
DEFAULT_FAILURE_BACKOFF_S = 300

#: Process-local memo of deterministic computations (results and charts), used only when
#: settings.SANDBOX_PROCESS_MEMO is on (the test suite): the database is rolled back after
#: every test, and the same demo need not be computed again in the same process.
_memo: dict[tuple[str, str], Any] = {}


def digest(key: str, version: int, params: Mapping[str, Any]) -> str:
    canonical = json.dumps([key, version, params], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def memo_enabled() -> bool:
    return bool(getattr(settings, "SANDBOX_PROCESS_MEMO", False))


def memo_get(kind: str, ident: str) -> Any:
    return _memo.get((kind, ident)) if memo_enabled() else None


def memo_put(kind: str, ident: str, value: Any) -> None:
    if memo_enabled():
        _memo[(kind, ident)] = value


# -- the cache in front, which may fail --------------------------------------------

def _cache_get_many(digests: Iterable[str]) -> dict[str, StoredResult]:
    keys = [CACHE_PREFIX + d for d in digests]
    try:
        found = cache.get_many(keys)
    except Exception as exc:  # a cache outage degrades to database reads
        log.warning("demo store: cache unavailable (%s); reading the database", type(exc).__name__)
        return {}
    return {k[len(CACHE_PREFIX):]: v for k, v in found.items() if isinstance(v, StoredResult)}


def _cache_set(stored: StoredResult) -> None:
    try:
        cache.set(CACHE_PREFIX + stored.digest, stored, getattr(settings, "SANDBOX_CACHE_TTL_S", 7 * 24 * 3600))
    except Exception as exc:
        log.warning("demo store: cache unavailable (%s); result kept in the database only", type(exc).__name__)


# -- reading -------------------------------------------------------------------------

def get(run: PreparedRun) -> StoredResult | None:
    """The stored result (ok or failed) for a prepared run, or None."""
    return get_many([run.digest]).get(run.digest)


def get_many(digests: Iterable[str], *, use_cache: bool = True) -> dict[str, StoredResult]:
    """Stored results by digest: the cache first, then ONE database query for the rest.

    `use_cache=False` asks the database alone: what writers decide on (the cache may hold
    rows of another database that used the same Redis, e.g. a restored or recreated one).
    """
    wanted = list(dict.fromkeys(digests))
    if not wanted:
        return {}
    found = _cache_get_many(wanted) if use_cache else {}
    missing = [d for d in wanted if d not in found]
    if missing:
        for stored in StoredResult.objects.filter(digest__in=missing):
            found[stored.digest] = stored
            _cache_set(stored)
    return found


VALUES_PREFIX = "sandbox:values:"


@dataclass(frozen=True)
class StoredValues:
    """Just what quoting a result needs: its values (None for a failure), without charts or tables."""

    digest: str
    status: str
    values: dict[str, Any] | None
    retry_after: Any = None

    @property
    def ok(self) -> bool:
        return self.status == StoredResult.Status.OK


def values_many(digests: Iterable[str]) -> dict[str, StoredValues]:
    """The values of stored results by digest: small cache entries, then ONE narrow database query.

    For pages that quote numbers from many results at once (the due queue): reading whole rows
    would load (and unpickle) every chart and table only to print a few numbers.
    """
    wanted = list(dict.fromkeys(digests))
    if not wanted:
        return {}
    try:
        found = {k[len(VALUES_PREFIX):]: v for k, v in cache.get_many([VALUES_PREFIX + d for d in wanted]).items()}
    except Exception as exc:
        log.warning("demo store: cache unavailable (%s); reading the database", type(exc).__name__)
        found = {}
    missing = [d for d in wanted if d not in found]
    if missing:
        rows = StoredResult.objects.filter(digest__in=missing).values("digest", "status", "retry_after",
                                                                      "result__values")
        fresh = {r["digest"]: StoredValues(r["digest"], r["status"], r["result__values"], r["retry_after"])
                 for r in rows}
        found |= fresh
        try:
            cache.set_many({VALUES_PREFIX + d: v for d, v in fresh.items()},
                           getattr(settings, "SANDBOX_CACHE_TTL_S", 7 * 24 * 3600))
        except Exception:
            pass  # an accelerator only
    return found


def usable(stored: StoredResult | StoredValues | None, *, now=None) -> bool:
    """True when `stored` answers the request: a result, or a failure still inside its back-off."""
    if stored is None:
        return False
    if stored.ok:
        return True
    return stored.retry_after is not None and stored.retry_after > (now or timezone.now())


# -- writing -------------------------------------------------------------------------

def _save(run: PreparedRun, **fields: Any) -> StoredResult:
    """Create or replace the row for `run` (racing writers of the same deterministic result are harmless)."""
    values = {"key": run.key, "version": run.version, "params": run.params, "computed_at": timezone.now(), **fields}
    try:
        with transaction.atomic():
            stored, _ = StoredResult.objects.update_or_create(digest=run.digest, defaults=values)
    except IntegrityError:  # another process inserted it between our SELECT and INSERT
        StoredResult.objects.filter(digest=run.digest).update(**values)
        stored = StoredResult.objects.get(digest=run.digest)
    _cache_set(stored)
    try:
        cache.delete(VALUES_PREFIX + stored.digest)
    except Exception:
        pass
    return stored


def put(run: PreparedRun, result: dict[str, Any], *, duration_ms: float,
        svgs: Mapping[str, list[str]] | None = None) -> StoredResult:
    charts = {f"charts_{lang}": list(svgs[lang]) for lang in LANGUAGES if svgs and lang in svgs}
    charts = {f"charts_{lang}": None for lang in LANGUAGES} | charts
    return _save(run, status=StoredResult.Status.OK, result=result, error="", timed_out=False,
                 duration_ms=duration_ms, retry_after=None, **charts)


def put_failure(run: PreparedRun, message: str, *, timed_out: bool, duration_ms: float | None = None) -> StoredResult:
    """Remember a failed run, so that asking again within the back-off runs nothing."""
    backoff = getattr(settings, "SANDBOX_FAILURE_BACKOFF_S", DEFAULT_FAILURE_BACKOFF_S)
    return _save(run, status=StoredResult.Status.FAILED, result=None, error=message, timed_out=timed_out,
                 duration_ms=duration_ms, retry_after=timezone.now() + timedelta(seconds=backoff),
                 charts_ko=None, charts_en=None)


def charts(stored: StoredResult, lang: str) -> list[str]:
    """The result's charts as SVG in `lang`: drawn on first use in that language, then kept."""
    lang = lang if lang in LANGUAGES else "en"
    svgs = stored.charts(lang)
    if svgs is not None:
        return svgs
    if not stored.ok or not stored.result:
        return []
    svgs = memo_get(f"charts-{lang}", stored.digest)
    if svgs is None:
        from sandbox import charts as drawing  # matplotlib loads only where a chart is drawn

        svgs = drawing.render_all(stored.result.get("charts") or [], lang)
        memo_put(f"charts-{lang}", stored.digest, svgs)
    setattr(stored, f"charts_{lang}", svgs)
    if stored.pk:
        StoredResult.objects.filter(pk=stored.pk).update(**{f"charts_{lang}": svgs})
    _cache_set(stored)
    return svgs


def save_charts(stored: StoredResult, svgs: Mapping[str, list[str]]) -> None:
    """Keep charts drawn elsewhere (a batch's children) for a stored result."""
    fields = {f"charts_{lang}": list(svgs[lang]) for lang in LANGUAGES if lang in svgs}
    if not fields:
        return
    for name, value in fields.items():
        setattr(stored, name, value)
    StoredResult.objects.filter(pk=stored.pk).update(**fields)
    _cache_set(stored)


def prune(current: Mapping[str, int]) -> int:
    """Delete results of demo versions that no longer exist (`current`: key -> VERSION); returns rows deleted."""
    stale = StoredResult.objects.exclude(key__in=list(current))
    for key, version in current.items():
        stale = stale | StoredResult.objects.filter(key=key).exclude(version=version)
    digests = list(stale.values_list("digest", flat=True))
    if not digests:
        return 0
    deleted = StoredResult.objects.filter(digest__in=digests).delete()[0]
    try:
        cache.delete_many([prefix + d for d in digests for prefix in (CACHE_PREFIX, VALUES_PREFIX)])
    except Exception as exc:  # the entries expire on their own; no reader asks for an old version anyway
        log.warning("demo store: cache unavailable (%s); pruned rows may linger there", type(exc).__name__)
    return deleted
