"""Search aliases: authored in fixtures/search/aliases.yaml, checked and loaded with the content."""

import pytest
import yaml
from django.core.exceptions import ValidationError

from concepts.content import ContentInvalid, aliases_file, load_content, read_bundle
from concepts.models import Concept

pytestmark = pytest.mark.django_db


@pytest.fixture
def write_aliases(tmp_path):
    def write(data):
        path = tmp_path / "aliases.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path

    return write


def test_aliases_are_loaded_onto_their_concepts_and_loading_twice_changes_nothing(
        mini_content, write_content, write_aliases):
    paths = write_content(mini_content)
    aliases = write_aliases({"mini-relu": {"ko": ["정류 선형 유닛"], "en": ["rectifier"]}})
    load_content(paths, aliases=aliases)
    relu = Concept.objects.get(slug="mini-relu")
    assert (relu.aliases_ko, relu.aliases_en) == (["정류 선형 유닛"], ["rectifier"])
    assert Concept.objects.get(slug="mini-sigmoid").aliases_en == []

    report = load_content(paths, aliases=aliases)
    assert not report.changed


def test_an_edited_alias_updates_the_concept(mini_content, write_content, write_aliases):
    paths = write_content(mini_content)
    load_content(paths, aliases=write_aliases({"mini-relu": {"en": ["rectifier"]}}))
    report = load_content(paths, aliases=write_aliases({"mini-relu": {"en": ["rectified linear"]}}))
    assert report.updated == {"concept": 1}
    assert Concept.objects.get(slug="mini-relu").aliases_en == ["rectified linear"]


def test_loading_named_files_without_an_aliases_file_keeps_the_aliases(mini_content, write_content, write_aliases):
    paths = write_content(mini_content)
    load_content(paths, aliases=write_aliases({"mini-relu": {"en": ["rectifier"]}}))
    load_content(paths)
    assert Concept.objects.get(slug="mini-relu").aliases_en == ["rectifier"]


@pytest.mark.parametrize("entry, message", [
    ({"no-such-card": {"en": ["x"]}}, "no concept has this slug"),
    ({"mini-relu": ["rectifier"]}, "must be a mapping {ko: [...], en: [...]}"),
    ({"mini-relu": {"fr": ["redresseur"]}}, "must be a mapping {ko: [...], en: [...]}"),
    ({"mini-relu": {"en": "rectifier"}}, "'en': Must be a list of texts."),
    ({"mini-relu": {"en": ["rectifier", " "]}}, "'en': Every entry must be a non-empty text."),
    ({"mini-relu": {"en": ["Rectifier", "rectifier"]}}, "'en': alias 'rectifier' is listed twice"),
])
def test_broken_alias_entries_are_reported_and_nothing_is_written(
        mini_content, write_content, write_aliases, entry, message):
    paths = write_content(mini_content)
    _, problems = read_bundle(paths, aliases=write_aliases(entry))
    assert [p.message for p in problems] == [message]
    assert problems[0].file == "aliases.yaml"
    with pytest.raises(ContentInvalid):
        load_content(paths, aliases=write_aliases(entry))
    assert not Concept.objects.exists()


def test_the_model_validates_aliases_like_its_other_lists(mini_content, write_content):
    load_content(write_content(mini_content))
    relu = Concept.objects.get(slug="mini-relu")
    relu.aliases_en = "rectifier"
    with pytest.raises(ValidationError) as caught:
        relu.full_clean()
    assert "aliases_en" in caught.value.message_dict


def test_every_shipped_concept_has_aliases_in_both_languages():
    aliases = yaml.safe_load(aliases_file().read_text(encoding="utf-8"))
    slugs = set()
    for path in sorted(aliases_file().parent.parent.glob("content/*.yaml")):
        slugs |= {c["slug"] for c in yaml.safe_load(path.read_text(encoding="utf-8"))["concepts"]}
    assert set(aliases) == slugs
    assert [s for s, entry in aliases.items() if not entry.get("ko") or not entry.get("en")] == []
