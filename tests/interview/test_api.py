"""Mock interviews over the API: start, next question, answer, confirm ticks, undo, report."""

import pytest
import time_machine
from django.urls import reverse

from study.models import CardState, ReviewLog, ReviewSource
from interview.models import InterviewItem, MockInterview

pytestmark = pytest.mark.django_db
T0 = "2026-03-02 03:00Z"


def start(client, *, plan=None, cards=None, **payload):
    response = client.post(reverse("interview-api:interviews"), {"main_count": 3, "lang": "en", **payload},
                           format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    if plan:  # a known order of main questions instead of the shuffled one
        MockInterview.objects.filter(pk=body["id"]).update(plan=[cards[slug].pk for slug in plan])
    return body["id"]


def next_q(client, pk):
    return client.post(reverse("interview-api:next", args=[pk]))


def answer(client, pk, position, **payload):
    return client.post(reverse("interview-api:answer", args=[pk, position]), payload, format="json")


def confirm(client, pk, position, **payload):
    return client.post(reverse("interview-api:confirm", args=[pk, position]), payload, format="json")


def test_start_rejects_bad_set_up_with_a_message_per_field(as_alice, iv_content):
    url = reverse("interview-api:interviews")
    body = as_alice.post(url, {"main_count": 11, "time_limit_s": 5, "lang": "fr"}, format="json").json()
    assert set(body) == {"main_count", "time_limit_s", "lang"}
    response = as_alice.post(url, {"topics": ["nope"]}, format="json")
    assert response.status_code == 400 and "nope" in response.json()["topics"][0]
    response = as_alice.post(url, {"topics": ["iv"], "main_count": 10}, format="json")
    assert response.status_code == 400 and "only 6" in response.json()["main_count"][0]


def test_a_question_is_asked_without_its_answer_and_asked_again_until_confirmed(as_alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    first = next_q(as_alice, pk)
    assert first.status_code == 201
    question = first.json()["question"]
    assert (question["position"], question["kind"], question["concept"]) == (1, "main", "iv-relu")
    assert question["question"] == "Explain ReLU." and question["stage"] == "asked"
    assert question["model_answer"] is None and question["key_points"] is None
    again = next_q(as_alice, pk)
    assert again.status_code == 200 and again.json()["question"]["position"] == 1


def test_typed_answer_pre_ticks_the_key_points_it_covers_and_suggests_a_rating(as_alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    with time_machine.travel(T0, tick=False):
        next_q(as_alice, pk)
    with time_machine.travel("2026-03-02 03:00:40Z", tick=False):
        response = answer(as_alice, pk, 1, answer="ReLU outputs max(0, x) and is cheap to compute.")
    assert response.status_code == 201
    body = response.json()
    assert [p["suggested"] for p in body["key_points"]] == [True, False, True, False]
    assert body["duration_ms"] == 40_000 and body["timed_out"] is False
    assert body["model_answer"] == "The model answer about ReLU"
    assert body["suggested_rating"] == 2  # 2 of 4 points: Hard
    assert body["ratings_by_count"] == [1, 1, 2, 3, 4]  # all 4 within a minute: Easy


def test_korean_answer_matches_korean_key_points(as_alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content, lang="ko")
    next_q(as_alice, pk)
    body = answer(as_alice, pk, 1, answer="양수 입력이면 기울기가 1이고, 입력이 계속 음수이면 뉴런이 죽습니다.").json()
    assert [p["suggested"] for p in body["key_points"]] == [False, True, False, True]
    assert body["question"] == "렐루을 설명해 주세요."


def test_resubmitting_an_answer_is_idempotent(as_alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    next_q(as_alice, pk)
    assert answer(as_alice, pk, 1, answer="max(0, x)").status_code == 201
    repeat = answer(as_alice, pk, 1, answer="something else entirely")
    assert repeat.status_code == 200 and repeat.json()["answer"] == "max(0, x)"


def test_an_empty_answer_needs_aloud(as_alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    next_q(as_alice, pk)
    response = answer(as_alice, pk, 1, answer="  ")
    assert response.status_code == 400 and "answer" in response.json()
    body = answer(as_alice, pk, 1, aloud=True).json()
    assert body["aloud"] is True and not any(p["suggested"] for p in body["key_points"])


def test_a_timed_out_answer_is_kept_marked_late_and_rated_at_most_hard(as_alice, alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content, time_limit_s=60)
    with time_machine.travel(T0, tick=False):
        question = next_q(as_alice, pk).json()["question"]
    assert question["deadline"] == "2026-03-02T03:01:00Z"
    everything = "max(0, x); gradient 1 for positive inputs; cheap to compute; units die when inputs stay negative"
    with time_machine.travel("2026-03-02 03:01:10Z", tick=False):
        body = answer(as_alice, pk, 1, answer=everything).json()
    assert body["timed_out"] is True and body["duration_ms"] == 70_000
    assert all(p["suggested"] for p in body["key_points"])
    assert body["suggested_rating"] == 2
    with time_machine.travel("2026-03-02 03:01:20Z", tick=False):
        confirmed = confirm(as_alice, pk, 1, ticks=[0, 1, 2, 3]).json()
    assert confirmed["rating"] == 2
    assert ReviewLog.objects.get(user=alice).rating == 2


def test_an_answer_within_the_grace_period_is_not_late(as_alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content, time_limit_s=60)
    with time_machine.travel(T0, tick=False):
        next_q(as_alice, pk)
    with time_machine.travel("2026-03-02 03:01:02Z", tick=False):
        assert answer(as_alice, pk, 1, answer="max(0, x)").json()["timed_out"] is False


def test_an_empty_answer_when_the_time_runs_out_is_recorded_as_out_of_time(as_alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content, time_limit_s=60)
    with time_machine.travel(T0, tick=False):
        next_q(as_alice, pk)
    with time_machine.travel("2026-03-02 03:00:59Z", tick=False):
        assert answer(as_alice, pk, 1, answer="").status_code == 400  # still time to answer
    with time_machine.travel("2026-03-02 03:01:00Z", tick=False):
        body = answer(as_alice, pk, 1, answer="").json()
    assert body["timed_out"] is True and body["answer"] == "" and body["suggested_rating"] == 1


def test_confirming_records_a_review_like_a_flashcard_and_is_idempotent(as_alice, alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    with time_machine.travel(T0, tick=False):
        next_q(as_alice, pk)
        answer(as_alice, pk, 1, answer="max(0, x), cheap")
        response = confirm(as_alice, pk, 1, ticks=[0, 1, 2])
    assert response.status_code == 201
    body = response.json()
    assert body["rating"] == 3 and body["stage"] == "confirmed"
    assert [p["ticked"] for p in body["key_points"]] == [True, True, True, False]
    log = ReviewLog.objects.get(user=alice)
    assert (log.rating, log.source, log.concept.slug) == (3, ReviewSource.INTERVIEW, "iv-relu")
    assert body["due_after"] == "2026-03-02T03:10:00Z"  # a new card rated Good: FSRS's 10-minute step
    again = confirm(as_alice, pk, 1, ticks=[2, 1, 0])
    assert again.status_code == 200 and ReviewLog.objects.filter(user=alice).count() == 1
    changed = confirm(as_alice, pk, 1, ticks=[0])
    assert changed.status_code == 409 and "undo" in changed.json()["detail"]


def test_the_rating_can_be_overridden(as_alice, alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    next_q(as_alice, pk)
    answer(as_alice, pk, 1, aloud=True)
    assert confirm(as_alice, pk, 1, ticks=[], rating=4).json()["rating"] == 4
    assert ReviewLog.objects.get(user=alice).rating == 4


def test_confirming_before_answering_conflicts_and_bad_ticks_are_400(as_alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    next_q(as_alice, pk)
    assert confirm(as_alice, pk, 1, ticks=[0]).status_code == 409
    answer(as_alice, pk, 1, aloud=True)
    response = confirm(as_alice, pk, 1, ticks=[0, 9])
    assert response.status_code == 400 and "ticks" in response.json()
    response = confirm(as_alice, pk, 1, ticks=[0], rating=5)
    assert response.status_code == 400 and "rating" in response.json()


def test_undo_restores_the_card_and_lets_the_ticks_change(as_alice, alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    next_q(as_alice, pk)
    answer(as_alice, pk, 1, aloud=True)
    confirm(as_alice, pk, 1, ticks=[0, 1, 2, 3])
    assert next_q(as_alice, pk).json()["question"]["position"] == 2  # asked, not answered: withdrawn by undo
    undone = as_alice.post(reverse("interview-api:undo", args=[pk]))
    assert undone.status_code == 200 and undone.json()["stage"] == "answered"
    assert not CardState.objects.filter(user=alice).exists()
    assert ReviewLog.objects.get(user=alice).undone_at is not None
    assert InterviewItem.objects.filter(interview_id=pk).count() == 1
    assert confirm(as_alice, pk, 1, ticks=[0], rating=1).status_code == 201
    assert CardState.objects.get(user=alice).reps == 1
    assert ReviewLog.objects.filter(user=alice, undone_at__isnull=True).get().rating == 1


def test_undo_with_nothing_confirmed_is_404(as_alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    assert as_alice.post(reverse("interview-api:undo", args=[pk])).status_code == 404


def run_question(client, pk, *, ticks=(0, 1, 2), rating=None):
    question = next_q(client, pk).json()["question"]
    answer(client, pk, question["position"], aloud=True)
    confirm(client, pk, question["position"], ticks=list(ticks), rating=rating)
    return question


def test_follow_ups_dig_into_linked_cards_and_skip_a_card_already_asked(as_alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he", "iv-vanishing", "iv-leaky-relu"], cards=iv_content)
    asked = [run_question(as_alice, pk) for _ in range(6)]
    assert [(q["concept"], q["kind"], q["main_position"]) for q in asked] == [
        ("iv-relu", "main", None),
        ("iv-dying-relu", "follow_up", 1),  # linked from ReLU
        ("iv-he", "follow_up", 1),  # dying ReLU links ReLU first: already asked, so skipped
        ("iv-sigmoid", "main", None),  # two follow-ups reached: the next main question
        ("iv-vanishing", "follow_up", 4),
        ("iv-leaky-relu", "main", None),  # vanishing links sigmoid and ReLU, both asked; He is asked too
    ]
    assert asked[1]["asked_as"] == "What is the dying ReLU problem?"
    items = {i.concept.slug: i for i in InterviewItem.objects.filter(interview_id=pk)}
    assert items["iv-dying-relu"].skipped == [{"text": "Next about Dying ReLU 1", "concept": "iv-relu"}]
    assert [s["concept"] for s in items["iv-vanishing"].skipped] == ["iv-sigmoid", "iv-relu"]
    assert items["iv-sigmoid"].skipped == []  # its link to vanishing was asked, not skipped
    finished = next_q(as_alice, pk)  # Leaky ReLU's only link (ReLU) was asked; 3 main questions done
    assert finished.status_code == 200 and finished.json() == {"finished": True, "question": None}
    assert MockInterview.objects.get(pk=pk).finished_at is not None


def test_after_an_again_the_interviewer_moves_to_the_next_main_question(as_alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    run_question(as_alice, pk, ticks=[], rating=None)  # nothing covered: Again
    assert next_q(as_alice, pk).json()["question"]["concept"] == "iv-sigmoid"


def test_the_report_lists_answers_times_points_follow_ups_weak_points_and_due_cards(as_alice, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he", "iv-vanishing", "iv-leaky-relu"], cards=iv_content)
    with time_machine.travel(T0, tick=False):
        next_q(as_alice, pk)
    with time_machine.travel("2026-03-02 03:00:30Z", tick=False):
        answer(as_alice, pk, 1, answer="ReLU outputs max(0, x) and is cheap to compute.")
        confirm(as_alice, pk, 1, ticks=[0, 2])
        for _ in range(5):
            run_question(as_alice, pk)
        next_q(as_alice, pk)
        report = as_alice.get(reverse("interview-api:report", args=[pk])).json()
    assert report["finished"] is True
    assert report["summary"] == {
        "questions": 6, "main_questions": 3, "follow_ups": 3, "key_points_covered": 2 + 3 * 5,
        "key_points_total": 4 + 3 * 5, "covered_share": round(17 / 19, 3), "average_ms": 5000, "timed_out": 0,
    }
    first = report["questions"][0]
    assert first["answer"] == "ReLU outputs max(0, x) and is cheap to compute." and first["duration_ms"] == 30_000
    assert first["covered"] == ["Outputs max(0, x)", "Cheap to compute"]
    assert first["missed"] == ["Gradient is 1 for positive inputs", "Units die when their inputs stay negative"]
    assert first["rating_name"] == "hard" and first["follow_ups"] == [2, 3]
    assert report["questions"][1]["skipped"][0]["concept"] == "iv-relu"
    assert [w["point"] for w in report["weakest_key_points"]] == first["missed"]
    # Hard on a new card comes back within minutes; the others, all points covered at once, were Easy (days)
    assert [d["concept"] for d in report["due"]] == ["iv-relu"]


def test_another_learner_cannot_see_or_answer_an_interview(as_alice, as_bob, iv_content):
    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    next_q(as_alice, pk)
    assert as_bob.post(reverse("interview-api:next", args=[pk])).status_code == 404
    assert answer(as_bob, pk, 1, aloud=True).status_code == 404
    assert as_bob.get(reverse("interview-api:report", args=[pk])).status_code == 404


def test_anonymous_requests_are_refused(client, iv_content):
    assert client.post(reverse("interview-api:interviews"), {}).status_code in (401, 403)


def test_the_interview_is_in_the_learner_data_export(as_alice, alice, iv_content):
    from django.utils import timezone

    from study.learner_data import learner_export

    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    run_question(as_alice, pk)
    exported = learner_export(alice, now=timezone.now())["mock_interviews"]
    assert [e["id"] for e in exported] == [pk]
    assert exported[0]["questions"][0]["concept"] == "iv-relu" and exported[0]["questions"][0]["rating"] == 3


def test_every_step_is_in_the_openapi_schema_with_its_status_codes(as_alice):
    schema = as_alice.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    codes = {path: set(ops["post"]["responses"]) for path, ops in paths.items()
             if path.startswith("/api/interviews/") and "post" in ops}
    assert codes["/api/interviews/"] >= {"201", "400", "401", "403", "429"}
    assert codes["/api/interviews/{id}/next/"] >= {"200", "201", "404"}
    assert codes["/api/interviews/{id}/questions/{position}/answer/"] >= {"200", "201", "400", "404"}
    assert codes["/api/interviews/{id}/questions/{position}/confirm/"] >= {"200", "201", "400", "404", "409"}
    assert codes["/api/interviews/{id}/undo/"] >= {"200", "404", "409"}
    assert set(paths["/api/interviews/{id}/report/"]["get"]["responses"]) >= {"200", "404"}


def test_deleting_the_account_deletes_its_interviews(as_alice, alice, iv_content):
    from study.learner_data import account_delete

    pk = start(as_alice, plan=["iv-relu", "iv-sigmoid", "iv-he"], cards=iv_content)
    run_question(as_alice, pk)
    account_delete(user=alice, password="correct horse 1")
    assert not MockInterview.objects.exists() and not InterviewItem.objects.exists()
