"""One language per page: topic names, placeholders, and the learner's choice kept with their account."""

import pytest
from django.test import Client
from django.urls import reverse

from concepts.content import load_content
from study.models import LearnerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(mini_content, write_content):
    load_content(write_content(mini_content))


def test_quiz_setup_names_topics_in_the_page_language(client, alice, loaded):
    client.force_login(alice)
    korean = client.get(reverse("concepts:quiz-setup"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    english = client.get(reverse("concepts:quiz-setup"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "미니" in korean and ">Mini<" not in korean.replace(" ", "")
    assert "Mini" in english and "미니" not in english


def test_the_english_search_placeholder_is_english(client, loaded):
    english = client.get(reverse("concepts:library"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    korean = client.get(reverse("concepts:library"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert 'placeholder="e.g. ReLU, weight initialization, GPU memory"' in english
    assert 'placeholder="예: ReLU, 가중치 초기화, GPU 메모리"' in korean


def test_the_language_choice_follows_the_learner_to_a_fresh_browser(client, alice, loaded):
    client.post(reverse("login"), {"username": "alice", "password": "correct horse 1"})
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert LearnerProfile.objects.get(user=alice).language == "en"
    client.logout()

    fresh = Client()  # another browser: no language cookie, Korean by default
    response = fresh.post(reverse("login"), {"username": "alice", "password": "correct horse 1"})
    assert response.status_code == 302
    assert '<html lang="ko">' in Client().get(reverse("concepts:home")).content.decode()
    page = fresh.get(reverse("concepts:home")).content.decode()
    assert '<html lang="en">' in page


def test_signing_up_keeps_the_language_of_the_sign_up_page(client, loaded):
    client.post(reverse("concepts:signup"), {"username": "minji", "password1": "a long passphrase 42",
                                            "password2": "a long passphrase 42"}, HTTP_ACCEPT_LANGUAGE="en")
    assert LearnerProfile.objects.get(user__username="minji").language == "en"
