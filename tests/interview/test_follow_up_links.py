"""The content format's follow-up links: validated, loaded, shown on the concept page, proposed by a script."""

import copy
import sys
from pathlib import Path

import pytest

from concepts.content import read_bundle
from concepts.models import Concept
from tests.interview.conftest import INTERVIEW_TOPIC

pytestmark = pytest.mark.django_db


def problems_of(write_content, topic):
    _bundle, problems = read_bundle(write_content(topic), aliases=None)
    return [str(p) for p in problems]


def test_validate_content_rejects_a_follow_up_linked_to_a_missing_card(write_content):
    topic = copy.deepcopy(INTERVIEW_TOPIC)
    topic["concepts"][0]["follow_up_cards"] = ["iv-dying-relu", "no-such-card"]
    assert problems_of(write_content, topic) == [
        "00-iv.yaml: concept 'iv-relu' follow-up #2: linked card 'no-such-card' does not exist"]


def test_validate_content_rejects_a_list_of_the_wrong_length(write_content):
    topic = copy.deepcopy(INTERVIEW_TOPIC)
    topic["concepts"][0]["follow_up_cards"] = ["iv-dying-relu"]
    problems = problems_of(write_content, topic)
    assert len(problems) == 1
    assert problems[0].startswith("00-iv.yaml: concept 'iv-relu': field 'follow_up_cards' has 1 item(s)")


def test_validate_content_rejects_a_card_linking_itself_and_a_non_slug(write_content):
    topic = copy.deepcopy(INTERVIEW_TOPIC)
    topic["concepts"][0]["follow_up_cards"] = ["iv-relu", None]
    topic["concepts"][1]["follow_up_cards"] = [3, None]
    assert problems_of(write_content, topic) == [
        "00-iv.yaml: concept 'iv-dying-relu': field 'follow_up_cards' must be a list of concept slugs or nulls",
        "00-iv.yaml: concept 'iv-relu' follow-up #1: links the card itself",
    ]


def test_links_are_loaded_and_a_linked_follow_up_is_a_link_on_the_concept_page(client, iv_content):
    assert Concept.objects.get(slug="iv-relu").follow_up_cards == ["iv-dying-relu", "iv-leaky-relu"]
    html = client.get("/concepts/iv-dying-relu/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<a href="/concepts/iv-he/"><p>Next about Dying ReLU 2</p>' in html.replace("\n", "")
    assert "Next about Dying ReLU 1" in html


def test_the_script_links_only_confident_matches_and_writes_them_as_one_line(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import link_follow_ups

    topic = copy.deepcopy(INTERVIEW_TOPIC)
    for concept in topic["concepts"]:
        concept.pop("follow_up_cards")
    topic["concepts"][4]["follow_ups"] = {  # sigmoid: one follow-up the vanishing card answers, one nobody does
        "ko": ["기울기 소실은 왜 생기나요?", "오늘 점심은 무엇인가요?"],
        "en": ["Why do gradients vanish?", "What is for lunch today?"]}
    import yaml

    path = tmp_path / "01-iv.yaml"
    path.write_text(yaml.safe_dump(topic, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert link_follow_ups.main([str(path), "--apply", "--aliases", str(tmp_path / "none.yaml")]) == 0
    written = yaml.safe_load(path.read_text(encoding="utf-8"))
    sigmoid = next(c for c in written["concepts"] if c["slug"] == "iv-sigmoid")
    assert sigmoid["follow_up_cards"] == ["iv-vanishing", None]
