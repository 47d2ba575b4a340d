"""The public answer-key sync (`concepts.content.sync_answer_key`), shared by the loader and the CSV / JSON import."""

import pytest

from concepts import validation
from concepts.content import LoadReport, load_content, sync_answer_key
from concepts.models import AcceptedAnswer, Choice, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(mini_content, write_content):
    load_content(write_content(mini_content))


def test_choices_are_updated_in_place_by_position_and_extra_ones_go(loaded):
    question = Question.objects.get(slug="mini-multiple")
    ids = list(question.choices.order_by("order").values_list("pk", flat=True))
    report = LoadReport()
    sync_answer_key(question, [validation.ChoiceData("희소", "sparse", True),
                               validation.ChoiceData("느리다", "slow", False)], [], report)
    rows = list(question.choices.order_by("order").values_list("pk", "order", "text_en", "is_correct"))
    assert rows == [(ids[0], 0, "sparse", True), (ids[1], 1, "slow", False)]  # same ids: quiz answers keep pointing
    assert not Choice.objects.filter(pk=ids[2]).exists()
    assert report.updated == {"choice": 2} and report.created == {}  # one edited row, one deletion


def test_accepted_answers_become_exactly_the_given_pairs(loaded):
    question = Question.objects.get(slug="mini-short")
    report = sync_answer_key(question, [], [validation.AcceptedData("en", "dead relu"),
                                            validation.AcceptedData("ko", "죽은 뉴런")])
    assert sorted(question.accepted_answers.values_list("language", "text")) == [("en", "dead relu"),
                                                                                ("ko", "죽은 뉴런")]
    assert report.updated == {"accepted answer": 1} and report.created == {"accepted answer": 1}


def test_syncing_the_key_a_question_already_has_changes_nothing(loaded):
    question = Question.objects.get(slug="mini-single")
    choices = [validation.ChoiceData(c.text_ko, c.text_en, c.is_correct) for c in question.choices.order_by("order")]
    before = list(Choice.objects.values_list("pk", "text_en", "is_correct").order_by("pk"))
    report = sync_answer_key(question, choices, [])
    assert list(Choice.objects.values_list("pk", "text_en", "is_correct").order_by("pk")) == before
    assert not report.changed and not AcceptedAnswer.objects.filter(question=question).exists()
