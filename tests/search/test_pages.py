"""The library page and the admin use the ranked search."""

import pytest
from django.urls import reverse

from concepts.models import Concept, Status

pytestmark = pytest.mark.django_db


def page(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_library_shows_the_ranked_cards_and_the_closest_question(client, loaded):
    html = page(client.get(reverse("concepts:library"), {"q": "ReLU(-2)은?"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert "1 card" in html and 'href="/concepts/mini-relu/"' in html
    assert "Closest question:" in html and "ReLU(-2)?" in html
    assert "Not covered yet" not in html


def test_the_library_says_honestly_when_nothing_covers_the_question(client, loaded):
    html = page(client.get(reverse("concepts:library"), {"q": "XGBoost vs random forest"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Not covered yet." in html and "No card answers “XGBoost vs random forest” yet." in html
    assert "mini-relu" not in html and "mini-sigmoid" not in html


def test_the_not_covered_message_is_in_korean_too(client, loaded):
    html = page(client.get(reverse("concepts:library"), {"q": "XGBoost란?"}, HTTP_ACCEPT_LANGUAGE="ko"))
    assert "아직 다루지 않는 주제입니다." in html


@pytest.mark.parametrize("lang, message", [
    ("en", "The question is 301 characters long; a search takes at most 300. Shorten it and search again."),
    ("ko", "질문이 301자입니다. 검색은 300자까지 할 수 있으니 줄여서 다시 검색해 주세요."),
])
def test_an_overlong_question_is_refused_with_its_length_not_cut(client, loaded, lang, message):
    query = "relu " * 60 + "x"  # 301 characters: the first 300 alone would find mini-relu
    html = page(client.get(reverse("concepts:library"), {"q": query}, HTTP_ACCEPT_LANGUAGE=lang))
    assert message in html
    assert f'value="{query}"' in html  # the box keeps the whole question
    assert "mini-relu" not in html
    # 300 characters are searched
    assert 'href="/concepts/mini-relu/"' in page(client.get(reverse("concepts:library"), {"q": query[:300]}))


def test_related_cards_are_labelled_as_related(client, shipped_content):
    html = page(client.get(reverse("concepts:library"), {"q": "What is gradient boosting?"},
                           HTTP_ACCEPT_LANGUAGE="en"))
    assert "Not covered yet." in html and "Related cards (they do not answer the question)" in html


def test_the_page_shows_the_same_answer_and_related_cards_as_the_api(client, shipped_content):
    from concepts import search

    result = search.search_cards(query="what are the downsides of ReLU")
    html = page(client.get(reverse("concepts:library"), {"q": "what are the downsides of ReLU"},
                           HTTP_ACCEPT_LANGUAGE="en"))
    answers, related = html.split("Related cards (they do not answer the question)")
    assert result.covered and result.results and result.related
    for match in result.results:
        assert f'href="/concepts/{match.concept.slug}/"' in answers
    for match in result.related:
        link = f'href="/concepts/{match.concept.slug}/"'
        assert link in related and link not in answers


def test_htmx_gets_only_the_results_fragment(client, loaded):
    html = page(client.get(reverse("concepts:library"), {"q": "시그모이드"}, HTTP_HX_REQUEST="true"))
    assert 'href="/concepts/mini-sigmoid/"' in html and "<form" not in html


def test_the_home_page_search_box_submits_to_the_library(client, loaded):
    html = page(client.get(reverse("concepts:home")))
    assert f'action="{reverse("concepts:library")}"' in html and 'name="q"' in html


def test_the_admin_lists_concepts_in_ranked_order_drafts_included(client, carol, loaded):
    client.force_login(carol)
    Concept.objects.filter(slug="mini-sigmoid").update(status=Status.DRAFT)
    response = client.get(reverse("admin:concepts_concept_changelist"), {"q": "ReLU(-2) sigmoid"})
    assert [c.slug for c in response.context["cl"].result_list] == ["mini-relu", "mini-sigmoid"]
    response = client.get(reverse("admin:concepts_concept_changelist"), {"q": "시그모이드"})
    assert [c.slug for c in response.context["cl"].result_list] == ["mini-sigmoid"]


def test_the_admin_still_finds_a_phrase_only_an_explanation_holds(client, carol, loaded):
    client.force_login(carol)
    response = client.get(reverse("admin:concepts_concept_changelist"), {"q": "Gradient 1 for positive"})
    assert [c.slug for c in response.context["cl"].result_list] == ["mini-relu"]


@pytest.mark.parametrize("lang, label", [("en", "Closest question (true or false?):"),
                                         ("ko", "가장 가까운 문제 (참일까요, 거짓일까요?):")])
def test_a_true_false_closest_question_is_shown_as_a_question_not_as_a_fact(client, loaded, lang, label):
    # a true/false prompt may be a false statement: shown bare, it would read as something the card claims
    html = page(client.get(reverse("concepts:library"), {"q": "ReLU gradient for positive inputs"},
                           HTTP_ACCEPT_LANGUAGE=lang))
    prompt = "ReLU has gradient 1 for positive inputs." if lang == "en" else "ReLU는 양수에서 기울기가 1이다."
    assert f"{label} {prompt}" in html
