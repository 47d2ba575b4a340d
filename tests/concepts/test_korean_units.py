"""A numeric answer's unit in the page's language: a Korean page says "10개 층", never "10 layers", and a
learner may answer with either language's unit. Technical units (MB, params, px) read the same in both."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from concepts import anki, units
from concepts.content import load_content
from study.grading import grade
from tests.exports.test_anki import _notes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("unit", "ko", "en"), [
    ("layers", "10개 층", "10 layers"), ("pp", "10%p", "10 pp"), ("images", "10장", "10 images"),
    ("epoch", "10 에포크", "10 epoch"), ("MB", "10 MB", "10 MB"), ("params", "10 params", "10 params"),
    ("×", "10×", "10×"), ("", "10", "10"),
])
def test_a_value_reads_with_its_unit_in_each_language(unit, ko, en):
    assert units.with_value("10", unit, "ko") == ko and units.with_value("10", unit, "en") == en


def numeric(unit):
    return SimpleNamespace(kind="numeric", numeric_value=10.0, numeric_tolerance=0.0, numeric_unit=unit)


@pytest.mark.parametrize("given", ["10 layers", "10개 층", "10개층", "10층", "10개", "10 LAYERS", "10"])
def test_either_languages_unit_is_accepted(given):
    assert grade(numeric("layers"), given).correct is True


@pytest.mark.parametrize(("unit", "given"), [("layers", "10 MB"), ("layers", "10장"), ("pp", "10%"), ("MB", "10층")])
def test_another_unit_is_still_a_unit_mismatch(unit, given):
    assert grade(numeric(unit), given).feedback == "unit_mismatch"


@pytest.fixture
def layers_question(mini_content, write_content):
    question = next(q for q in mini_content["concepts"][0]["questions"] if q["slug"] == "mini-numeric")
    question.update(value=10, tolerance=0, unit="layers")
    load_content(write_content(mini_content))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_korean_quiz_page_and_its_feedback_name_the_unit_in_korean(client, alice, layers_question):
    client.force_login(alice)
    api = APIClient()
    api.force_authenticate(alice)
    quiz = api.post(reverse("api:quizzes"), {"length": 5, "kinds": ["numeric"]}, format="json").json()
    assert [i["question"]["slug"] for i in quiz["items"]] == ["mini-numeric"]
    page = client.get(reverse("concepts:quiz", args=[quiz["id"]]), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<span class="unit">개 층</span>' in page and "layers" not in page
    assert "단위(개 층)를 붙여도 됩니다" in page
    wrong = client.post(reverse("concepts:quiz-answer", args=[quiz["id"]]), {"position": 1, "answer": "12층"},
                        HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "10개 층 (± 0)" in _text(wrong) and "layers" not in wrong
    summaries = {lang: _text(client.get(reverse("concepts:quiz-summary", args=[quiz["id"]]), follow=True,
                                        HTTP_ACCEPT_LANGUAGE=lang).content.decode()) for lang in ("ko", "en")}
    assert "10개 층 (± 0)" in summaries["ko"] and "layers" not in summaries["ko"]  # the missed question's answer
    assert "10 layers (± 0)" in summaries["en"]


def test_the_api_gives_the_unit_in_the_requests_language(alice, layers_question):
    api = APIClient()
    api.force_authenticate(alice)
    units_by_lang = {}
    for lang in ("ko", "en"):
        quiz = api.post(reverse("api:quizzes") + f"?lang={lang}", {"kinds": ["numeric"]}, format="json").json()
        units_by_lang[lang] = quiz["items"][0]["question"]["unit"]
    assert units_by_lang == {"ko": "개 층", "en": "layers"}


def test_korean_anki_notes_name_the_unit_in_korean(layers_question, tmp_path):
    front, back = _notes(anki.export_anki(mode="ko", questions=True).content, tmp_path)["mini-numeric"][1][:2]
    assert "(단위: 개 층)" in front and "10개 층" in back and "layers" not in front + back
