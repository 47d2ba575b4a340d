import os

import pytest

from sandbox import runner
from sandbox.demos import linear_collapse
from tests.sandbox.conftest import spy_on


@pytest.fixture
def spy_on_linear_collapse(monkeypatch):
    """Counts calls to the real linear-collapse demo."""
    return spy_on(monkeypatch, linear_collapse)


def test_bad_parameters_are_refused_with_a_message_per_field_and_the_demo_never_runs(spy_on_linear_collapse):
    with pytest.raises(runner.ParameterError) as caught:
        runner.run_demo("linear-collapse", {"depth": "99", "width": "wide", "colour": "red"})
    errors = caught.value.errors
    assert set(errors) == {"depth", "width", "colour"}
    assert "at most 12" in errors["depth"]
    assert "integer" in errors["width"]
    assert "unknown parameter" in errors["colour"]
    assert spy_on_linear_collapse == []


def test_an_unknown_demo_is_refused_as_a_sandbox_error():
    with pytest.raises(runner.SandboxError, match="no-such-demo"):
        runner.run_demo("no-such-demo", {})


def test_a_second_run_is_served_from_the_cache_with_the_same_data(spy_on_linear_collapse):
    first = runner.run_demo("linear-collapse", {"depth": "5"}, lang="en")
    second = runner.run_demo("linear-collapse", {"depth": 5}, lang="en")
    assert (first.cached, second.cached) == (False, True)
    assert second.values == first.values
    assert second.charts == first.charts
    assert second.as_dict()["cached"] is True
    assert len(spy_on_linear_collapse) == 1


def test_the_defaults_and_the_same_values_spelled_out_share_one_cache_entry(spy_on_linear_collapse):
    runner.run_demo("linear-collapse", {})
    assert runner.run_demo("linear-collapse", {"depth": "4", "width": 16.0, "samples": ""}).cached
    assert len(spy_on_linear_collapse) == 1


def test_the_cache_key_changes_with_the_version_and_the_parameters():
    base = runner.cache_key("linear-collapse", 1, {"depth": 4})
    assert runner.cache_key("linear-collapse", 2, {"depth": 4}) != base
    assert runner.cache_key("linear-collapse", 1, {"depth": 5}) != base
    assert runner.cache_key("linear-collapse", 1, {"depth": 4}) == base


def test_refresh_runs_again_even_when_cached(spy_on_linear_collapse):
    runner.run_demo("linear-collapse", {})
    again = runner.run_demo("linear-collapse", {}, refresh=True)
    assert not again.cached
    assert len(spy_on_linear_collapse) == 2


def test_the_language_picks_the_summary_and_chart_labels():
    ko = runner.run_demo("linear-collapse", {}, lang="ko")
    en = runner.run_demo("linear-collapse", {}, lang="en")
    assert ko.summary != en.summary and "선형층" in ko.summary
    assert "합친 층의 출력" in ko.charts[0] and "collapsed output" in en.charts[0]


def test_in_process_runs_still_use_one_torch_thread(stub_demo):
    import torch

    torch.set_num_threads(2)  # as a web process might have it
    try:
        assert runner.run_demo(stub_demo, {}).values["threads"] == 1
    finally:
        torch.set_num_threads(1)


def test_a_result_over_the_size_cap_is_refused_and_not_cached(stub_demo, settings):
    settings.SANDBOX_MAX_RESULT_BYTES = 50_000
    with pytest.raises(runner.ResultTooLarge, match="limit"):
        runner.run_demo(stub_demo, {"payload_kb": 100})
    assert not runner.run_demo(stub_demo, {"payload_kb": 1}).cached


def test_a_failing_demo_raises_demo_failed_with_its_message(stub_demo):
    with pytest.raises(runner.DemoFailed, match="stub demo asked to fail"):
        runner.run_demo(stub_demo, {"fail": True})


def test_non_finite_numbers_become_none_so_the_result_is_strict_json():
    assert runner.json_safe({"a": [1.0, float("nan")], "b": float("inf"), "c": True}) == {
        "a": [1.0, None],
        "b": None,
        "c": True,
    }


def test_a_worker_process_runs_the_demo_on_one_thread(stub_demo, process_mode):
    outcome = runner.run_demo(stub_demo, {})
    assert outcome.values["threads"] == 1
    assert outcome.values["pid"] != os.getpid()
    assert outcome.summary == "스텁 결과"


def test_a_slow_demo_is_killed_at_the_timeout_and_its_worker_is_gone(stub_demo, process_mode):
    process_mode.SANDBOX_TIMEOUT_S = 1  # the stub asks for 120 s: it times out however fast the machine is
    with pytest.raises(runner.DemoTimeout, match="did not finish within 1 s") as caught:
        runner.run_demo(stub_demo, {"seconds": 120})
    with pytest.raises(ProcessLookupError):
        os.kill(caught.value.pid, 0)  # killed and reaped, not merely abandoned
    process_mode.SANDBOX_TIMEOUT_S = 120  # recovery is checked with a generous budget, not the 1 s one
    assert runner.run_demo(stub_demo, {}).values["threads"] == 1  # and the next run works as before


def test_a_worker_that_raises_reports_demo_failed(stub_demo, process_mode):
    with pytest.raises(runner.DemoFailed, match="ValueError: stub demo asked to fail"):
        runner.run_demo(stub_demo, {"fail": True})


def test_table_headers_and_word_cells_are_shown_in_the_outcomes_language():
    ko = runner.run_demo("classification-threshold", {}, lang="ko")
    en = runner.run_demo("classification-threshold", {}, lang="en")
    for outcome in (ko, en):
        for table in outcome.tables.values():
            assert all(isinstance(c, str) for c in table["columns"])
            assert not any(isinstance(cell, dict) for row in table["rows"] for cell in row)
    assert ko.tables != en.tables
    assert ko.as_dict()["tables"] == ko.tables
