"""How right answers are shown: a numeric unit once (none for a pure number), accepted answers each once."""

import pytest

from concepts.content import load_content
from concepts.models import AcceptedAnswer, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(mini_content, write_content):
    load_content(write_content(mini_content))
    return {q.slug: q for q in Question.objects.all()}


@pytest.mark.parametrize(("unit", "value", "shown"), [
    ("MB", 4, "4 MB (± 0.1)"),
    ("(unitless)", -0.1, "-0.1 (± 0.1)"),
    ("unitless", 0.5, "0.5 (± 0.1)"),
    ("", 2, "2 (± 0.1)"),
    ("×", 2.5, "2.5× (± 0.1)"),
])
def test_a_numeric_answer_shows_its_unit_once_and_no_unitless_marker(questions, unit, value, shown):
    question = questions["mini-numeric"]
    question.numeric_unit, question.numeric_value = unit, value
    assert question.answer_text("en") == shown
    assert "unitless" not in question.unit_label


def test_accepted_answers_are_listed_once_with_the_page_language_first(questions):
    question = questions["mini-short"]
    AcceptedAnswer.objects.create(question=question, language="ko", text="Dying ReLU")
    question = Question.objects.prefetch_related("accepted_answers").get(pk=question.pk)
    english, korean = question.accepted_texts("en"), question.accepted_texts("ko")
    assert sorted(english[:2]) == ["dead relu", "dying relu"] and english[2:] == ["죽은 렐루"]
    assert sorted(korean[:2]) == ["dying relu", "죽은 렐루"] and korean[2:] == ["dead relu"]  # "Dying ReLU" once
