"""Services both the web pages and the API call: creating a learner, the feedback on a quiz answer.

One place each, so a sign-up through the form and one through the API make the same
account, and the page and the API say the same thing about an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from concepts.demos import demo_payload, filled
from concepts.models import Question
from study import grading, quizzes
from study.models import LearnerProfile, QuizItem


@transaction.atomic
def create_learner(*, username: str, password: str, email: str = "", language: str = "") -> User:
    """A new account (input already validated); `language`, when given, is kept as the learner's choice."""
    user = User.objects.create_user(username, email, password)
    if language:
        LearnerProfile.objects.create(user=user, language=language)
    return user


@dataclass(frozen=True)
class AnswerFeedback:
    """What a learner is told after answering one quiz question."""

    item: QuizItem
    grade: grading.Grade
    created: bool  # False: the question had been answered before; this is the first result again
    lang: str
    demo: dict[str, Any] | None  # the linked demo's values (and charts when asked for), or None
    explanation: str  # the question's explanation, quoted values filled from the demo

    @property
    def question(self) -> Question:
        return self.item.question

    def your_answer(self) -> str:
        return quizzes.answer_text(self.question, self.item.response, self.lang)

    def right_answer(self) -> str:
        return quizzes.right_answer_text(self.question, self.lang)


def answer_question(*, session, item: QuizItem, response, now, lang: str, charts: bool = True) -> AnswerFeedback:
    """Grade and record the answer (`quizzes.answer`), then assemble its feedback.

    Raises `grading.AnswerInvalid` for a response of the wrong shape and Django's
    ValidationError when the quiz no longer takes answers, as `quizzes.answer` does.
    """
    outcome = quizzes.answer(session=session, item=item, response=response, now=now)
    demo = demo_payload(item.question, lang, charts=charts)
    return AnswerFeedback(item=item, grade=outcome.grade, created=outcome.created, lang=lang, demo=demo,
                          explanation=filled(item.question, "explanation", lang, demo))
