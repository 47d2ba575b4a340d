"""The library page starts building the search index in the background, so that the first search in a
process (Kiwi's load, the index) does not make the learner wait for it."""

import pytest
from django.urls import reverse

from concepts import content, search


@pytest.fixture
def committed_content(transactional_db, mini_content, write_content, monkeypatch, settings):
    """The small topic committed (the warm-up thread reads it through its own connection), warm-up on."""
    monkeypatch.setattr(search.service, "_warm_up", None)
    settings.SEARCH_WARM_UP = True
    content.load_content(write_content(mini_content))


def test_the_library_page_builds_the_index_in_the_background(client, committed_content):
    assert search.service._cached is None
    assert client.get(reverse("concepts:library")).status_code == 200
    thread = search.service._warm_up
    assert thread is not None and thread.name == "search-warm-up"
    thread.join(timeout=120)  # generous: Kiwi's load takes seconds on a busy machine
    assert not thread.is_alive()
    built = search.service._cached
    assert built is not None and built[0] == search.content_version()
    # the search that follows uses the index built in the background: nothing is rebuilt
    result = search.search_cards(query="ReLU(-2)은?")
    assert search.current_index() is built[1] and result.covered


def test_the_warm_up_starts_once_per_process(client, committed_content):
    first = search.warm_up_in_background()
    assert first is not None
    assert search.warm_up_in_background() is None  # already started: not a second thread
    first.join(timeout=120)
    client.get(reverse("concepts:library"))
    assert search.service._warm_up is first


def test_without_the_setting_nothing_is_built_behind_the_learners_back(client, committed_content, settings):
    settings.SEARCH_WARM_UP = False
    client.get(reverse("concepts:library"))
    assert search.service._warm_up is None and search.service._cached is None
