"""Links between shipped cards: every `/concepts/<slug>/` link lands on a card, and an
overview card (a map that answers a broad question) links every card it lists as related.

Reads the YAML directly: no database, no demos, so it runs in a second.
"""

import re
from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[2] / "fixtures" / "content"
LINK = re.compile(r"\]\(/concepts/([^/)\s]+)/\)")


def _concepts() -> list[dict]:
    concepts = []
    for path in sorted(CONTENT.glob("*.yaml")):
        concepts += yaml.safe_load(path.read_text(encoding="utf-8"))["concepts"]
    return concepts


def _texts(item: dict):
    """Every ko/en text of a card or question, as (field, text)."""
    for field, value in item.items():
        if isinstance(value, dict) and {"ko", "en"} <= set(value):
            for lang in ("ko", "en"):
                texts = value[lang] if isinstance(value[lang], list) else [value[lang]]
                yield from ((f"{field}.{lang}", t) for t in texts if isinstance(t, str))
        elif field == "choices":
            for choice in value:
                yield from ((f"choices.{lang}", str(choice[lang])) for lang in ("ko", "en"))


CONCEPTS = _concepts()
SLUGS = {c["slug"] for c in CONCEPTS}
OVERVIEWS = [c for c in CONCEPTS if c["slug"].endswith("-overview")]


def test_every_link_to_a_card_names_a_card_that_exists():
    broken = []
    for concept in CONCEPTS:
        for item in [concept, *concept.get("questions", [])]:
            for field, text in _texts(item):
                broken += [(item["slug"], field, slug) for slug in LINK.findall(text) if slug not in SLUGS]
    assert broken == []


def test_the_five_families_have_an_overview_card():
    assert {c["slug"] for c in OVERVIEWS} >= {
        "activation-functions-overview", "weight-initialization-overview", "loss-functions-overview",
        "optimizers-overview", "neural-network-architectures-overview",
    }


@pytest.mark.parametrize("overview", OVERVIEWS, ids=lambda c: c["slug"])
def test_an_overview_card_links_every_related_card_in_both_languages(overview):
    for lang in ("ko", "en"):
        linked = set(LINK.findall(overview["explanation"][lang]))
        assert set(overview["related"]) <= linked, (lang, sorted(set(overview["related"]) - linked))
        assert "|---|" in overview["explanation"][lang], "an overview is a comparison table"
