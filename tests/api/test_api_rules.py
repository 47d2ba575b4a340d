"""Rules that hold on every endpoint: one for `lang`, whole-number page sizes, any valid username."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

LANG_ENDPOINTS = ["/api/topics/", "/api/concepts/", "/api/questions/", "/api/concepts/mini-relu/",
                  "/api/flashcards/due/", "/api/flashcards/mini-relu/", "/api/stats/", "/api/quizzes/",
                  "/api/search/?q=relu", "/api/export/anki/", "/concepts/", "/"]


def _with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


@pytest.mark.parametrize("url", LANG_ENDPOINTS)
def test_an_unknown_lang_is_a_400_naming_lang_everywhere(as_alice, content, url):
    response = as_alice.get(_with_lang(url, "AAA"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert list(response.json()) == ["lang"]
    else:
        assert "lang" in response.content.decode()


@pytest.mark.parametrize("url", LANG_ENDPOINTS)
def test_ko_and_en_are_taken_everywhere(as_alice, content, url):
    assert as_alice.get(_with_lang(url, "en")).status_code == 200


def test_the_anki_export_also_takes_both_and_says_which_values_it_takes(api, content):
    assert api.get("/api/export/anki/", {"lang": "both"}).status_code == 200
    with translation.override("en"):
        response = api.get("/api/export/anki/", {"lang": "fr"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"lang": ["Use one of: ko, en, both."]}
    assert api.get("/api/topics/", {"lang": "both"}).status_code == 400


@pytest.mark.parametrize("page_size", ["1.5", "0", "-1", "abc", "101"])
def test_page_size_must_be_a_whole_number_from_1_to_100(api, content, page_size):
    response = api.get("/api/concepts/", {"page_size": page_size})
    assert response.status_code == 400 and list(response.json()) == ["page_size"]


def test_a_valid_page_size_is_used(api, content):
    assert len(api.get("/api/concepts/", {"page_size": "1"}).json()["results"]) == 1


def test_the_username_0_is_as_valid_as_any(api):
    signup = api.post("/api/auth/signup/", {"username": "0", "password": "a long passphrase 42"}, format="json")
    assert signup.status_code == 201, signup.json()
    token = api.post("/api/auth/token/", {"username": "0", "password": "a long passphrase 42"}, format="json")
    assert token.status_code == 200 and token.json()["token"] == signup.json()["token"]
