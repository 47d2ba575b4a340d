"""Integrity as system checks: a broken demo or a stored link to a demo that no longer takes it fails
`manage.py check`, naming the demo or the row; the shipped registry and content pass."""

import os
import subprocess
import sys
import types
from functools import cache
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from concepts.checks import check_demo_links, link_problems
from concepts.models import Concept, Question, Topic
from quizsite.languages import LANGUAGES
from sandbox import registry
from sandbox.checks import check_demos, demo_problems
from sandbox.params import Param

ROOT = Path(__file__).resolve().parents[2]


@cache
def shipped_links() -> tuple[tuple[str, str, dict], ...]:
    """(where, demo key, params) of every `demo: {key, params}` in the shipped content files."""
    links = []

    def walk(node, where):
        if isinstance(node, dict):
            where = f"{where}/{node['slug']}" if isinstance(node.get("slug"), str) else where
            demo = node.get("demo")
            if isinstance(demo, dict) and "key" in demo:
                links.append((where, demo["key"], demo.get("params") or {}))
            for value in node.values():
                walk(value, where)
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    for path in sorted(Path(settings.CONTENT_DIR).glob("*.yaml")):
        walk(yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)),
             path.name)
    return tuple(links)


def ids(messages) -> list[str]:
    return sorted(m.id for m in messages)


# -- the registry --------------------------------------------------------------------------

def test_every_registered_demo_passes_the_checks():
    assert check_demos() == []


def test_every_demo_is_linked_from_the_shipped_content_and_every_parameter_speaks_both_languages():
    links = shipped_links()
    assert len(links) > 100  # the walk really reads the content (every card and most questions link a demo)
    linked = {key for _, key, _ in links}
    assert sorted(set(registry.DEMOS) - linked) == []
    for key in registry.DEMOS:
        demo = registry.get(key)
        for lang in LANGUAGES:
            assert demo.TITLE[lang].strip() and demo.DESCRIPTION[lang].strip(), (key, lang)
            for param in demo.PARAMS:
                assert param.label(lang).strip() and param.help(lang).strip(), (key, param.name, lang)


def test_the_shipped_content_links_only_demos_that_take_its_parameters():
    assert link_problems(shipped_links()) == []


def test_param_takes_keywords_only():
    with pytest.raises(TypeError):
        Param("depth", "int", 4, "층 수", "Layers", "쌓을 층 수", "Layers to stack")  # the old positional form


@pytest.fixture
def broken_demo(monkeypatch):
    """A registered demo with one of every problem: no VERSION, no English title, a parameter
    without Korean help, another whose default breaks its own bounds, and no run()."""
    module = types.ModuleType("tests.sandbox.broken_demo")
    module.TITLE = {"ko": "고장 난 데모", "en": ""}
    module.DESCRIPTION = {"ko": "설명", "en": "Description"}
    module.PARAMS = (
        Param(name="depth", kind="int", default=4, min=1, max=8, label_ko="깊이", label_en="Depth",
              help_ko="", help_en="Layers"),
        Param(name="rate", kind="float", default=5.0, min=0, max=1, label_ko="비율", label_en="",
              help_ko="비율", help_en="Rate"),
    )
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(registry.DEMOS, "broken", module.__name__)
    return module


def test_a_broken_demo_is_reported_by_id_naming_the_demo_and_what_is_missing(broken_demo):
    errors = check_demos()
    assert ids(errors) == ["sandbox.E002", "sandbox.E004", "sandbox.E005", "sandbox.E006", "sandbox.E007",
                           "sandbox.E008"]
    text = "\n".join(e.msg for e in errors)
    assert all(e.msg.startswith("demo 'broken' (tests.sandbox.broken_demo): ") for e in errors)
    assert "TITLE has no text in en" in text
    assert "parameter 'depth' has no help in ko" in text
    assert "parameter 'rate' has no label in en" in text
    assert "the default of 'rate' (5.0) is refused: must be at most 1 (got 5)" in text


def test_a_demo_whose_module_cannot_be_imported_is_reported(monkeypatch):
    monkeypatch.setitem(registry.DEMOS, "ghost", "sandbox.demos.no_such_demo")
    [error] = demo_problems("ghost", "sandbox.demos.no_such_demo")
    assert error.id == "sandbox.E001" and "ModuleNotFoundError" in error.msg
    assert ids(check_demos()) == ["sandbox.E001"]


def test_manage_py_check_fails_on_a_broken_demo(broken_demo):
    with pytest.raises(SystemCheckError, match=r"sandbox\.E002.*VERSION"):
        call_command("check")


def test_params_that_are_not_a_tuple_of_param_are_reported(broken_demo):
    broken_demo.PARAMS = [{"name": "depth"}]
    assert "sandbox.E003" in ids(check_demos())


# -- the database --------------------------------------------------------------------------

@pytest.fixture
def topic(db):
    return Topic.objects.create(slug="t", title_ko="주제", title_en="Topic")


def test_stored_links_to_a_missing_demo_or_refused_parameters_fail_the_database_check(topic):
    gone = Concept.objects.create(topic=topic, slug="gone", demo_key="no-such-demo", demo_params={})
    fine = Concept.objects.create(topic=topic, slug="fine", demo_key="linear-collapse", demo_params={"depth": 3})
    question = Question.objects.create(concept=fine, slug="too-deep", kind="true_false", answer_bool=True,
                                       prompt_en="Deep?", prompt_ko="깊은가요?",
                                       demo_key="linear-collapse", demo_params={"depth": 99})

    errors = check_demo_links(databases=["default"])

    assert [(e.id, e.msg.split(":")[0]) for e in errors] == [
        ("concepts.E001", f"concepts.Concept 'gone' (pk {gone.pk})"),
        ("concepts.E002", f"concepts.Question 'too-deep' (pk {question.pk})"),
    ]
    assert "Unknown demo 'no-such-demo'" in errors[0].msg
    assert "depth: must be at most 12 (got 99)" in errors[1].msg
    with pytest.raises(SystemCheckError, match=r"concepts\.E001"):
        call_command("check", databases=["default"])
    call_command("check")  # a plain check reads no database


def test_the_database_check_passes_on_valid_links(topic):
    Concept.objects.create(topic=topic, slug="fine", demo_key="linear-collapse", demo_params={"depth": 3})
    Concept.objects.create(topic=topic, slug="no-demo")
    assert check_demo_links(databases=["default"]) == []
    assert check_demo_links(databases=None) == []


def test_migrate_and_the_database_check_pass_on_an_empty_database(tmp_path):
    """`migrate` runs the database checks before it creates the tables: they must find nothing to check."""
    env = {**os.environ, "SQLITE_PATH": str(tmp_path / "fresh.sqlite3"), "DJANGO_SETTINGS_MODULE": "quizsite.settings"}
    env.pop("DATABASE_URL", None)
    for args in (["migrate", "-v", "0"], ["check", "--database", "default"]):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, (args, done.stderr[-2000:])
    assert "no issues" in done.stdout
