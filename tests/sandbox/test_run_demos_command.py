from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from concepts.models import Concept, Topic


def run_demos(*args):
    out = StringIO()
    call_command("run_demos", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def topic(db):
    return Topic.objects.create(slug="t", title_ko="주제", title_en="Topic")


@pytest.mark.django_db
def test_it_runs_the_named_demos_at_their_defaults_and_prints_the_time():
    out = run_demos("backprop", "cnn-shapes")
    assert " ms  backprop {}  (defaults)" in out
    assert " ms  cnn-shapes {}  (defaults)" in out
    assert "2 of 2 runs succeeded." in out


@pytest.mark.django_db
def test_it_also_runs_every_parameter_set_content_links_to(topic):
    Concept.objects.create(topic=topic, slug="deep", demo_key="backprop", demo_params={"lr": 0.1})
    Concept.objects.create(topic=topic, slug="deep-again", demo_key="backprop", demo_params={"lr": 0.1})
    out = run_demos("backprop")
    assert 'backprop {"lr": 0.1}  (concept deep)' in out
    assert "2 of 2 runs succeeded." in out  # the duplicate reference runs once


@pytest.mark.django_db
def test_a_failing_run_makes_the_command_fail(topic, stub_demo):
    Concept.objects.create(topic=topic, slug="broken", demo_key=stub_demo, demo_params={"fail": True})
    with pytest.raises(CommandError, match="1 demo run"):
        run_demos(stub_demo)


def test_unknown_demo_keys_are_refused():
    with pytest.raises(CommandError, match="Unknown demo"):
        run_demos("no-such-demo")


@pytest.mark.django_db
def test_missing_content_tables_are_skipped_with_a_warning(monkeypatch):
    from django.db import OperationalError

    def no_table(*args, **kwargs):
        raise OperationalError("no such table: concepts_concept")

    monkeypatch.setattr(Concept.objects, "exclude", no_table)
    out = run_demos("backprop")
    assert "Skipping content references from Concept: no such table" in out
    assert "1 of 1 runs succeeded." in out
