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


def test_a_stand_in_that_is_not_among_the_parameters_is_refused(db):
    query = CompiledQuery(lambda user: CardState.objects.filter(user_id=7), user=2_000_000_001)
    with pytest.raises(ValueError, match="the stand-in for 'user' appears 0 times"):
        query.all(user=1)
    query = CompiledQuery(lambda user: CardState.objects.filter(user_id=user), user=2_000_000_001)
    with pytest.raises(TypeError, match="values for"):
        query.all(concept=1)


def test_a_compiled_update_writes_what_queryset_update_writes_none_included(alice, content):
    from concepts.models import Concept
    from quizsite.compiled import CompiledUpdate

    relu = Concept.objects.get(slug="mini-relu")
    now = timezone.now()
    state = CardState.objects.create(user=alice, concept=relu, due=now)
    update = CompiledUpdate(lambda pk: CardState.objects.filter(pk=pk), ["step", "stability", "due", "reps"],
                            pk=2_000_000_099)
    assert update.run(pk=state.pk, values={"step": 1, "stability": 2.5, "due": now, "reps": 3}) == 1
    state.refresh_from_db()
    assert (state.step, state.stability, state.due, state.reps) == (1, 2.5, now, 3)
    # None is written as NULL (another compiled shape), then a value again
    assert update.run(pk=state.pk, values={"step": None, "stability": None, "due": now, "reps": 4}) == 1
    state.refresh_from_db()
    assert (state.step, state.stability, state.reps) == (None, None, 4)
    assert update.run(pk=state.pk, values={"reps": 5, "due": now, "step": 0, "stability": 1.0}) == 1  # any order
    state.refresh_from_db()
    assert (state.step, state.stability, state.reps) == (0, 1.0, 5)
    # no such row, and a key outside the field's range: nothing updated, no database error
    assert update.run(pk=state.pk + 1000, values={"step": 1, "stability": 1.0, "due": now, "reps": 1}) == 0
    assert update.run(pk=2**70, values={"step": 1, "stability": 1.0, "due": now, "reps": 1}) == 0
    with pytest.raises(TypeError, match="values for"):
        update.run(pk=state.pk, values={"step": 1})


def test_a_quiz_answer_is_recorded_once_and_its_review_written(as_alice, alice, content):
    quiz = start(as_alice)
    item = next(i for i in quiz["items"] if i["question"]["kind"] == "true_false")
    url = f"/api/quizzes/{quiz['id']}/answers/"
    first = as_alice.post(url, {"position": item["position"], "response": True}, format="json")
    again = as_alice.post(url, {"position": item["position"], "response": False}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["already_answered"] and again.json()["correct"] == first.json()["correct"]
    stored = QuizItem.objects.get(session_id=quiz["id"], position=item["position"])
    assert stored.response is True and stored.answered_at is not None
    state = CardState.objects.get(user=alice, concept__questions__slug=item["question"]["slug"])
    assert state.reps == 1 and state.last_review == stored.answered_at and state.due > stored.answered_at


def test_a_compiled_insert_writes_what_create_writes_and_reads_back_its_key(alice, content):
    from django.db import IntegrityError

    from concepts.models import Concept
    from quizsite.compiled import CompiledInsert
    from study.models import ReviewLog

    concept = Concept.objects.order_by("pk").first()
    now = timezone.now().replace(microsecond=123456)
    values = dict(user=alice, concept=concept, rating=3, reviewed_at=now, duration_ms=None, was_new=True,
                  state_before={"stability": 2.5, "due": "2026-01-01T00:00:00+00:00"}, due_after=now,
                  idempotency_key="k-1")  # `source` left out: its default applies, as with create()
    insert = CompiledInsert(ReviewLog)
    with CaptureQueriesContext(connection) as queries:
        made = insert.create(**values)
    assert len(queries) == 1 and made.pk is not None and not made._state.adding
    by_orm = ReviewLog.objects.create(**{**values, "idempotency_key": "k-2"})
    columns = [f.attname for f in ReviewLog._meta.concrete_fields if f.attname not in ("id", "idempotency_key")]
    stored, expected = (ReviewLog.objects.filter(pk=pk).values(*columns).get() for pk in (made.pk, by_orm.pk))
    assert stored == expected and stored["source"] == "flashcard" and stored["state_before"]["stability"] == 2.5
    assert insert.create(**{**values, "idempotency_key": "k-3"}).pk not in (made.pk, by_orm.pk)
    with pytest.raises(IntegrityError), transaction.atomic():  # a unique key taken: the database's error, as create()
        insert.create(**values)


def test_a_compiled_insert_ignoring_conflicts_inserts_once(alice, content):
    from concepts.models import Concept
    from quizsite.compiled import CompiledInsert

    concept = Concept.objects.order_by("pk").first()
    insert = CompiledInsert(CardState, ignore_conflicts=True)
    now = timezone.now()
    assert insert.create(user=alice, concept=concept, due=now) is not None
    assert insert.create(user=alice, concept=concept, due=now) is None  # there already: nothing written
    state = CardState.objects.get(user=alice, concept=concept)
    assert (state.reps, state.due) == (0, now)
