"""The admin as an authoring tool, seen by carol (staff)."""

import pytest
from django.urls import reverse

from concepts.content import load_content
from concepts.models import Concept, Question, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def authored(mini_content, write_content, client, carol):
    load_content(write_content(mini_content))
    client.force_login(carol)
    return client


@pytest.mark.parametrize("model", ["topic", "concept", "question"])
def test_list_and_change_pages_load_for_staff(authored, model):
    response = authored.get(reverse(f"admin:concepts_{model}_changelist"))
    assert response.status_code == 200
    first = response.context["cl"].result_list[0]
    assert authored.get(reverse(f"admin:concepts_{model}_change", args=[first.pk])).status_code == 200
    assert authored.get(reverse(f"admin:concepts_{model}_add")).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:concepts_question_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("query, expected", [("렐루", ["mini-relu"]), ("Sigmoid", ["mini-sigmoid"])])
def test_search_finds_concepts_by_korean_and_english_text(authored, query, expected):
    response = authored.get(reverse("admin:concepts_concept_changelist"), {"q": query})
    assert [c.slug for c in response.context["cl"].result_list] == expected


def test_question_search_looks_into_choices_and_accepted_answers(authored):
    response = authored.get(reverse("admin:concepts_question_changelist"), {"q": "dead relu"})
    assert [q.slug for q in response.context["cl"].result_list] == ["mini-short"]


def test_the_missing_translation_filter_finds_half_written_items(authored):
    Concept.objects.filter(slug="mini-sigmoid").update(status=Status.DRAFT, answer_en="")
    response = authored.get(reverse("admin:concepts_concept_changelist"), {"translation": "missing"})
    assert [c.slug for c in response.context["cl"].result_list] == ["mini-sigmoid"]
    response = authored.get(reverse("admin:concepts_concept_changelist"), {"translation": "complete"})
    assert [c.slug for c in response.context["cl"].result_list] == ["mini-relu"]


def test_filters_by_kind_and_topic(authored):
    response = authored.get(reverse("admin:concepts_question_changelist"),
                            {"kind": "numeric", "concept__topic__id__exact": Concept.objects.first().topic_id})
    assert [q.slug for q in response.context["cl"].result_list] == ["mini-numeric"]


def _question_form(question, choices):
    data = {
        "concept": question.concept_id, "slug": question.slug, "order": question.order, "kind": question.kind,
        "difficulty": question.difficulty, "status": question.status,
        "prompt_ko": question.prompt_ko, "prompt_en": question.prompt_en,
        "explanation_ko": question.explanation_ko, "explanation_en": question.explanation_en,
        "answer_bool": "unknown", "numeric_value": "", "numeric_tolerance": "", "numeric_unit": "",
        "demo_key": "", "demo_params": "{}",
        "choices-TOTAL_FORMS": len(choices), "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 0, "choices-MAX_NUM_FORMS": 1000,
        "accepted_answers-TOTAL_FORMS": 0, "accepted_answers-INITIAL_FORMS": 0,
        "accepted_answers-MIN_NUM_FORMS": 0, "accepted_answers-MAX_NUM_FORMS": 1000,
    }
    for i, (choice, correct) in enumerate(zip(question.choices.all(), choices)):
        data.update({f"choices-{i}-id": choice.pk, f"choices-{i}-question": question.pk, f"choices-{i}-order": choice.order,
                     f"choices-{i}-text_ko": choice.text_ko, f"choices-{i}-text_en": choice.text_en})
        if correct:
            data[f"choices-{i}-is_correct"] = "on"
    return data


def test_a_second_correct_choice_is_refused_on_the_form_and_nothing_is_saved(authored):
    question = Question.objects.get(slug="mini-single")
    data = _question_form(question, [True, True])
    data["prompt_en"] = "edited"

    response = authored.post(reverse("admin:concepts_question_change", args=[question.pk]), data)

    assert response.status_code == 200
    assert "A single-choice question needs exactly one correct choice (has 2)." in response.content.decode()
    question.refresh_from_db()
    assert question.prompt_en == "ReLU(-2)?"
    assert [c.is_correct for c in question.choices.all()] == [True, False]


def test_a_valid_edit_is_saved(authored):
    question = Question.objects.get(slug="mini-single")
    data = _question_form(question, [False, True])
    response = authored.post(reverse("admin:concepts_question_change", args=[question.pk]), data)
    assert response.status_code == 302
    assert [c.is_correct for c in question.choices.all()] == [False, True]


def test_a_numeric_question_without_a_unit_shows_the_field_error(authored):
    question = Question.objects.get(slug="mini-numeric")
    data = _question_form(question, [])
    data.update(numeric_value="4", numeric_tolerance="0.1", numeric_unit="")
    response = authored.post(reverse("admin:concepts_question_change", args=[question.pk]), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["numeric_unit"] == [
        "A numeric question needs a unit (e.g. MB, params, px)."
    ]


def test_bulk_publish_publishes_valid_items_and_explains_the_rest(authored):
    Question.objects.filter(slug__in=["mini-single", "mini-tf"]).update(status=Status.DRAFT)
    Question.objects.filter(slug="mini-tf").update(prompt_en="")
    ids = list(Question.objects.filter(status=Status.DRAFT).values_list("pk", flat=True))

    response = authored.post(reverse("admin:concepts_question_changelist"),
                             {"action": "publish", "_selected_action": ids}, follow=True)

    assert Question.objects.get(slug="mini-single").status == Status.PUBLISHED
    assert Question.objects.get(slug="mini-tf").status == Status.DRAFT
    text = response.content.decode()
    assert "mini-tf: prompt_en: The English text is missing" in text


def test_bulk_unpublish_returns_items_to_draft(authored):
    ids = list(Concept.objects.values_list("pk", flat=True))
    authored.post(reverse("admin:concepts_concept_changelist"), {"action": "unpublish", "_selected_action": ids})
    assert set(Concept.objects.values_list("status", flat=True)) == {Status.DRAFT}
