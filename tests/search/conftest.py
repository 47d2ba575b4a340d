import pytest

from concepts import content, search
from concepts.content import checks


@pytest.fixture(autouse=True)
def _fresh_index(monkeypatch):
    """Each test starts with no cached index: a test's database may reuse another's ids."""
    monkeypatch.setattr(search.service, "_cached", None)


@pytest.fixture
def loaded(db, mini_content, write_content):
    """The small test topic, loaded: mini-relu (5 questions) and mini-sigmoid."""
    content.load_content(write_content(mini_content))


@pytest.fixture
def shipped_content(db, monkeypatch):
    """The shipped cards and aliases in the test database. The demo values the texts quote are
    not checked here (that runs every demo; tests/concepts/test_shipped_content.py does it)."""
    monkeypatch.setattr(checks, "demo_checks", lambda bundle, broken, charts=False: [])
    content.load_content()


@pytest.fixture(scope="module")
def shipped_index():
    """A search index over the shipped content read from fixtures/, no database: (index, slug of id)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checks, "demo_checks", lambda bundle, broken, charts=False: [])
        bundle, problems = content.read_bundle()
    assert problems == []
    slugs, question_ids = {}, 0
    cards = []
    for number, item in enumerate(bundle.concepts(), start=1):
        item.concept.pk = number
        slugs[number] = item.concept.slug
        for question in item.questions:
            question_ids += 1
            question.question.pk = question_ids
        cards.append(search.card_text(item.concept, [q.question for q in item.questions]))
    return search.SearchIndex(cards), slugs
