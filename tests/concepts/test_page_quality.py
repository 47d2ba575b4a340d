"""Page quality that a browser audit checks: descriptions, aria targets, a 404 in the site's layout, KaTeX only with math."""

import re

import pytest
from django.urls import reverse

from concepts.content import load_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(mini_content, write_content):
    load_content(write_content(mini_content))


def page(client, url, lang="ko", **kwargs):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang, **kwargs)
    return response.status_code, response.content.decode()


def description(html):
    match = re.search(r'<meta name="description" content="([^"]*)">', html)
    return match and match.group(1)


def describedby_targets_missing(html):
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    wanted = {t for value in re.findall(r'aria-describedby="([^"]+)"', html) for t in value.split()}
    return wanted - ids


def test_every_page_has_a_description_and_a_concept_page_uses_its_one_line_answer(client, alice, loaded):
    for url in ("/", reverse("concepts:library"), reverse("login"), reverse("concepts:signup")):
        assert description(page(client, url)[1]), url
    assert description(page(client, reverse("concepts:concept", args=["mini-relu"]), "en")[1]) == "It is max(0, x)."
    client.force_login(alice)
    for url in (reverse("concepts:quiz-setup"), reverse("concepts:review"), reverse("concepts:progress")):
        assert description(page(client, url)[1]), url


def test_aria_describedby_points_at_help_texts_and_errors_that_exist(client, alice, loaded):
    _, signup = page(client, reverse("concepts:signup"))
    assert "id_password1_helptext" in signup and not describedby_targets_missing(signup)
    response = client.post(reverse("concepts:signup"), {"username": "", "password1": "x", "password2": "y"})
    assert 'id="id_username_error"' in response.content.decode()
    assert not describedby_targets_missing(response.content.decode())
    client.force_login(alice)
    _, setup = page(client, reverse("concepts:quiz-setup"))
    assert 'id="id_time_limit_min_helptext"' in setup and not describedby_targets_missing(setup)
    response = client.post(reverse("concepts:quiz-setup"), {"length": 1, "kinds": ["numeric"]})
    _, question = page(client, response["Location"])
    assert 'aria-describedby="id_answer_helptext"' in question and not describedby_targets_missing(question)


@pytest.mark.parametrize(("lang", "heading"), [("ko", "페이지를 찾을 수 없습니다"), ("en", "Page not found")])
def test_the_404_page_uses_the_site_layout_in_the_page_language(client, loaded, settings, lang, heading):
    settings.DEBUG = False
    status, html = page(client, "/no-such-page/", lang)
    assert status == 404
    assert f'<html lang="{lang}">' in html and "<main>" in html and 'class="bar"' in html and heading in html
    assert description(html)


def test_katex_loads_only_on_pages_with_math_and_its_css_does_not_block_rendering(client, loaded):
    _, home = page(client, "/")
    _, concept = page(client, reverse("concepts:concept", args=["mini-relu"]))
    assert "katex" not in home
    assert 'katex.min.css" media="print" data-katex-css' in concept and "katex.min.js" in concept
    assert 'rel="preload" href="/static/vendor/katex/fonts/KaTeX_Main-Regular.woff2" as="font"' in concept


def test_the_practice_checkbox_sits_with_its_label(client, alice, loaded):
    client.force_login(alice)
    _, setup = page(client, reverse("concepts:quiz-setup"))
    assert re.search(r'<div class="field check">\s*<input type="checkbox" name="practice"[^>]*>\s*<label for="id_practice"',
                     setup)
