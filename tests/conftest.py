"""Shared test settings and personas.

alice and bob are learners, carol is an author (staff). Settings are switched to
fast equivalents here, never in quizsite/settings.py.
"""

import pytest


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    """MD5 hashing and plain static storage: the suite needs neither bcrypt-grade hashes nor collectstatic."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SANDBOX_IN_PROCESS = True


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", "alice@example.com", "correct horse 1")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", "bob@example.com", "correct horse 2")


@pytest.fixture
def carol(django_user_model):
    """An author: staff with every permission, as an admin user would be."""
    return django_user_model.objects.create_superuser("carol", "carol@example.com", "correct horse 3")
