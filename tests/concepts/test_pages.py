"""The read-only pages: topics on the home page, a concept card in the chosen language."""

import pytest
from django.urls import reverse

from concepts.content import load_content
from concepts.markup import render_markdown
from concepts.models import Concept, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(mini_content, write_content):
    load_content(write_content(mini_content))


def test_home_lists_topics_and_published_concepts_in_korean_by_default(client, loaded):
    Concept.objects.filter(slug="mini-sigmoid").update(status=Status.DRAFT)
    text = client.get(reverse("concepts:home")).content.decode()
    assert "미니" in text and "렐루" in text
    assert "시그모이드" not in text


def test_english_is_chosen_by_accept_language(client, loaded):
    text = client.get(reverse("concepts:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "ReLU" in text and "렐루" not in text


def test_the_language_switch_persists(client, loaded):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = client.get(reverse("concepts:concept", args=["mini-relu"])).content.decode()
    assert "What is ReLU?" in text and "What about Leaky ReLU?" in text


def test_a_concept_page_shows_the_card_and_its_questions(client, loaded):
    text = client.get(reverse("concepts:concept", args=["mini-relu"])).content.decode()
    assert "ReLU란?" in text and "Leaky ReLU는?" in text and "죽은 뉴런" in text
    assert "ReLU(−2)는?" in text


def test_a_draft_concept_is_not_found(client, loaded):
    Concept.objects.filter(slug="mini-relu").update(status=Status.DRAFT)
    assert client.get(reverse("concepts:concept", args=["mini-relu"])).status_code == 404


def test_markdown_keeps_latex_for_katex_and_escapes_html():
    html = render_markdown("Var is $\\frac{2}{n_{in}}$ and *x_1 y_1* <script>alert(1)</script>\n\n$$a_1 * b_2$$")
    assert "$\\frac{2}{n_{in}}$" in html
    assert "$$a_1 * b_2$$" in html
    assert "<em>x_1 y_1</em>" in html
    assert "<script>" not in html
