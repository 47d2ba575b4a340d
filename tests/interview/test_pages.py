"""The mock interview pages without a browser: set-up, a question, the checklist, the report, the progress page."""

import re

import pytest

from study.models import ReviewLog
from interview.models import InterviewItem, MockInterview

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def start(client, cards, plan=("iv-relu", "iv-sigmoid", "iv-he")):
    response = client.post("/interview/", {"topics": ["iv"], "main_count": 3, "time_limit_s": "120", "lang": "ko"},
                           HTTP_ACCEPT_LANGUAGE="ko")
    interview = MockInterview.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/interview/{interview.pk}/"
    MockInterview.objects.filter(pk=interview.pk).update(plan=[cards[s].pk for s in plan])
    return interview.pk


def test_the_set_up_page_names_topics_in_korean(alice_client, iv_content):
    html = alice_client.get("/interview/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "면접 주제" in html and "Interview topic" not in html


def test_set_up_errors_name_the_field(alice_client, iv_content):
    html = alice_client.post("/interview/", {"main_count": 12, "lang": "ko"}, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "has-error" in html and MockInterview.objects.count() == 0


def test_a_question_then_its_checklist_in_korean(alice_client, alice, iv_content):
    pk = start(alice_client, iv_content)
    html = alice_client.get(f"/interview/{pk}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "렐루을 설명해 주세요." in html and "주 질문 1 / 3" in html and 'data-countdown="120"' in html
    assert "모범 답안" not in html
    alice_client.post(f"/interview/{pk}/answer/", {"position": 1, "answer": "max(0, x)를 출력하고 계산이 싸다"})
    html = alice_client.get(f"/interview/{pk}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "모범 답안" in html and "렐루의 모범 답안" in html
    checked = re.findall(r'name="ticks" value="(\d)" data-tick="\d" checked', html)
    assert checked == ["0", "2"]
    assert 'data-ratings="1,1,2,3,4"' in html
    response = alice_client.post(f"/interview/{pk}/confirm/", {"position": 1, "ticks": ["0", "2"], "rating": "3"},
                                HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 302
    assert ReviewLog.objects.get(user=alice).rating == 3
    html = alice_client.get(f"/interview/{pk}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "죽은 ReLU 문제는 무엇인가요?" in html and "꼬리 질문" in html  # the follow-up, asked next
    assert "“렐루” 카드를 “알맞음”(으)로 플래시카드 일정에 기록했습니다." in html


def test_the_report_and_the_progress_history(alice_client, iv_content):
    pk = start(alice_client, iv_content)
    for _ in range(12):
        alice_client.get(f"/interview/{pk}/")
        item = InterviewItem.objects.filter(interview_id=pk).order_by("-position").first()
        if MockInterview.objects.get(pk=pk).finished_at:
            break
        alice_client.post(f"/interview/{pk}/answer/", {"position": item.position, "aloud": "1"})
        alice_client.post(f"/interview/{pk}/confirm/", {"position": item.position, "ticks": ["0", "1"]})
    response = alice_client.get(f"/interview/{pk}/", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 302 and response["Location"] == f"/interview/{pk}/report/"
    html = alice_client.get(f"/interview/{pk}/report/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "모의 면접 결과" in html and "소리 내어 답함" in html and "가장 약한 핵심 포인트" in html
    progress = alice_client.get("/progress/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "지난 모의 면접" in progress and f"/interview/{pk}/report/" in progress


def test_pages_need_a_login_and_another_learners_interview_is_404(client, alice, bob, iv_content):
    assert client.get("/interview/").status_code == 302
    client.force_login(alice)
    pk = start(client, iv_content)
    client.force_login(bob)
    assert client.get(f"/interview/{pk}/").status_code == 404
    assert client.get(f"/interview/{pk}/report/").status_code == 404


def test_the_pages_speak_english_too(alice_client, iv_content):
    html = alice_client.get("/interview/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Start the interview" in html and "Past mock interviews" in html
    response = alice_client.post("/interview/", {"main_count": 3, "lang": "en"}, HTTP_ACCEPT_LANGUAGE="en")
    html = alice_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Main question 1 of 3" in html and "Keys: T types an answer" in html


def test_the_admin_lists_interviews_with_their_questions(client, carol, alice, iv_content):
    client.force_login(alice)
    pk = start(client, iv_content)
    client.get(f"/interview/{pk}/")
    client.force_login(carol)
    assert client.get("/admin/interview/mockinterview/").status_code == 200
    html = client.get(f"/admin/interview/mockinterview/{pk}/change/").content.decode()
    assert "iv-relu" in html or "ReLU" in html
