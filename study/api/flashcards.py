"""Flashcards on FSRS: the due queue, one card, a review, undo, the review history."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from concepts.api.catalogue import ConceptDetailSerializer
from concepts.api.common import LANG_PARAM, LangMixin, known_topic
from concepts.models import Concept
from quizsite import languages
from study import due_queue_reads, scheduling
from study.models import CardState, ReviewLog


class CardStateOutput(serializers.Serializer):
    state = serializers.CharField()
    due = serializers.DateTimeField()
    stability = serializers.FloatField(allow_null=True)
    difficulty = serializers.FloatField(allow_null=True)
    reps = serializers.IntegerField()
    lapses = serializers.IntegerField()


class FlashcardOutput(serializers.Serializer):
    concept = ConceptDetailSerializer()
    is_new = serializers.BooleanField()
    state = CardStateOutput(allow_null=True)
    next_due = serializers.DictField(child=serializers.DateTimeField(),
                                     help_text="The due date each rating (again/hard/good/easy) would give.")


class DueQueueOutput(serializers.Serializer):
    due = serializers.IntegerField()
    new = serializers.IntegerField()
    cards = FlashcardOutput(many=True)


class ReviewInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=4, help_text="1 again, 2 hard, 3 good, 4 easy")
    duration_ms = serializers.IntegerField(min_value=0, max_value=3_600_000, required=False)
    idempotency_key = serializers.CharField(max_length=64, required=False, allow_blank=False,
                                            help_text="Send the same key again to retry safely.")


class ReviewOutput(serializers.Serializer):
    id = serializers.IntegerField()
    concept = serializers.CharField(source="concept.slug")
    rating = serializers.IntegerField()
    reviewed_at = serializers.DateTimeField()
    due_after = serializers.DateTimeField()
    duration_ms = serializers.IntegerField(allow_null=True)
    undone_at = serializers.DateTimeField(allow_null=True)


class ReviewResultOutput(serializers.Serializer):
    review = ReviewOutput()
    created = serializers.BooleanField()


def _card_payload(user, concept, state, now, scheduler=None) -> dict:
    return {
        "concept": concept,
        "is_new": state is None,
        "state": None if state is None else {
            "state": state.get_state_display(), "due": state.due, "stability": state.stability,
            "difficulty": state.difficulty, "reps": state.reps, "lapses": state.lapses,
        },
        "next_due": scheduling.preview(user, concept, now=now, state=state, scheduler=scheduler),
    }


class DueQueueView(LangMixin, APIView):
    @extend_schema(
        parameters=[LANG_PARAM, OpenApiParameter("topic", str, description="A topic's slug (404 if none has it)"),
                    OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20})],
        responses=DueQueueOutput,
    )
    def get(self, request):
        limit = request.query_params.get("limit", "20")
        if not limit.isdigit() or not 1 <= int(limit) <= 100:
            raise ValidationError({"limit": [_("Must be an integer between 1 and 100.")]})
        topic = known_topic(request.query_params.get("topic") or None)
        # values-only queries and each card's stored payload: the same body as DueQueueOutput, see that module
        query = {"now": timezone.now(), "topic": topic, "limit": int(limit), "lang": languages.of_request(request)}
        if _plain_json(request):  # the bytes JSONRenderer would write, with the stored payloads spliced in
            return HttpResponse(due_queue_reads.due_queue_json(request.user, **query), content_type="application/json")
        return Response(due_queue_reads.due_queue_data(request.user, **query))


def _plain_json(request) -> bool:
    """Whether the response is DRF's compact, unescaped JSON (the stored payloads' own form), not indented."""
    return (type(request.accepted_renderer) is JSONRenderer and "indent" not in request.accepted_media_type
            and api_settings.UNICODE_JSON and api_settings.COMPACT_JSON)


class FlashcardView(LangMixin, APIView):
    @extend_schema(parameters=[LANG_PARAM], responses=FlashcardOutput)
    def get(self, request, slug):
        concept = get_object_or_404(Concept.objects.published().select_related("topic"), slug=slug)
        state = CardState.objects.of(request.user).filter(concept=concept).first()
        payload = _card_payload(request.user, concept, state, timezone.now())
        return Response(FlashcardOutput(payload, context={"lang": languages.of_request(request)}).data)


class ReviewView(APIView):
    @extend_schema(request=ReviewInput, responses={201: ReviewResultOutput, 200: ReviewResultOutput})
    def post(self, request, slug):
        concept = get_object_or_404(Concept.objects.published(), slug=slug)
        data = ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        log, created = scheduling.review_card(
            user=request.user, concept=concept, now=timezone.now(), rating=data.validated_data["rating"],
            duration_ms=data.validated_data.get("duration_ms"),
            idempotency_key=data.validated_data.get("idempotency_key"),
        )
        if not created and log.concept_id != concept.pk:
            raise ValidationError({"idempotency_key": [_("This key was already used for a review of another card.")]})
        return Response(ReviewResultOutput({"review": log, "created": created}).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class UndoView(APIView):
    @extend_schema(request=None, responses={200: ReviewOutput, 404: OpenApiTypes.OBJECT})
    def post(self, request):
        log = scheduling.undo_last_review(user=request.user, now=timezone.now())
        if log is None:
            return Response({"detail": _("There is no review to undo.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(ReviewOutput(log).data)


class ReviewHistoryView(generics.ListAPIView):
    serializer_class = ReviewOutput
    queryset = None  # per learner, below

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReviewLog.objects.none()
        return ReviewLog.objects.of(self.request.user).select_related("concept").order_by("-reviewed_at", "-id")
