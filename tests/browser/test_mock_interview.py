"""A whole mock interview in a real browser, by keyboard, in Korean: 3 main questions with follow-ups, then the report."""

import re

import pytest
from playwright.sync_api import expect

from concepts.models import Concept
from study.models import ReviewLog, ReviewSource
from interview.models import InterviewItem
from tests.browser.test_learner_journeys import sign_up

TOPIC = "activation-functions"


@pytest.fixture
def site(live_server, transactional_db, monkeypatch):
    """The shipped content behind a live server, without computing its demos (no page here shows
    one). Replaces tests/browser/conftest.py's `site`, which patches a function content.py no longer has."""
    from concepts import content
    from concepts.content import checks

    monkeypatch.setattr(checks, "demo_checks", lambda bundle, broken, **kwargs: [])
    content.load_content()
    return live_server.url


@pytest.fixture
def linked_topic(site):
    """Every card of one topic links its follow-ups to the next two cards of the topic (a ring),
    as the lead's run of scripts/link_follow_ups.py will link real ones; the rest stay text."""
    cards = list(Concept.objects.filter(topic__slug=TOPIC).order_by("order"))
    for i, card in enumerate(cards):
        links = [cards[(i + 1) % len(cards)].slug, cards[(i + 2) % len(cards)].slug]
        card.follow_up_cards = (links + [None] * len(card.follow_ups_ko))[:len(card.follow_ups_ko)]
        card.save(update_fields=["follow_up_cards"])
    return cards


def overflow(page) -> int:
    return page.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def at_375(page, name):
    """A screenshot at phone width, checking the page fits, then back to desktop width."""
    page.page.set_viewport_size({"width": 375, "height": 900})
    page.shot(name)
    assert overflow(page) <= 1, f"{name} is wider than a 375px screen"
    page.page.set_viewport_size({"width": 1280, "height": 900})


def test_a_whole_mock_interview_by_keyboard_in_korean(open_page, linked_topic):
    page = open_page(locale="ko-KR")
    sign_up(page, "jiwoo")
    page.goto("/interview/")
    expect(page.page.locator("h1")).to_have_text("모의 면접")
    page.page.check(f"input[name=topics][value={TOPIC}]")
    page.page.select_option("#id_time_limit_s", "120")
    page.page.fill("#id_main_count", "3")
    page.page.press("#id_main_count", "Enter")  # Enter in the form starts the interview
    page.page.wait_for_load_state("networkidle")

    asked = []
    for turn in range(12):
        if page.page.url.endswith("/report/"):
            break
        root = page.page.locator("[data-interview]")
        expect(root).to_have_attribute("data-stage", "asked")
        asked.append(page.page.locator("#question-h").inner_text())
        expect(page.page.locator("[data-countdown] [data-remaining]")).to_have_text(re.compile(r"^[12]:\d\d$"))
        if turn == 0:
            page.shot("interview-question")
            at_375(page, "interview-question")
        if turn % 2 == 0:  # type an answer: T, the text, Enter
            page.page.keyboard.press("t")
            expect(page.page.locator("[data-answer-text]")).to_be_focused()
            page.page.keyboard.type("기울기가 사라지지 않도록 ReLU를 쓰고, 출력과 미분을 설명합니다.")
            page.page.keyboard.press("Enter")
        else:  # answered aloud: Space reveals
            page.page.keyboard.press("Space")
        page.page.wait_for_load_state("networkidle")
        expect(page.page.locator("h2", has_text="모범 답안")).to_be_visible()
        count = page.page.locator("input[name=ticks]").count()
        for number in range(1, count + 1):  # 1-9: tick every key point, but miss the last one after typing
            box = page.page.locator(f"input[data-tick='{number}']")
            wanted = turn % 2 == 1 or number < count
            if box.is_checked() != wanted:
                page.page.keyboard.press(str(number))
            expect(box).to_be_checked(checked=wanted)
        if turn == 1:
            page.page.keyboard.press("w")  # override: 어려움 (Hard)
            expect(page.page.locator("[data-rating-name]")).to_have_text("어려움")
            page.shot("interview-checklist")
            at_375(page, "interview-checklist")
        with page.page.expect_navigation():  # the confirm posts; read the URL only once the next page is there
            page.page.keyboard.press("Enter")
        page.page.wait_for_load_state("networkidle")

    assert page.page.url.endswith("/report/"), "the interview did not end within 12 questions"
    expect(page.page.locator("h1")).to_have_text("모의 면접 결과")
    items = list(InterviewItem.objects.filter(interview__user__username="jiwoo").select_related("concept"))
    mains = [i for i in items if i.main_id is None]
    follow_ups = [i for i in items if i.main_id is not None]
    # The first main question always reaches two follow-ups; later ones may find their linked cards asked.
    assert len(mains) == 3 and len(follow_ups) >= 2 and len(items) == len(asked)
    assert [i.main_id for i in items[1:3]] == [items[0].pk, items[0].pk]
    assert len({i.concept_id for i in items}) == len(items)  # never the same card twice
    assert items[1].rating == 2  # the overridden rating
    assert ReviewLog.objects.filter(user__username="jiwoo", source=ReviewSource.INTERVIEW).count() == len(items)
    expect(page.page.locator(".report-item")).to_have_count(len(items))
    expect(page.page.locator(".report-item.follow-up")).to_have_count(len(follow_ups))
    expect(page.page.locator("[data-report-summary]")).to_contain_text(
        f"질문 {len(items)}개: 주 질문 3개, 꼬리 질문 {len(follow_ups)}개.")
    expect(page.page.locator("text=가장 약한 핵심 포인트")).to_be_visible()
    expect(page.page.locator("[data-weakest] li")).to_have_count(min(10, sum(1 for t in range(len(items)) if t % 2 == 0)))
    page.shot("interview-report")
    at_375(page, "interview-report")
    page.goto("/progress/")
    expect(page.page.locator(".interview-history tbody tr")).to_have_count(1)
    assert page.errors == []
