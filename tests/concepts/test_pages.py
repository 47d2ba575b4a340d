"""The server-rendered pages, seen through Django's test client (the browser tests drive the same pages)."""

import time

import pytest
from django.urls import reverse

from concepts.content import load_content
from concepts.markup import render_markdown
from concepts.models import Concept, Status
from study.models import QuizItem, ReviewLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(mini_content, write_content):
    load_content(write_content(mini_content))


def text(response):
    return response.content.decode()


def test_home_lists_topics_in_korean_by_default(client, loaded):
    page = text(client.get(reverse("concepts:home")))
    assert "미니" in page and "시험용 주제" in page


def test_english_is_chosen_by_accept_language(client, loaded):
    page = text(client.get(reverse("concepts:library"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "ReLU" in page and "렐루" not in page


def test_the_language_switch_persists(client, loaded):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = text(client.get(reverse("concepts:concept", args=["mini-relu"])))
    assert "What is ReLU?" in page and "What about Leaky ReLU?" in page


def test_the_library_searches_both_languages_and_filters_by_topic(client, loaded):
    Concept.objects.filter(slug="mini-sigmoid").update(status=Status.DRAFT)
    page = text(client.get(reverse("concepts:library"), {"q": "relu"}))
    assert "렐루" in page and "시그모이드" not in page
    assert "0 cards" in text(client.get(reverse("concepts:library"), {"topic": "other"}, HTTP_ACCEPT_LANGUAGE="en"))


def test_a_concept_page_shows_the_card(client, loaded):
    page = text(client.get(reverse("concepts:concept", args=["mini-relu"])))
    assert "ReLU란?" in page and "Leaky ReLU는?" in page and "죽은 뉴런" in page


def test_a_draft_concept_is_not_found(client, loaded):
    Concept.objects.filter(slug="mini-relu").update(status=Status.DRAFT)
    assert client.get(reverse("concepts:concept", args=["mini-relu"])).status_code == 404


def test_study_pages_ask_for_a_login(client, loaded):
    for name in ("concepts:review", "concepts:quiz-setup", "concepts:progress"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_sign_up_logs_the_learner_in(client, loaded):
    response = client.post(reverse("concepts:signup"), {"username": "minji", "password1": "a long passphrase 42",
                                                        "password2": "a long passphrase 42"})
    assert response.status_code == 302
    assert "minji" in text(client.get(reverse("concepts:home")))


def test_a_wrong_password_shows_a_message_and_keeps_the_username(client, alice):
    page = text(client.post(reverse("login"), {"username": "alice", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Please enter a correct username and password" in page and 'value="alice"' in page


def test_grading_a_flashcard_records_the_review_and_shows_the_next_card(client, alice, loaded):
    client.force_login(alice)
    page = text(client.get(reverse("concepts:review"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "What is ReLU?" in page and "0 reviewed this session" in page
    fragment = text(client.post(reverse("concepts:review-grade", args=["mini-relu"]), {"rating": "3", "key": "k1"},
                                HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"))
    assert "What is sigmoid?" in fragment and "1 reviewed this session" in fragment
    assert "<html" not in fragment
    assert ReviewLog.objects.get(user=alice).rating == 3


def test_undo_on_the_web_restores_the_card(client, alice, loaded):
    client.force_login(alice)
    client.post(reverse("concepts:review-grade", args=["mini-relu"]), {"rating": "4"})
    fragment = text(client.post(reverse("concepts:review-undo"), HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"))
    assert "What is ReLU?" in fragment and "Undid your last review" in fragment


def test_a_bad_rating_changes_nothing(client, alice, loaded):
    client.force_login(alice)
    client.post(reverse("concepts:review-grade", args=["mini-relu"]), {"rating": "9"})
    assert not ReviewLog.objects.exists()


def _start_quiz(client, **data):
    response = client.post(reverse("concepts:quiz-setup"), {"length": 5, **data})
    assert response.status_code == 302, text(response)
    return response["Location"]


def test_a_quiz_shows_one_question_and_grades_it_with_the_explanation(client, alice, loaded):
    client.force_login(alice)
    url = _start_quiz(client, kinds=["numeric"], length=1)
    page = text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "How many MB for 1M fp32 params?" in page and "Question 1 of 1" in page
    quiz_id = url.strip("/").split("/")[-1]
    answer_url = reverse("concepts:quiz-answer", args=[quiz_id])
    fragment = text(client.post(answer_url, {"position": 1, "answer": "5 MB"}, HTTP_HX_REQUEST="true",
                                HTTP_ACCEPT_LANGUAGE="en"))
    assert "Not quite" in fragment and "4 MB (± 0.1)" in fragment and "4 bytes × 10^6" in fragment


def test_text_in_a_numeric_answer_is_refused_in_place_and_kept(client, alice, loaded):
    client.force_login(alice)
    url = _start_quiz(client, kinds=["numeric"], length=1)
    quiz_id = url.strip("/").split("/")[-1]
    fragment = text(client.post(reverse("concepts:quiz-answer", args=[quiz_id]), {"position": 1, "answer": "four"},
                                HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Enter a number, optionally followed by its unit" in fragment and 'value="four"' in fragment
    assert not QuizItem.objects.filter(answered_at__isnull=False).exists()


def test_an_empty_answer_is_refused_in_place(client, alice, loaded):
    client.force_login(alice)
    url = _start_quiz(client, kinds=["short"], length=1)
    quiz_id = url.strip("/").split("/")[-1]
    fragment = text(client.post(reverse("concepts:quiz-answer", args=[quiz_id]), {"position": 1, "answer": "  "},
                                HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Type an answer." in fragment


def test_quiz_setup_errors_are_shown_on_the_form(client, alice, loaded):
    client.force_login(alice)
    page = text(client.post(reverse("concepts:quiz-setup"), {"length": "99", "time_limit_min": "x"},
                            HTTP_ACCEPT_LANGUAGE="en"))
    assert "Ensure this value is less than or equal to 50." in page and "Enter a whole number." in page
    assert 'value="99"' in page


def test_another_learner_cannot_open_alices_quiz(client, alice, bob, loaded):
    client.force_login(alice)
    url = _start_quiz(client)
    client.force_login(bob)
    assert client.get(url).status_code == 404


def test_the_progress_page_shows_statistics(client, alice, loaded):
    client.force_login(alice)
    client.post(reverse("concepts:review-grade", args=["mini-relu"]), {"rating": "3"})
    page = text(client.get(reverse("concepts:progress"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "day streak" in page and "Mini" in page and "1 / 2" in page


def test_markdown_keeps_latex_for_katex_and_escapes_html():
    html = render_markdown("Var is $\\frac{2}{n_{in}}$ and *x_1 y_1* <script>alert(1)</script>\n\n$$a_1 * b_2$$")
    assert "$\\frac{2}{n_{in}}$" in html
    assert "$$a_1 * b_2$$" in html
    assert "<em>x_1 y_1</em>" in html
    assert "<script>" not in html


def test_quoted_demo_values_are_filled_on_the_card_the_review_and_the_api(client, alice, mini_content, write_content):
    concept = mini_content["concepts"][0]
    concept["demo"] = {"key": "linear-collapse", "params": {"depth": 3, "width": 4}}
    concept["explanation"]["en"] = "Three layers collapse to [[collapsed_params]] parameters."
    concept["key_points"]["en"] = ["Stacked: [[stacked_params]] parameters."]
    load_content(write_content(mini_content))
    client.force_login(alice)
    for url in (reverse("concepts:concept", args=["mini-relu"]), reverse("concepts:review")):
        page = text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
        assert "collapse to 20 parameters" in page and "[[" not in page
    body = client.get(reverse("api:concept-detail", args=["mini-relu"]), {"lang": "en"}).json()
    assert body["explanation"] == "Three layers collapse to 20 parameters."
    assert body["key_points"] == ["Stacked: 60 parameters."]


def test_a_missing_demo_result_shows_computing_and_is_filled_in_by_the_background_run(
        transactional_db, client, mini_content, write_content, settings):
    from django.core.cache import cache

    from sandbox.models import StoredResult

    concept = mini_content["concepts"][0]
    concept["demo"] = {"key": "linear-collapse", "params": {"depth": 3, "width": 4}}
    concept["explanation"]["en"] = "Three layers collapse to [[collapsed_params]] parameters."
    load_content(write_content(mini_content))
    StoredResult.objects.all().delete()  # as on a new deployment whose results are not computed yet
    cache.clear()
    settings.SANDBOX_IN_PROCESS = False  # the embedded default: a background runner in the web process
    settings.SANDBOX_TIMEOUT_S = 600
    url = reverse("concepts:concept", args=["mini-relu"])

    page = text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "collapse to … parameters" in page and "[[" not in page
    assert "data-demo-computing" in page

    deadline = time.monotonic() + 600  # generous: a busy machine may take long to start the demo's process
    while not StoredResult.objects.filter(key="linear-collapse", status="ok").exists():
        assert time.monotonic() < deadline, "the background run never stored its result"
        time.sleep(0.2)
    page = text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "collapse to 20 parameters" in page and "data-demo-computing" not in page


def test_code_spans_are_escaped_once_so_quotes_and_brackets_read_as_typed():
    html = render_markdown("Use `mode='fan_in'` and ``a<b && c`` but not <b>bold</b>; $x < y$ stays.")
    assert "<code>mode=&#x27;fan_in&#x27;</code>" in html  # shown as mode='fan_in', not mode=&amp;#x27;...
    assert "<code>a&lt;b &amp;&amp; c</code>" in html
    assert "&amp;#x27;" not in html and "&amp;lt;" not in html and "<b>" not in html
    assert "$x &lt; y$" in html


def test_a_list_right_after_a_paragraph_line_is_still_a_list():
    html = render_markdown("**Components** (with $P$ parameters)\n- Parameters: $4P$\n- Gradients: $4P$\n\n1. one\n2. two")
    assert html.count("<li>") == 4 and "<ul>" in html and "<ol>" in html
    assert "$4P$" in html


def test_feedback_shows_the_chosen_choice_text_not_its_id(client, alice, loaded):
    client.force_login(alice)
    url = _start_quiz(client, kinds=["single"], length=1)
    quiz_id = url.strip("/").split("/")[-1]
    from concepts.models import Choice

    wrong = Choice.objects.get(question__slug="mini-single", is_correct=False)
    fragment = text(client.post(reverse("concepts:quiz-answer", args=[quiz_id]), {"position": 1, "answer": wrong.pk},
                                HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Your answer: -2" in fragment and f"Your answer: {wrong.pk}" not in fragment


def test_card_texts_are_rendered_when_loaded_and_pages_only_read_them(client, mini_content, write_content,
                                                                      monkeypatch, django_capture_on_commit_callbacks):
    from concepts import markup
    from concepts.models import RenderedMarkdown

    concept = mini_content["concepts"][0]
    concept["demo"] = {"key": "linear-collapse", "params": {"depth": 3, "width": 4}}
    concept["explanation"]["en"] = "Three layers collapse to **[[collapsed_params]]** parameters."
    report = load_content(write_content(mini_content))
    assert report.texts_rendered > 0
    filled = "Three layers collapse to **20** parameters."
    assert RenderedMarkdown.objects.filter(digest=markup.text_digest(filled)).exists()

    markup.forget()  # a fresh process: nothing remembered, only what is stored

    def no_rendering(text):
        raise AssertionError(f"rendered on read: {text[:40]!r}")

    monkeypatch.setattr(markup, "render_markdown", no_rendering)
    page = text(client.get(reverse("concepts:concept", args=["mini-relu"]), HTTP_ACCEPT_LANGUAGE="en"))
    assert "collapse to <strong>20</strong> parameters" in page
    monkeypatch.undo()

    with django_capture_on_commit_callbacks(execute=True):  # an edit in the admin renders that card again
        edited = Concept.objects.get(slug="mini-relu")
        edited.answer_en = "It is *max(0, x)*."
        edited.save()
    assert RenderedMarkdown.objects.filter(digest=markup.text_digest("It is *max(0, x)*.")).exists()
    again = load_content(write_content(mini_content))  # the YAML's answer back: its rendering was kept
    assert again.changed and again.texts_rendered == 0
