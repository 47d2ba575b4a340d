"""Grading every question kind, with the edge cases learners actually type."""

import pytest

from concepts.content import load_content
from study.grading import AnswerInvalid, grade, normalize_text, parse_numeric
from concepts.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def q(mini_content, write_content):
    load_content(write_content(mini_content))
    return lambda slug: Question.objects.prefetch_related("choices", "accepted_answers").get(slug=slug)


def test_single_choice_is_right_only_for_the_correct_choice(q):
    question = q("mini-single")
    right, wrong = [c.pk for c in question.choices.all()]
    assert grade(question, right).correct is True
    assert grade(question, wrong).correct is False
    assert grade(question, wrong).expected == {"choice": right}


@pytest.mark.parametrize("bad", [None, "1", True, 99999, [1]])
def test_single_choice_refuses_anything_but_one_of_its_choice_ids(q, bad):
    with pytest.raises(AnswerInvalid):
        grade(q("mini-single"), bad)


def test_multiple_select_gives_partial_credit_minus_wrong_picks(q):
    question = q("mini-multiple")
    sparse, cheap, bounded = [c.pk for c in question.choices.all()]
    assert (grade(question, [sparse, cheap]).correct, grade(question, [sparse, cheap]).score) == (True, 1.0)
    assert (grade(question, [sparse]).correct, grade(question, [sparse]).score) == (False, 0.5)
    assert grade(question, [sparse, bounded]).score == 0.0
    assert grade(question, [sparse, cheap, bounded]).score == 0.5


@pytest.mark.parametrize("bad", [[], "1,2", [1, 1], [True]])
def test_multiple_select_refuses_malformed_lists(q, bad):
    with pytest.raises(AnswerInvalid):
        grade(q("mini-multiple"), bad)


@pytest.mark.parametrize("response, correct", [(True, True), (False, False), ("true", True), ("참", True),
                                               ("거짓", False), ("O", True)])
def test_true_false_accepts_booleans_and_korean_or_english_words(q, response, correct):
    assert grade(q("mini-tf"), response).correct is correct


@pytest.mark.parametrize("response, correct", [
    (4, True), ("4", True), ("4.05", True), ("3.95 MB", True), ("4mb", True), (" 4  MB ", True),
    ("4.2", False), ("4,000", False), ("４ MB", True),
])
def test_numeric_answers_within_tolerance_with_or_without_the_unit(q, response, correct):
    assert grade(q("mini-numeric"), response).correct is correct


def test_a_numeric_answer_in_another_unit_is_wrong_and_says_why(q):
    result = grade(q("mini-numeric"), "4 GB")
    assert (result.correct, result.feedback) == (False, "unit_mismatch")
    assert result.expected == {"value": 4.0, "tolerance": 0.1, "unit": "MB"}


@pytest.mark.parametrize("bad", ["four", "", "MB", "nan", "inf", True, None, [4]])
def test_numeric_refuses_text_that_is_not_a_number(q, bad):
    with pytest.raises(AnswerInvalid):
        grade(q("mini-numeric"), bad)


@pytest.mark.parametrize("response, correct", [
    ("dying relu", True), ("Dying  ReLU", True), ("DYING RELU.", True), ("죽은 렐루", True), ("죽은렐루", True),
    ("ｄｙｉｎｇ ｒｅｌｕ", True), ("dead relu", True), ("vanishing gradient", False),
])
def test_short_answers_ignore_case_width_spaces_and_language(q, response, correct):
    assert grade(q("mini-short"), response).correct is correct


@pytest.mark.parametrize("bad", ["", "   ", 3, None])
def test_short_answer_refuses_an_empty_answer(q, bad):
    with pytest.raises(AnswerInvalid):
        grade(q("mini-short"), bad)


def test_helpers_normalize_and_parse():
    assert normalize_text("  Vanishing   Gradient! ") == "vanishinggradient"
    assert parse_numeric("1,000 params") == (1000.0, "params")
    assert parse_numeric("1e6") == (1e6, "")
