"""Model-layer rules for every question kind, as the admin, the loader and the API see them."""

import pytest
from django.core.exceptions import ValidationError

from concepts.models import AcceptedAnswer, Choice, Concept, Question, Status, Topic
from concepts.validation import AcceptedData, ChoiceData

pytestmark = pytest.mark.django_db


@pytest.fixture
def concept():
    topic = Topic.objects.create(slug="t", title_ko="주제", title_en="Topic", description_ko="d", description_en="d")
    return Concept.objects.create(topic=topic, slug="c", title_ko="개념", title_en="Concept")


def make(concept, kind, **fields):
    defaults = {"prompt_ko": "문제", "prompt_en": "Prompt", "explanation_ko": "이유", "explanation_en": "Why",
                "status": Status.PUBLISHED}
    return Question(concept=concept, slug=f"q-{kind}", kind=kind, **{**defaults, **fields})


def field_errors(question):
    with pytest.raises(ValidationError) as info:
        question.full_clean()
    return info.value.message_dict


def test_a_single_choice_question_needs_exactly_one_correct_choice(concept):
    question = make(concept, "single")
    question.full_clean()
    assert question.answer_key_errors(choices=[ChoiceData("a", "a", True), ChoiceData("b", "b", True)], accepted=[]) == [
        "A single-choice question needs exactly one correct choice (has 2)."
    ]
    assert question.answer_key_errors(choices=[ChoiceData("a", "a", True), ChoiceData("b", "b", False)], accepted=[]) == []


def test_a_multiple_select_question_needs_a_correct_choice_and_two_options(concept):
    question = make(concept, "multiple")
    assert question.answer_key_errors(choices=[ChoiceData("a", "a", False), ChoiceData("b", "b", False)], accepted=[]) == [
        "A multiple-select question needs at least one correct choice (has 0)."
    ]
    assert "needs at least two choices (has 1)" in question.answer_key_errors(
        choices=[ChoiceData("a", "a", True)], accepted=[])[0]


def test_a_true_false_question_needs_its_answer_and_no_choices(concept):
    assert field_errors(make(concept, "true_false")) == {
        "answer_bool": ["A true/false question needs its answer (true or false)."]
    }
    question = make(concept, "true_false", answer_bool=False)
    question.full_clean()
    assert question.answer_key_errors(choices=[ChoiceData("a", "a", True)], accepted=[]) == [
        "A true/false question has no choices (found 1)."
    ]


def test_a_numeric_question_needs_value_tolerance_and_unit(concept):
    errors = field_errors(make(concept, "numeric"))
    assert set(errors) == {"numeric_value", "numeric_tolerance", "numeric_unit"}
    assert field_errors(make(concept, "numeric", numeric_value=4, numeric_tolerance=-0.5, numeric_unit="MB")) == {
        "numeric_tolerance": ["The tolerance must be a finite number of at least 0."]
    }
    make(concept, "numeric", numeric_value=4, numeric_tolerance=0, numeric_unit="MB").full_clean()


def test_only_numeric_questions_carry_a_value(concept):
    assert "numeric_value" in field_errors(make(concept, "single", numeric_value=3))


def test_a_short_answer_question_needs_accepted_answers_in_both_languages_when_published(concept):
    question = make(concept, "short")
    assert question.answer_key_errors(choices=[], accepted=[]) == [
        "A short-answer question needs at least one accepted answer."
    ]
    assert question.answer_key_errors(choices=[], accepted=[AcceptedData("ko", "기울기 소실")]) == [
        "A published short-answer question needs an accepted English answer."
    ]
    question.status = Status.DRAFT
    assert question.answer_key_errors(choices=[], accepted=[AcceptedData("ko", "기울기 소실")]) == []


def test_a_published_question_needs_both_languages_but_a_draft_does_not(concept):
    assert field_errors(make(concept, "true_false", answer_bool=True, prompt_en="")) == {
        "prompt_en": ["The English text is missing; published items need both languages."]
    }
    make(concept, "true_false", answer_bool=True, prompt_en="", status=Status.DRAFT).full_clean()


def test_a_published_concept_needs_every_text_in_both_languages(concept):
    concept.status = Status.PUBLISHED
    errors = field_errors(concept)
    assert "front_ko" in errors and "explanation_en" in errors and "key_points_en" in errors
    assert "title_ko" not in errors


def test_publication_errors_read_the_stored_choices(concept):
    question = make(concept, "single", status=Status.DRAFT)
    question.save()
    Choice.objects.create(question=question, order=0, text_ko="가", text_en="a", is_correct=False)
    Choice.objects.create(question=question, order=1, text_ko="나", text_en="", is_correct=False)
    assert question.publication_errors() == [
        "A single-choice question needs exactly one correct choice (has 0).",
        "Choice 2 is missing its English text; published items need both languages.",
    ]
    assert question.status == Status.DRAFT


def test_an_unknown_demo_key_is_refused(concept):
    concept.demo_key = "no-such-demo"
    assert "demo_key" in field_errors(concept)


def test_demo_parameters_are_checked_against_the_demo_schema(concept):
    concept.demo_key = "linear-collapse"
    concept.demo_params = {"depth": 99, "colour": "red"}
    message = field_errors(concept)["demo_params"][0]
    assert "depth: must be at most 12 (got 99)" in message and "colour: unknown parameter" in message


def test_localized_falls_back_to_the_other_language(concept):
    concept.title_en = ""
    assert concept.localized("title", "en") == "개념"
    assert concept.localized("title", "ko") == "개념"


def test_accepted_answers_are_unique_per_language(concept):
    question = make(concept, "short")
    question.save()
    AcceptedAnswer.objects.create(question=question, language="en", text="relu")
    with pytest.raises(ValidationError):
        AcceptedAnswer(question=question, language="en", text="relu").full_clean()
