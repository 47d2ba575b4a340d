"""The demo-result store: computed once, kept in the database, read by every process without torch."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from sandbox import jobs, runner, store
from sandbox.demos import linear_collapse
from sandbox.models import StoredResult
from tests.sandbox import stub_demo as stub_module
from tests.sandbox.conftest import spy_on

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def stub_calls(monkeypatch, stub_demo):
    """Counts real runs of the stub demo (in-process mode)."""
    return spy_on(monkeypatch, stub_module)


def test_a_run_is_stored_with_its_values_duration_and_parameters():
    outcome = runner.run_demo("linear-collapse", {"depth": 5}, lang="en")
    row = StoredResult.objects.get()
    assert (row.key, row.version, row.params["depth"], row.status) == ("linear-collapse", linear_collapse.VERSION, 5, "ok")
    assert row.result["values"] == outcome.values
    assert row.duration_ms > 0 and row.computed_at <= timezone.now()
    assert row.digest == store.digest("linear-collapse", linear_collapse.VERSION, outcome.params)


def test_charts_are_drawn_once_per_language_and_kept(monkeypatch):
    runner.run_demo("linear-collapse", {}, lang="en")
    row = StoredResult.objects.get()
    assert row.charts_ko is None and row.charts_en  # only the language shown was drawn
    from sandbox import charts as drawing

    drawn = []
    real = drawing.render_all
    monkeypatch.setattr(drawing, "render_all", lambda data, lang: drawn.append(lang) or real(data, lang))
    ko = store.charts(row, "ko")
    again = store.charts(StoredResult.objects.get(), "ko")
    assert drawn == ["ko"] and ko == again and "합친 층의 출력" in ko[0]


def test_fill_computes_only_what_is_missing_and_a_version_bump_computes_again(monkeypatch):
    runs = [runner.prepare("linear-collapse", {}), runner.prepare("linear-collapse", {"depth": 3}),
            runner.prepare("linear-collapse", {"depth": "3"})]  # the same run spelled twice
    results, computed = runner.fill(runs)
    assert computed == 2 and StoredResult.objects.count() == 2
    _, computed = runner.fill(runs)
    assert computed == 0

    monkeypatch.setattr(linear_collapse, "VERSION", linear_collapse.VERSION + 1)
    bumped = [runner.prepare("linear-collapse", {})]
    assert bumped[0].digest != runs[0].digest
    results, computed = runner.fill(bumped)
    assert computed == 1 and results[bumped[0].digest].version == linear_collapse.VERSION
    assert store.prune({"linear-collapse": linear_collapse.VERSION}) == 2  # the old version's rows go
    assert list(StoredResult.objects.values_list("version", flat=True)) == [linear_collapse.VERSION]


def test_a_failed_run_is_remembered_and_not_retried_within_its_back_off(stub_calls, settings):
    settings.SANDBOX_FAILURE_BACKOFF_S = 300
    with pytest.raises(runner.DemoFailed, match="asked to fail"):
        runner.run_demo("stub", {"fail": True})
    with pytest.raises(runner.DemoFailed, match="asked to fail"):
        jobs.request_run("stub", {"fail": True})  # what a learner's repeated request does
    assert len(stub_calls) == 1
    row = StoredResult.objects.get()
    assert row.status == "failed" and row.retry_after > timezone.now()

    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        with pytest.raises(runner.DemoFailed):
            jobs.request_run("stub", {"fail": True})
    assert len(stub_calls) == 2


def test_a_result_written_by_one_process_is_read_by_another_that_never_imports_torch(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}", "SANDBOX_IN_PROCESS": "1",
           "DJANGO_SETTINGS_MODULE": "quizsite.settings"}
    for name in ("SANDBOX_QUEUE", "CACHE_URL", "REDIS_URL"):  # each process gets its own local-memory cache,
        env.pop(name, None)  # so the reader can only find the result in the database

    def python(code: str) -> str:
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=600)
    written = python("import django; django.setup()\n"
                     "from sandbox import runner\n"
                     "print(runner.run_demo('linear-collapse', {'depth': 6}).values['collapsed_params'])")
    read = python("import django, sys; django.setup()\n"
                  "from sandbox import jobs\n"
                  "outcome = jobs.request_run('linear-collapse', {'depth': '6'})\n"
                  "assert outcome.cached, outcome\n"
                  "print(outcome.values['collapsed_params'], 'torch' in sys.modules)")
    assert read == f"{written} False"


def test_loading_draws_the_charts_that_stored_results_lack_in_both_languages(process_mode):
    runs = [runner.prepare("linear-collapse", {"depth": 3}), runner.prepare("activations", {})]
    runner.fill(runs)  # as validate_content does: values only
    assert [r.charts_ko for r in StoredResult.objects.all()] == [None, None]
    _, computed = runner.fill(runs, charts=True)  # as load_content does
    assert computed == 0  # nothing ran again: only charts were drawn (in worker processes)
    for row in StoredResult.objects.all():
        assert len(row.charts_ko) == len(row.charts_en) == len(row.result["charts"]) > 0
        assert row.charts_ko != row.charts_en and row.charts_ko[0].lstrip().startswith("<svg")


def test_loading_trusts_the_database_not_a_cache_left_by_another_database():
    run = runner.prepare("linear-collapse", {"depth": 3})
    runner.fill([run])
    StoredResult.objects.all().delete()  # a recreated database; the cache (shared Redis) still has the row
    assert store.get(run) is not None  # readers may still be served from the cache
    _, computed = runner.fill([run])
    assert computed == 1 and StoredResult.objects.filter(digest=run.digest).exists()
