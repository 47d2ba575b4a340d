"""The index follows the database: a card added or edited is findable on the next search."""

import pytest

from concepts import search
from concepts.models import Concept, Question, Status, Topic


def slugs(result):
    return [m.concept.slug for m in result.results]


def test_a_new_card_is_findable_at_once(loaded):
    assert not search.search_cards(query="How does dropout work?").covered
    Concept.objects.create(
        topic=Topic.objects.get(slug="mini"), slug="mini-dropout", status=Status.PUBLISHED,
        title_ko="드롭아웃", title_en="Dropout", front_en="What does dropout do?", front_ko="드롭아웃은?",
        answer_en="It zeroes random units during training.", answer_ko="학습 중 무작위 유닛을 끈다.",
    )
    result = search.search_cards(query="How does dropout work?")
    assert result.covered and slugs(result) == ["mini-dropout"]
    assert slugs(search.search_cards(query="드롭아웃이 뭔가요")) == ["mini-dropout"]


def test_an_edited_card_is_findable_by_its_new_words_at_once(loaded):
    assert not search.search_cards(query="logistic function").covered
    sigmoid = Concept.objects.get(slug="mini-sigmoid")
    sigmoid.aliases_en = ["logistic function"]
    sigmoid.save()
    assert slugs(search.search_cards(query="logistic function")) == ["mini-sigmoid"]


def test_a_new_question_is_findable_at_once(loaded):
    Question.objects.create(concept=Concept.objects.get(slug="mini-sigmoid"), slug="mini-sigmoid-saturation",
                            kind="true_false", answer_bool=True, status=Status.PUBLISHED,
                            prompt_en="Does the sigmoid saturate for large inputs?", prompt_ko="시그모이드는 포화되나요?")
    match = search.search_cards(query="does sigmoid saturate").results[0]
    assert match.concept.slug == "mini-sigmoid" and match.question.slug == "mini-sigmoid-saturation"


def test_the_index_is_reused_while_content_is_unchanged(loaded):
    first = search.current_index()
    search.search_cards(query="ReLU")
    assert search.current_index() is first
    Concept.objects.get(slug="mini-relu").save()
    assert search.current_index() is not first


def test_drafts_and_other_topics_are_left_out_of_the_public_search(loaded):
    Concept.objects.filter(slug="mini-relu").update(status=Status.DRAFT)
    assert "mini-relu" not in slugs(search.search_cards(query="ReLU"))
    assert search.ranked_concept_ids("ReLU")[0] == Concept.objects.get(slug="mini-relu").pk  # the admin sees drafts
    Concept.objects.filter(slug="mini-relu").update(status=Status.PUBLISHED)
    assert search.search_cards(query="ReLU", topic="other").results == []


@pytest.mark.parametrize("query", ["렐루", "ReLU", "What is ReLU?"])
def test_the_small_topic_answers_its_own_titles(loaded, query):
    result = search.search_cards(query=query)
    assert result.covered and slugs(result)[0] == "mini-relu"
