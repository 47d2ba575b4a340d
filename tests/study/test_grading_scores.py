"""Grading pinned down: the score of every kind, the exact expected answer, and the edges of the rules.

Written against the survivors of a mutation run (bench/mutation.py): each test here
fails for a change to grading.py that the older tests let through.
"""

from types import SimpleNamespace

import pytest

from concepts.content import load_content
from study.grading import AnswerInvalid, grade
from concepts.models import Question


@pytest.fixture(autouse=True)
def _english():
    """Grading messages are translated; these tests read the English ones."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def q(db, mini_content, write_content):
    load_content(write_content(mini_content))
    return lambda slug: Question.objects.prefetch_related("choices", "accepted_answers").get(slug=slug)


def numeric(value, tolerance, unit=""):
    """A numeric question without the database: grading reads these four attributes only."""
    return SimpleNamespace(kind="numeric", numeric_value=value, numeric_tolerance=tolerance, numeric_unit=unit)


def test_a_multiple_select_answer_with_a_choice_id_that_does_not_exist_is_refused(q):
    question = q("mini-multiple")
    sparse, cheap, _ = [c.pk for c in question.choices.all()]
    with pytest.raises(AnswerInvalid, match=rf"Unknown choice id\(s\): \[{cheap + 1000}\]"):
        grade(question, [sparse, cheap, cheap + 1000])


def test_true_false_scores_one_or_zero_and_shows_the_answer(q):
    right, wrong = grade(q("mini-tf"), True), grade(q("mini-tf"), "false")
    assert (right.correct, right.score, right.expected) == (True, 1.0, {"answer": True})
    assert (wrong.correct, wrong.score, wrong.expected) == (False, 0.0, {"answer": True})


def test_numeric_scores_one_or_zero_and_shows_value_tolerance_and_unit(q):
    expected = {"value": 4.0, "tolerance": 0.1, "unit": "MB"}
    right, wrong = grade(q("mini-numeric"), "4.05 MB"), grade(q("mini-numeric"), "4.2")
    assert (right.correct, right.score, right.expected, right.feedback) == (True, 1.0, expected, "")
    assert (wrong.correct, wrong.score, wrong.expected, wrong.feedback) == (False, 0.0, expected, "")


def test_a_right_number_in_the_wrong_unit_scores_zero(q):
    result = grade(q("mini-numeric"), "4 GB")
    assert (result.correct, result.score, result.feedback) == (False, 0.0, "unit_mismatch")


@pytest.mark.parametrize("given", ["4 M B", "4 m b", "4MB", "4 ＭＢ"])
def test_the_unit_matches_whatever_its_spaces_case_and_width(given):
    assert grade(numeric(4.0, 0.0, "MB"), given).correct is True


def test_a_unit_written_with_a_space_matches_without_it():
    assert grade(numeric(7.0, 0.0, "k params"), "7 kparams").correct is True
    assert grade(numeric(7.0, 0.0, "k params"), "7 params").feedback == "unit_mismatch"


def test_the_tolerance_has_a_float_slack_that_absorbs_rounding_and_nothing_more():
    assert grade(numeric(0.3, 0.0), 0.1 + 0.2).correct is True  # 0.30000000000000004
    assert grade(numeric(0.3, 0.0), 0.3 + 1e-6).correct is False
    # The slack is relative for large values (1e-9 of the value), absolute (1e-9) below 1.
    assert grade(numeric(1e6, 0.0), 1e6 + 5e-4).correct is True
    assert grade(numeric(1e6, 0.0), 1e6 + 5e-3).correct is False
    assert grade(numeric(0.5, 0.0), 0.5 + 5e-10).correct is True
    assert grade(numeric(0.5, 0.0), 0.5 + 5e-9).correct is False


def test_the_tolerance_bound_itself_is_inside():
    assert grade(numeric(10.0, 0.5), 10.5).correct is True
    assert grade(numeric(10.0, 0.5), 9.5).correct is True
    assert grade(numeric(10.0, 0.5), 10.51).correct is False


def test_short_answers_score_one_or_zero_and_show_each_languages_accepted_answers(q):
    expected = {"ko": ["dying relu", "죽은 렐루"], "en": ["dead relu", "dying relu"]}
    right, wrong = grade(q("mini-short"), "Dead ReLU"), grade(q("mini-short"), "exploding gradient")
    assert (right.correct, right.score, wrong.correct, wrong.score) == (True, 1.0, False, 0.0)
    for result in (right, wrong):
        assert list(result.expected) == ["accepted"]
        assert {lang: sorted(texts) for lang, texts in result.expected["accepted"].items()} == expected


def test_single_choice_scores_one_or_zero(q):
    question = q("mini-single")
    right, wrong = [c.pk for c in question.choices.all()]
    assert (grade(question, right).score, grade(question, wrong).score) == (1.0, 0.0)


def choices(*specs):
    """A multiple-select question without the database: choice ids and whether each is correct."""
    listed = [SimpleNamespace(pk=pk, is_correct=correct) for pk, correct in specs]
    return SimpleNamespace(kind="multiple", choices=SimpleNamespace(all=lambda: listed))


@pytest.mark.parametrize("bad", [5, None, {"1": True}])
def test_a_multiple_select_answer_that_is_not_a_list_is_refused(bad):
    with pytest.raises(AnswerInvalid, match="Send a list of choice ids."):
        grade(choices((1, True), (2, False)), bad)


def test_true_is_not_taken_for_choice_id_1():
    with pytest.raises(AnswerInvalid, match="Send a list of choice ids."):
        grade(choices((1, True), (2, False)), [True])


def test_multiple_select_shows_the_right_choices_sorted():
    result = grade(choices((7, True), (3, False), (5, True)), [5])
    assert (result.correct, result.score, result.expected) == (False, 0.5, {"choices": [5, 7]})


def test_a_difference_of_exactly_the_tolerance_plus_slack_is_inside():
    assert grade(numeric(0.0, 0.0), 1e-9).correct is True  # |1e-9 - 0| == 0 + 1e-9 * max(1, 0)
    assert grade(numeric(0.5, 0.0), 0.5 + 1.5e-9).correct is False  # below 1 the slack stays 1e-9


def test_a_question_of_an_unknown_kind_cannot_be_graded():
    with pytest.raises(AnswerInvalid, match="Questions of kind 'essay' cannot be graded."):
        grade(SimpleNamespace(kind="essay"), "anything")
