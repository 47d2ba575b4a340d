"""The home page's per-topic counts are the database's counts (a card is not counted once per question)."""

import pytest
from django.urls import reverse

from concepts.content import load_content
from concepts.models import Concept, Question, Status

pytestmark = pytest.mark.django_db


def test_each_topic_shows_its_own_card_and_question_counts(client, mini_content, write_content):
    load_content(write_content(mini_content))
    Question.objects.filter(slug="mini-short").update(status=Status.DRAFT)
    cards = Concept.objects.filter(topic__slug="mini", status=Status.PUBLISHED).count()
    questions = Question.objects.filter(concept__topic__slug="mini", concept__status=Status.PUBLISHED,
                                        status=Status.PUBLISHED).count()
    assert (cards, questions) == (2, 4)
    page = client.get(reverse("concepts:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{cards} cards · {questions} questions" in page
    topic = client.get(reverse("concepts:home")).context["topics"][0]
    assert (topic.concept_count, topic.question_count) == (cards, questions)
