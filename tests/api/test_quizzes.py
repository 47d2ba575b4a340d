"""Quizzes over the API: start, answer every kind once, summary, isolation, bad input."""

import pytest
import time_machine
from django.urls import reverse

from study.models import CardState, QuizItem, ReviewLog

pytestmark = pytest.mark.django_db


def start(client, **payload):
    return client.post(reverse("api:quizzes"), {"length": 5, **payload}, format="json")


def item_for(quiz, slug):
    return next(i for i in quiz["items"] if i["question"]["slug"] == slug)


def answer(client, quiz, position, response):
    return client.post(reverse("api:quiz-answer", args=[quiz["id"]]), {"position": position, "response": response},
                       format="json")


def test_a_quiz_serves_questions_without_their_answers(as_alice, content):
    response = start(as_alice)
    assert response.status_code == 201
    quiz = response.json()
    assert len(quiz["items"]) == 5
    text = str(quiz)
    assert "is_correct': True" not in text and "accepted" not in text and "explanation" not in text
    single = item_for(quiz, "mini-single")["question"]
    assert set(single["choices"][0]) == {"id", "text"}


def test_answering_every_kind_grades_and_explains(as_alice, content):
    quiz = start(as_alice, practice=True).json()
    single = item_for(quiz, "mini-single")
    wrong_choice = single["question"]["choices"][1]["id"]

    graded = answer(as_alice, quiz, single["position"], wrong_choice).json()
    assert graded["correct"] is False and graded["expected"] == {"choice": single["question"]["choices"][0]["id"]}
    assert graded["explanation"] == "Negatives map to 0"  # no Accept-Language: the API answers in English

    numeric = answer(as_alice, quiz, item_for(quiz, "mini-numeric")["position"], "4 MB").json()
    assert numeric["correct"] is True
    short = answer(as_alice, quiz, item_for(quiz, "mini-short")["position"], " Dying ReLU ").json()
    assert short["correct"] is True
    tf = answer(as_alice, quiz, item_for(quiz, "mini-tf")["position"], False).json()
    assert tf["correct"] is False
    multiple = item_for(quiz, "mini-multiple")
    ids = [c["id"] for c in multiple["question"]["choices"]]
    partial = answer(as_alice, quiz, multiple["position"], ids[:1]).json()
    assert (partial["correct"], partial["score"]) == (False, 0.5)

    summary = as_alice.post(reverse("api:quiz-summary", args=[quiz["id"]])).json()
    assert (summary["answered"], summary["correct"], summary["score"]) == (5, 2, 2.5)
    assert summary["topics"][0]["topic"] == "mini" and summary["finished"] is True


def test_an_answer_is_recorded_once(as_alice, content):
    quiz = start(as_alice).json()
    position = item_for(quiz, "mini-tf")["position"]
    first = answer(as_alice, quiz, position, True)
    second = answer(as_alice, quiz, position, False)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["correct"] is True and second.json()["already_answered"] is True
    assert QuizItem.objects.get(position=position).response is True


def test_a_scheduled_quiz_feeds_due_cards_but_a_practice_run_does_not(as_alice, content):
    practice = start(as_alice, practice=True).json()
    answer(as_alice, practice, item_for(practice, "mini-tf")["position"], True)
    assert not ReviewLog.objects.exists()

    quiz = start(as_alice).json()
    answer(as_alice, quiz, item_for(quiz, "mini-tf")["position"], True)
    answer(as_alice, quiz, item_for(quiz, "mini-numeric")["position"], "4")
    log = ReviewLog.objects.get()
    assert (log.rating, log.source, log.concept.slug) == (3, "quiz", "mini-relu")
    assert CardState.objects.count() == 1


@pytest.mark.parametrize("response", ["four", "", None, [1, 1]])
def test_a_malformed_answer_is_400_and_nothing_is_stored(as_alice, content, response):
    quiz = start(as_alice).json()
    got = answer(as_alice, quiz, item_for(quiz, "mini-numeric")["position"], response)
    assert got.status_code == 400 and "response" in got.json()
    assert not QuizItem.objects.filter(answered_at__isnull=False).exists()


@pytest.mark.parametrize("payload, field", [
    ({"length": 0}, "length"), ({"length": 51}, "length"), ({"kinds": ["essay"]}, "kinds"),
    ({"topics": ["nope"]}, "topics"), ({"difficulty": 7}, "difficulty"), ({"time_limit_s": 5}, "time_limit_s"),
    ({"practice": "sometimes"}, "practice"),
])
def test_bad_quiz_settings_name_the_field(as_alice, content, payload, field):
    response = start(as_alice, **payload)
    assert response.status_code == 400 and field in response.json()


def test_filters_pick_the_kinds_asked_for(as_alice, content):
    quiz = start(as_alice, kinds=["numeric", "short"]).json()
    assert sorted(i["question"]["kind"] for i in quiz["items"]) == ["numeric", "short"]


def test_the_time_limit_closes_the_quiz(as_alice, content):
    with time_machine.travel("2026-03-02 03:00Z", tick=False):
        quiz = start(as_alice, time_limit_s=60).json()
    assert quiz["deadline"] == "2026-03-02T03:01:00Z"
    with time_machine.travel("2026-03-02 03:02Z", tick=False):
        late = answer(as_alice, quiz, 1, True)
    assert late.status_code == 400 and "Time is up" in late.json()["quiz"][0]


def test_another_learner_gets_404_for_alices_quiz(as_alice, as_bob, content):
    quiz = start(as_alice).json()
    assert as_bob.get(reverse("api:quiz", args=[quiz["id"]])).status_code == 404
    assert answer(as_bob, quiz, 1, True).status_code == 404
    assert as_bob.get(reverse("api:quizzes")).json() == []


def test_an_unknown_position_is_400(as_alice, content):
    quiz = start(as_alice).json()
    response = answer(as_alice, quiz, 99, True)
    assert response.status_code == 400 and "position" in response.json()


def test_a_mixed_quiz_takes_the_kinds_in_turn(as_alice, content):
    quiz = start(as_alice, length=5).json()
    assert sorted(i["question"]["kind"] for i in quiz["items"]) == ["multiple", "numeric", "short", "single",
                                                                    "true_false"]


def test_a_null_character_in_an_answer_is_400(as_alice, content):
    quiz = start(as_alice).json()
    got = answer(as_alice, quiz, item_for(quiz, "mini-short")["position"], "dying\x00relu")
    assert got.status_code == 400 and "response" in got.json()


def test_errors_come_in_one_language(as_alice, content):
    """No Accept-Language: DRF's own messages and ours are both English; with ko, DRF's are Korean."""
    quiz = start(as_alice).json()
    url = reverse("api:quiz-answer", args=[quiz["id"]])
    assert as_alice.post(url, {"position": 1, "response": None}, format="json").json() == {
        "response": ["This field may not be null."]}
    assert as_alice.post(url, {"position": 99, "response": "x"}, format="json").json() == {
        "position": ["This quiz has no question 99."]}
    korean = as_alice.post(url, {"response": None}, format="json", HTTP_ACCEPT_LANGUAGE="ko").json()
    assert korean["response"] == ["이 필드에는 빈 값(null)을 넣을 수 없습니다."]  # the project's wording: DRF's says "null일"


def test_korean_clients_get_every_message_in_korean(as_alice, content):
    quiz = start(as_alice).json()
    url = reverse("api:quiz-answer", args=[quiz["id"]])
    korean = as_alice.post(url, {"position": 99, "response": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="ko").json()
    assert korean == {"position": ["이 퀴즈에는 99번 문제가 없습니다."]}
    empty = as_alice.post(reverse("api:quizzes"), {"length": 5, "topics": ["nope"]}, format="json",
                          HTTP_ACCEPT_LANGUAGE="ko").json()
    assert empty == {"topics": ["알 수 없는 주제: nope."]}


def test_feedback_quotes_the_stored_demo_values_and_links_the_result_instead_of_sending_charts(
        as_alice, db, mini_content, write_content):
    question = mini_content["concepts"][0]["questions"][0]
    question["demo"] = {"key": "linear-collapse", "params": {"depth": 3, "width": 4}}
    question["explanation"]["en"] = "Three layers collapse to [[collapsed_params]] parameters."
    from concepts.content import load_content

    load_content(write_content(mini_content))
    quiz = start(as_alice, practice=True).json()
    single = item_for(quiz, "mini-single")
    body = as_alice.post(reverse("api:quiz-answer", args=[quiz["id"]]) + "?lang=en",
                         {"position": single["position"], "response": single["question"]["choices"][0]["id"]},
                         format="json").json()
    assert body["explanation"] == "Three layers collapse to 20 parameters."
    demo = body["demo"]
    assert demo["key"] == "linear-collapse" and demo["values"]["collapsed_params"] == 20
    assert "charts" not in demo
    charts = as_alice.get(demo["url"] + "&lang=en").json()  # what a client fetches to draw them
    assert charts["values"] == demo["values"] and charts["charts"][0].lstrip().startswith("<")


def test_an_answer_reads_only_its_cards_id_and_reviews_that_card(as_alice, alice, content):
    """item_to_answer defers every field of the question's card but its id: no card text, no topic, no
    second query for the card, and the review still lands on it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from concepts.models import Question

    quiz = as_alice.post(reverse("api:quizzes"), {"length": 1, "kinds": ["true_false"]}, format="json").json()
    with CaptureQueriesContext(connection) as queries:
        response = as_alice.post(reverse("api:quiz-answer", args=[quiz["id"]]), {"position": 1, "response": True},
                                 format="json")
    assert response.status_code == 201 and response.json()["explanation"]
    sql = [q["sql"] for q in queries]
    assert not any('"concepts_concept"."explanation_en"' in s or "concepts_topic" in s for s in sql)
    assert not any(s.startswith("SELECT") and 'FROM "concepts_concept"' in s for s in sql)
    question = Question.objects.get(slug=quiz["items"][0]["question"]["slug"])
    assert ReviewLog.objects.get(user=alice).concept_id == question.concept_id
    assert CardState.objects.get(user=alice).concept_id == question.concept_id
