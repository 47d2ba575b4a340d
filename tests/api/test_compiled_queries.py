"""The queries every API request runs are compiled once (quizsite/compiled.py) and give what the ORM gives:
the same instances, no query for what they join, and "nothing found" (not a database error) for an integer
outside its field's range, as Django's own lookups answer."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizsite.compiled import CompiledQuery
from study import quizzes, scheduling
from study.models import CardState, QuizItem

pytestmark = pytest.mark.django_db


def start(client):
    return client.post(reverse("api:quizzes"), {"length": 5}, format="json").json()


def test_the_item_to_answer_is_the_orms_item_with_its_session_in_one_query(as_alice, alice, content):
    quiz = start(as_alice)
    with CaptureQueriesContext(connection) as queries:
        item = quizzes.item_to_answer(alice, quiz["id"], 3)
        session, question_id, concept_id = item.session, item.question.pk, item.question.concept_id
    expected = QuizItem.objects.select_related("session", "question").get(session_id=quiz["id"], position=3)
    assert (item.pk, session.pk, question_id, concept_id) == (expected.pk, quiz["id"], expected.question_id,
                                                             expected.question.concept_id)
    assert session.created_at == expected.session.created_at and session.created_at.tzinfo is not None
    assert item.question.kind == expected.question.kind
    # a true/false question reads nothing more; choice kinds prefetch their choices (one query)
    assert len(queries) <= 2
    assert quizzes.item_to_answer(alice, quiz["id"], 6) is None


@pytest.mark.parametrize("quiz_id, position", [(2**63, 1), (1, 32768), (1, 10**30)])
def test_integers_out_of_range_find_nothing_and_the_api_says_so(as_alice, alice, content, quiz_id, position):
    quiz = start(as_alice)
    assert quizzes.item_to_answer(alice, quiz_id if quiz_id != 1 else quiz["id"], position) is None
    response = as_alice.post(f"/api/quizzes/{quiz['id'] if quiz_id == 1 else quiz_id}/answers/",
                             {"position": position, "response": True}, format="json")
    assert response.status_code in (400, 404) and response.status_code != 500


def test_the_locked_state_is_the_learners_row_for_the_card(alice, bob, content):
    from concepts.models import Concept

    relu = Concept.objects.get(slug="mini-relu")
    with transaction.atomic():  # FOR UPDATE needs a transaction, compiled or not
        state = scheduling._locked_state(alice, relu, timezone.now())
    assert state.pk == CardState.objects.get(user=alice, concept=relu).pk and state.reps == 0
    with transaction.atomic():
        assert scheduling._locked_state(alice, relu, timezone.now()).pk == state.pk
        assert scheduling._locked_state(bob, relu, timezone.now()).pk != state.pk


def test_a_stand_in_that_is_not_among_the_parameters_is_refused():
    query = CompiledQuery(lambda user: CardState.objects.filter(user_id=7), user=2_000_000_001)
    with pytest.raises(ValueError, match="the stand-in for 'user' appears 0 times"):
        query.all(user=1)
    with pytest.raises(TypeError, match="values for"):
        query.all(concept=1)
