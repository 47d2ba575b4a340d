"""On PostgreSQL, parameters are bound on the server and a statement run twice on a connection is kept
prepared from then on (quizsite/env.py, DB_PREPARE_THRESHOLD): the hot requests skip parsing and planning. The scaled
pass runs this; on SQLite there is nothing to prepare."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from concepts.models import Concept

pytestmark = pytest.mark.django_db


def prepared(fragment: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s AND NOT from_sql",
                       [f"%{fragment}%"])
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements (the scaled pass)")
def test_a_statement_run_twice_is_prepared_on_the_server_and_answers_the_same(content):
    slugs = sorted(Concept.objects.values_list("slug", flat=True))
    assert len(slugs) == 2
    first = [Concept.objects.get(slug=slug).pk for slug in slugs]  # two runs of one statement
    assert not prepared('"concepts_concept"."slug" = $1')
    again = [Concept.objects.get(slug=slug).pk for slug in slugs]  # the third run prepares it
    assert prepared('"concepts_concept"."slug" = $1')  # bound on the server ($1), one statement for any slug
    assert again == first and len(set(first)) == 2  # a prepared plan answers each slug with its own row


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements (the scaled pass)")
def test_the_api_answers_alike_with_its_statements_prepared(content, alice):
    client = APIClient()
    client.force_authenticate(alice)
    answers = [client.get("/api/flashcards/due/?limit=5") for _ in range(4)]  # the later ones run prepared
    assert {a.status_code for a in answers} == {200}
    queues = [(a.json()["due"], a.json()["new"], [c["concept"]["slug"] for c in a.json()["cards"]]) for a in answers]
    assert queues == [(0, 2, ["mini-relu", "mini-sigmoid"])] * 4
    assert prepared("concepts_cardstate")
