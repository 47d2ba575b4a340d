"""Quizzes: start one, read it, answer a question, finish with a summary, study the missed cards."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from concepts.api.catalogue import PublicQuestionSerializer
from concepts.api.common import LANG_PARAM, LangMixin, django_errors
from concepts.models import QuestionKind
from quizsite import languages
from study import grading, quizzes, services
from study.models import QuizItem, QuizSession


class QuizStartInput(serializers.Serializer):
    topics = serializers.ListField(child=serializers.SlugField(), required=False, default=list, max_length=20)
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=QuestionKind.choices), required=False,
                                  default=list, max_length=5)
    difficulty = serializers.IntegerField(min_value=1, max_value=3, required=False, allow_null=True)
    length = serializers.IntegerField(min_value=1, max_value=50, default=10)
    time_limit_s = serializers.IntegerField(min_value=30, max_value=4 * 3600, required=False, allow_null=True)
    practice = serializers.BooleanField(default=False, help_text="Practice runs do not feed the flashcard schedule.")


class QuizItemOutput(serializers.ModelSerializer):
    question = PublicQuestionSerializer()
    answered = serializers.SerializerMethodField()

    class Meta:
        model = QuizItem
        fields = ["position", "question", "answered", "is_correct", "score", "response"]

    def get_answered(self, item) -> bool:
        return item.answered_at is not None


class QuizOutput(serializers.ModelSerializer):
    items = QuizItemOutput(many=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    deadline = serializers.DateTimeField(allow_null=True, read_only=True)

    class Meta:
        model = QuizSession
        fields = ["id", "created_at", "topics", "kinds", "difficulty", "time_limit_s", "deadline", "practice",
                  "finished_at", "items"]


class QuizListOutput(serializers.ModelSerializer):
    class Meta:
        model = QuizSession
        fields = ["id", "created_at", "practice", "finished_at"]


class AnswerInput(serializers.Serializer):
    position = serializers.IntegerField(min_value=1)
    response = serializers.JSONField(help_text="Choice id (single), list of choice ids (multiple), true/false, "
                                               "a number or '4 MB' (numeric), or text (short).")

    def validate_response(self, value):
        # PostgreSQL's jsonb refuses \u0000; refuse it here as bad input instead of failing on save.
        if "\\u0000" in json.dumps(value):
            raise serializers.ValidationError(_("Null characters are not allowed."))
        return value


class AnswerOutput(serializers.Serializer):
    position = serializers.IntegerField()
    correct = serializers.BooleanField()
    score = serializers.FloatField()
    expected = serializers.DictField()
    feedback = serializers.CharField(allow_blank=True)
    explanation = serializers.CharField()
    demo = serializers.DictField(allow_null=True)
    already_answered = serializers.BooleanField()


class StudyMissedOutput(serializers.Serializer):
    cards = serializers.ListField(child=serializers.CharField(), help_text="Slugs of the cards now due.")
    due = serializers.DateTimeField()


def _own_quiz(request, pk) -> QuizSession:
    qs = QuizSession.objects.of(request.user).prefetch_related("topics", quizzes.quiz_questions())
    return get_object_or_404(qs, pk=pk)


class QuizListView(LangMixin, APIView):
    @extend_schema(responses=QuizListOutput(many=True))
    def get(self, request):
        sessions = QuizSession.objects.of(request.user).recent()[:100]
        return Response(QuizListOutput(sessions, many=True).data)

    @extend_schema(request=QuizStartInput, responses={201: QuizOutput}, parameters=[LANG_PARAM])
    def post(self, request):
        data = QuizStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            session = quizzes.start_quiz(user=request.user, **data.validated_data)
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        session = _own_quiz(request, session.pk)
        context = {"request": request, "lang": languages.of_request(request)}
        return Response(QuizOutput(session, context=context).data, status=status.HTTP_201_CREATED)


class QuizDetailView(APIView):
    @extend_schema(responses=QuizOutput, parameters=[LANG_PARAM])
    def get(self, request, pk):
        session = _own_quiz(request, pk)
        return Response(QuizOutput(session, context={"lang": languages.of_request(request)}).data)


class QuizAnswerView(APIView):
    @extend_schema(request=AnswerInput, responses={201: AnswerOutput, 200: AnswerOutput}, parameters=[LANG_PARAM])
    def post(self, request, pk):
        data = AnswerInput(data=request.data)
        if not data.is_valid():
            get_object_or_404(QuizSession.objects.of(request.user), pk=pk)  # another's quiz: 404 whatever the body
            raise ValidationError(data.errors)
        position = data.validated_data["position"]
        # Only the answered item with its session (one query) and what grading its kind reads, not the whole quiz.
        item = quizzes.item_to_answer(request.user, pk, position)
        if item is None:
            get_object_or_404(QuizSession.objects.of(request.user), pk=pk)
            raise ValidationError({"position": [_("This quiz has no question %(n)d.") % {"n": position}]})
        session = item.session
        try:
            # values and a URL for the demo; the client fetches charts if it shows them
            feedback = services.answer_question(session=session, item=item, response=data.validated_data["response"],
                                                now=timezone.now(), lang=languages.of_request(request), charts=False)
        except grading.AnswerInvalid as exc:
            raise ValidationError({"response": [str(exc)]}) from None
        except DjangoValidationError as exc:
            raise django_errors(exc) from None
        grade = feedback.grade
        payload = {
            "position": position, "correct": grade.correct, "score": grade.score, "expected": grade.expected,
            "feedback": grade.feedback, "explanation": feedback.explanation, "demo": feedback.demo,
            "already_answered": not feedback.created,
        }
        return Response(AnswerOutput(payload).data,
                        status=status.HTTP_201_CREATED if feedback.created else status.HTTP_200_OK)


def _summary_payload(request, session) -> dict:
    """Totals, per-topic rows, and the missed questions with the learner's answer, the right one and why."""
    return {**quizzes.summary(session), "missed": quizzes.missed_questions(session, languages.of_request(request))}


class QuizFinishView(APIView):
    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT}, parameters=[LANG_PARAM])
    def post(self, request, pk):
        session = _own_quiz(request, pk)
        quizzes.finish(session, now=timezone.now())
        return Response(_summary_payload(request, session))

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, parameters=[LANG_PARAM])
    def get(self, request, pk):
        return Response(_summary_payload(request, _own_quiz(request, pk)))


class QuizStudyMissedView(APIView):
    """"Study these": the cards behind the missed questions become due now. Repeating it changes nothing."""

    @extend_schema(request=None, responses={200: StudyMissedOutput})
    def post(self, request, pk):
        session = _own_quiz(request, pk)
        now = timezone.now()
        cards = quizzes.study_missed(user=request.user, session=session, now=now)
        return Response(StudyMissedOutput({"cards": [c.slug for c in cards], "due": now}).data)
