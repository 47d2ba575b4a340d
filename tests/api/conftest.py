import pytest
from rest_framework.test import APIClient

from concepts.content import load_content


@pytest.fixture
def content(db, mini_content, write_content):
    """The small test topic, loaded: 2 concepts, 5 questions of every kind."""
    load_content(write_content(mini_content))


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_alice(api, alice):
    api.force_authenticate(alice)
    return api


@pytest.fixture
def as_bob(alice, bob):
    client = APIClient()
    client.force_authenticate(bob)
    return client
