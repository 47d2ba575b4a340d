"""One value formatter in two styles, one place that marks chart SVG safe, and the Celery seam."""

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from sandbox.formatting import format_value, safe_svgs


@pytest.mark.parametrize("value, reader, author", [
    (816, "816", "816"),
    (1234, "1,234", "1234"),
    (12345, "12,345", "12,345"),
    (0.1234567, "0.1235", "0.123457"),
    (123456.0, "1.23e+05", "123456"),
    (0.000999, "9.99e-04", "0.000999"),
    (True, "True", "True"),
    ("ReLU", "ReLU", "ReLU"),
    (None, "None", "None"),
])
def test_one_formatter_reads_short_for_readers_and_precise_for_authors(value, reader, author):
    assert format_value(value) == reader
    assert format_value(value, style="author") == author


def test_a_format_spec_wins_over_the_style():
    assert format_value(0.256, ".1f", style="author") == "0.3"
    with pytest.raises(ValueError):
        format_value("ReLU", ".1f")


def test_safe_svgs_are_put_in_a_page_as_markup_and_other_text_is_still_escaped():
    svg = '<svg viewBox="0 0 1 1"><text>a &lt; b</text></svg>'
    [marked] = safe_svgs([svg])
    assert isinstance(marked, SafeString)
    html = Template("{% for c in charts %}{{ c }}{% endfor %}{{ other }}").render(
        Context({"charts": safe_svgs([svg]), "other": "<svg>"}))
    assert html == svg + "&lt;svg&gt;"


def test_a_job_sent_under_the_name_jobs_uses_runs_the_task_module_s_task_and_stores_the_result():
    """jobs sends the task by name and never imports sandbox.tasks; the name must reach that task."""
    from quizsite.celery import app
    from sandbox import jobs, runner

    import sandbox.tasks  # noqa: F401  (as the worker does: `include=["sandbox.tasks"]`)

    task = app.tasks[jobs.TASK_NAME]
    assert task.run.__module__ == "sandbox.tasks"
    prepared = runner.prepare("linear-collapse", {"depth": 3})
    assert runner.cached(prepared) is None
    task.apply(args=["linear-collapse", {"depth": 3}, "job-1"])  # runs here, as a worker thread would
    assert runner.cached(prepared).values["stacked_params"] == 816
