"""REST API of mock interviews: start, next question, answer, confirm ticks, undo, report.

Thin views in the style of `concepts.api`: an input serializer, a service call, an output
serializer. Interviews are looked up through `request.user`, so another learner's ids answer
404. Field errors are 400 with a message per field; a step that does not fit the interview's
stage (confirming before answering, changing confirmed ticks) is 409 with `detail`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from concepts.api.common import LANG_PARAM
from quizsite import languages
from interview import report, services
from interview.models import InterviewItem, MockInterview
from interview.serializers import (
    InterviewAnswerInput, InterviewConfirmInput, InterviewErrorOutput, InterviewNextOutput, InterviewOutput,
    InterviewQuestionOutput, InterviewReportOutput, InterviewStartInput,
)

TAG = ["mock interviews"]
COMMON = {
    401: OpenApiResponse(InterviewErrorOutput, description="Not logged in (no session or token)"),
    403: OpenApiResponse(InterviewErrorOutput, description="Not logged in with a session (CSRF) or not allowed"),
    429: OpenApiResponse(InterviewErrorOutput, description="Too many requests (throttled); see Retry-After"),
}
NOT_FOUND = {404: OpenApiResponse(InterviewErrorOutput, description="No such interview (or question) of yours")}
BAD = {400: OpenApiResponse(description="Invalid input: a message per field")}
CONFLICT = {409: OpenApiResponse(InterviewErrorOutput, description="Not possible at this stage of the interview")}


def _field_errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


def _conflict(exc: services.InterviewConflict) -> Response:
    return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)


def _own(request, pk) -> MockInterview:
    return get_object_or_404(MockInterview.objects.filter(user=request.user).prefetch_related("topics"), pk=pk)


def _own_item(request, pk, position) -> InterviewItem:
    qs = InterviewItem.objects.select_related("interview", "concept__topic", "main", "review")
    # The interview first: a lookup by its pk answers 404 to any integer, even beyond 64 bits.
    return get_object_or_404(qs, interview=_own(request, pk), position=position)


def _interview(interview: MockInterview) -> dict:
    return {"id": interview.pk, "created_at": interview.created_at, "finished_at": interview.finished_at,
            "main_count": interview.main_count, "time_limit_s": interview.time_limit_s, "lang": interview.lang,
            "topics": sorted(t.slug for t in interview.topics.all()), "asked": interview.items.count()}


def _question(item: InterviewItem) -> dict:
    item = InterviewItem.objects.select_related("interview", "concept__topic", "main", "review").get(pk=item.pk)
    return InterviewQuestionOutput(report.question_state(item)).data


def _step(request, pk, position, input_class, action) -> Response:
    """Answer or confirm: parse the input, run the service, 201 when it did something, 200 when
    it had been done already (idempotent), 400 per field, 409 out of stage."""
    item = _own_item(request, pk, position)
    data = input_class(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        item, created = action(item, data.validated_data)
    except DjangoValidationError as exc:
        raise _field_errors(exc) from None
    except services.InterviewConflict as exc:
        return _conflict(exc)
    return Response(_question(item), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class InterviewListView(APIView):
    @extend_schema(tags=TAG, responses={200: InterviewOutput(many=True), **COMMON})
    def get(self, request):
        interviews = MockInterview.objects.filter(user=request.user).prefetch_related("topics")[:100]
        return Response(InterviewOutput([_interview(i) for i in interviews], many=True).data)

    @extend_schema(tags=TAG, request=InterviewStartInput, parameters=[LANG_PARAM],
                   responses={201: InterviewOutput, **BAD, **COMMON})
    def post(self, request):
        data = InterviewStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            interview = services.interview_start(
                user=request.user, topics=values["topics"], main_count=values["main_count"],
                time_limit_s=values["time_limit_s"], lang=values.get("lang") or languages.of_request(request),
                now=timezone.now(), seed=values["seed"])
        except DjangoValidationError as exc:
            raise _field_errors(exc) from None
        return Response(InterviewOutput(_interview(interview)).data, status=status.HTTP_201_CREATED)


class InterviewDetailView(APIView):
    @extend_schema(tags=TAG, responses={200: InterviewOutput, **NOT_FOUND, **COMMON})
    def get(self, request, pk):
        return Response(InterviewOutput(_interview(_own(request, pk))).data)


class NextQuestionView(APIView):
    """The question to answer now: the current one until its ticks are confirmed, then the next
    (a linked follow-up, or the next main question). `finished` once the interview is over."""

    @extend_schema(tags=TAG, request=None, responses={
        201: OpenApiResponse(InterviewNextOutput, description="A new question was asked"),
        200: OpenApiResponse(InterviewNextOutput, description="The current question again, or finished"),
        **NOT_FOUND, **COMMON})
    def post(self, request, pk):
        interview = _own(request, pk)
        item, created = services.interview_next(interview=interview, now=timezone.now())
        payload = {"finished": item is None, "question": None if item is None else _question(item)}
        return Response(InterviewNextOutput(payload).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class AnswerView(APIView):
    """Answer a question (typed, or `aloud`); the response reveals the model answer and key points.
    Repeating it returns the first answer unchanged (200)."""

    @extend_schema(tags=TAG, request=InterviewAnswerInput, responses={
        201: OpenApiResponse(InterviewQuestionOutput, description="Answer recorded"),
        200: OpenApiResponse(InterviewQuestionOutput, description="Already answered: the first answer, unchanged"),
        **BAD, **NOT_FOUND, **COMMON})
    def post(self, request, pk, position):
        return _step(request, pk, position, InterviewAnswerInput, lambda item, data: services.interview_answer(
            item=item, answer=data["answer"], aloud=data["aloud"], now=timezone.now()))


class ConfirmView(APIView):
    """Confirm the key points covered (and optionally override the rating): records the review of
    the card. Repeating it with the same ticks returns the first result (200)."""

    @extend_schema(tags=TAG, request=InterviewConfirmInput, responses={
        201: OpenApiResponse(InterviewQuestionOutput, description="Confirmed; the review was recorded"),
        200: OpenApiResponse(InterviewQuestionOutput, description="Already confirmed with these ticks"),
        **BAD, **NOT_FOUND, **CONFLICT, **COMMON})
    def post(self, request, pk, position):
        return _step(request, pk, position, InterviewConfirmInput, lambda item, data: services.interview_confirm(
            item=item, ticks=data["ticks"], rating=data["rating"], now=timezone.now()))


class UndoView(APIView):
    """Undo the last confirmed answer's review (like the flashcards' undo), to confirm it again."""

    @extend_schema(tags=TAG, request=None, responses={
        200: OpenApiResponse(InterviewQuestionOutput, description="Undone: the question is back at the answered stage"),
        404: OpenApiResponse(InterviewErrorOutput, description="No such interview, or nothing confirmed to undo"),
        **CONFLICT, **COMMON})
    def post(self, request, pk):
        interview = _own(request, pk)
        try:
            item = services.interview_undo(interview=interview, now=timezone.now())
        except services.InterviewConflict as exc:
            return _conflict(exc)
        if item is None:
            return Response({"detail": "There is no confirmed answer to undo."}, status=status.HTTP_404_NOT_FOUND)
        return Response(_question(item))


class ReportView(APIView):
    """The report: per question the answer, time, key points covered and missed, follow-ups
    reached and skipped; the weakest key points; the session's cards due today. Available
    while the interview runs too (`finished` false)."""

    @extend_schema(tags=TAG, responses={200: InterviewReportOutput, **NOT_FOUND, **COMMON})
    def get(self, request, pk):
        return Response(report.interview_report(_own(request, pk), now=timezone.now()))
