"""Settings come from the environment, with safe defaults and loud errors."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from quizsite.env import envbool, envint, envlist

ROOT = Path(__file__).resolve().parent.parent


def test_envbool_reads_common_spellings_and_refuses_others(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert envbool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert envbool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be one of"):
        envbool("FLAG", False)


def test_envint_names_the_variable_when_it_is_not_a_number(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be an integer, got 'ten'"):
        envint("COUNT", 1)


def test_envlist_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert envlist("HOSTS", []) == ["a.example", "b.example"]


def test_the_development_secret_key_is_flagged_by_check_deploy():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "quizsite.settings"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert "security.W009" in result.stderr + result.stdout


def _settings_value(name, **env):
    code = f"import quizsite.settings as s; print(s.{name})"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={"PATH": "/usr/bin:/bin", **env},
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_debug_is_off_unless_asked_for():
    # pytest-django forces DEBUG off inside tests, so read the settings module in a clean process.
    assert _settings_value("DEBUG") == "False"
    assert _settings_value("DEBUG", DEBUG="1") == "True"


def test_the_database_defaults_to_a_sqlite_file_in_the_project():
    assert _settings_value("DATABASES['default']['NAME']") == str(ROOT / "db.sqlite3")


def test_the_sqlite_database_is_set_up_for_concurrent_writers():
    options = _settings_value("DATABASES['default']['OPTIONS']")
    assert "'transaction_mode': 'IMMEDIATE'" in options and "'timeout': 20" in options
    assert "journal_mode=WAL" in options
