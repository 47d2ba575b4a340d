"""A learner's journeys in a real browser, keyboard first, in Korean and English, with no console errors."""

import re

import pytest
from playwright.sync_api import expect

PAGES = ["/", "/concepts/", "/concepts/why-relu-over-sigmoid/", "/concepts/gpu-memory-training/",
         "/accounts/login/", "/accounts/signup/", "/demos/vanishing-gradients/"]


def sign_up(page, username="minji"):
    page.goto("/accounts/signup/")
    page.page.fill("#id_username", username)
    page.page.fill("#id_password1", "a long passphrase 42")
    page.page.fill("#id_password2", "a long passphrase 42")
    page.page.click("button[type=submit]")
    page.page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", [1280, 375])
def test_public_pages_render_without_console_errors_and_fit_the_screen(open_page, width):
    page = open_page(width=width)
    for path in PAGES:
        page.goto(path)
        name = path.strip("/").replace("/", "_") or "home"
        page.shot(name)
        overflow = page.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than a {width}px screen"
    assert page.errors == []


def test_sign_up_log_out_and_log_in(open_page):
    page = open_page()
    sign_up(page)
    expect(page.page.locator(".account")).to_contain_text("minji")
    page.page.click("text=로그아웃")
    page.goto("/accounts/login/")
    page.page.fill("#id_username", "minji")
    page.page.fill("#id_password", "wrong password")
    page.page.click("main button[type=submit]")
    expect(page.page.locator(".errors")).to_be_visible()
    expect(page.page.locator("#id_username")).to_have_value("minji")
    page.page.fill("#id_password", "a long passphrase 42")
    page.page.click("main button[type=submit]")
    expect(page.page.locator(".account")).to_contain_text("minji")
    assert page.errors == []


def test_review_three_cards_with_the_keyboard_and_undo_one(open_page):
    page = open_page()
    sign_up(page)
    page.goto("/review/")
    page.shot("review")
    fronts = []
    for number in range(3):
        front = page.page.locator(".flashcard .front").inner_text()
        fronts.append(front)
        page.page.keyboard.press("Space")
        expect(page.page.locator("#card-back")).to_be_visible()
        if number == 0:
            page.shot("review-flipped")
        page.page.keyboard.press("3")
        expect(page.page.locator(".meta").first).to_contain_text(f"{number + 1}")
        expect(page.page.locator(".flashcard .front")).not_to_have_text(front)
    assert len(set(fronts)) == 3
    page.page.keyboard.press("u")
    expect(page.page.locator(".flashcard .front")).to_have_text(fronts[2])
    expect(page.page.locator("#review-card .messages")).to_be_visible()
    page.goto("/progress/")
    page.shot("progress")
    expect(page.page.locator(".stat .big").first).to_have_text("1")  # a one-day streak
    assert page.errors == []


def answer_current_question(page, wrong):
    """Answers the question shown; with `wrong`, an answer the database says is wrong."""
    from study.models import QuizItem

    form = page.page.locator(".answer-form")
    quiz_id = int(re.search(r"/quiz/(\d+)/", page.page.url).group(1))
    position = int(form.locator("input[name=position]").input_value())
    question = QuizItem.objects.select_related("question").get(session_id=quiz_id, position=position).question
    if question.kind == "multiple":
        picks = [c for c in question.choices.all() if c.is_correct] if not wrong else \
            [next(c for c in question.choices.all() if not c.is_correct)]
        for choice in picks:
            form.locator(f"input[value='{choice.pk}']").check()
    elif question.kind == "single":
        choice = next(c for c in question.choices.all() if c.is_correct != wrong)
        form.locator(f"input[value='{choice.pk}']").check()
    elif question.kind == "true_false":
        form.locator(f"input[value='{'true' if question.answer_bool != wrong else 'false'}']").check()
    elif question.kind == "numeric":
        value = question.numeric_value * 1000 + 12345 if wrong else question.numeric_value
        form.locator("input[type=text]").fill(f"{value:g}")
    else:
        form.locator("input[type=text]").fill("모르겠어요" if wrong else question.accepted_answers.first().text)
    form.locator("button[type=submit]").click()
    expect(page.page.locator(".feedback")).to_be_visible()
    expect(page.page.locator(".feedback")).to_have_class(re.compile("wrong" if wrong else "correct"))


def test_a_five_question_quiz_of_mixed_kinds_with_a_wrong_answer(open_page):
    page = open_page(locale="en-US")
    sign_up(page, "jun")
    page.goto("/quiz/")
    page.page.fill("#id_length", "5")
    for kind in ("single", "multiple", "true_false", "numeric", "short"):
        page.page.check(f"input[name=kinds][value={kind}]")
    page.shot("quiz-setup")
    page.page.click("main button[type=submit]")
    page.page.wait_for_load_state("networkidle")
    kinds = set()
    for number in range(5):
        expect(page.page.locator(".meta").first).to_contain_text(f"Question {number + 1} of 5")
        kinds.add(page.page.locator(".meta .tag").inner_text())
        # An empty submit first: the message appears in place and nothing is recorded.
        if number == 0:
            page.page.locator(".answer-form button[type=submit]").click()
            expect(page.page.locator(".answer-form .error")).to_be_visible()
        answer_current_question(page, wrong=number == 1)
        if number == 1:
            page.shot("quiz-feedback")
        page.page.keyboard.press("Enter")
        page.page.wait_for_load_state("networkidle")
    expect(page.page.locator("h1")).to_have_text("Quiz results")
    expect(page.page.locator(".score")).to_contain_text("4 correct out of 5")
    page.shot("quiz-summary")
    assert len(kinds) == 5  # a mixed quiz interleaves the kinds asked for
    assert page.errors == []


def test_changing_a_demo_parameter_updates_the_chart_and_the_numbers(open_page):
    page = open_page(locale="en-US")
    page.goto("/demos/vanishing-gradients/")
    summary = page.page.locator("[data-demo-summary]").inner_text()
    chart = page.page.locator(".chart svg").first.inner_html()
    page.page.fill("input[name=depth]", "4")
    page.page.locator("input[name=depth]").press("Enter")
    expect(page.page.locator("[data-demo-summary]")).not_to_have_text(summary)
    assert page.page.locator(".chart svg").first.inner_html() != chart
    # An out-of-range value is refused next to its field and what was typed stays.
    page.page.fill("input[name=depth]", "999")
    page.page.locator("input[name=depth]").press("Enter")
    expect(page.page.locator(".demo-form .error")).to_contain_text("at most")
    expect(page.page.locator("input[name=depth]")).to_have_value("999")
    page.shot("demo-error")
    assert page.errors == []


def test_switch_to_english_and_back(open_page):
    page = open_page()
    page.goto("/concepts/why-relu-over-sigmoid/")
    expect(page.page.locator("h1")).to_contain_text("ReLU를")
    page.page.select_option("#lang-select", "en")
    page.page.wait_for_load_state("networkidle")
    expect(page.page.locator("h1")).to_have_text("Why ReLU instead of sigmoid")
    expect(page.page.locator("nav")).to_contain_text("Flashcards")
    page.goto("/")
    expect(page.page.locator("nav")).to_contain_text("Flashcards")  # the choice persists
    page.page.select_option("#lang-select", "ko")
    page.page.wait_for_load_state("networkidle")
    expect(page.page.locator("nav")).to_contain_text("플래시카드")
    assert page.errors == []
