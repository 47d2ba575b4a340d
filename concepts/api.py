"""REST API: read-only catalogue, flashcards on FSRS, quizzes, statistics, accounts.

Views stay thin: they parse input with an input serializer, call the same
scheduling / quiz / statistics functions as the web pages, and render with an
output serializer. Everything a learner owns is looked up through `request.user`,
so another learner's ids answer 404.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from concepts import grading, quizzes, scheduling, search, statistics
from concepts.demos import attach, demo_payload, filled
from concepts.models import Choice, Concept, Question, QuestionKind, QuizSession, Status, Topic
from concepts.serializers import (
    AnswerInput, AnswerOutput, ConceptDetailSerializer, ConceptListSerializer, DueQueueOutput, FlashcardOutput,
    ProfileSerializer, PublicQuestionSerializer, QuizListOutput, QuizOutput, QuizStartInput, ReviewInput,
    ReviewOutput, ReviewResultOutput, SignupInput, StudyMissedOutput, TokenOutput, TopicSerializer,
)
from quizsite.throttling import ScopedRateThrottle

LANG_PARAM = OpenApiParameter("lang", str, enum=["ko", "en"],
                             description="Language of texts and messages (default: Accept-Language, else English)")


def request_lang(request) -> str:
    lang = request.query_params.get("lang") or getattr(request, "LANGUAGE_CODE", "ko")
    return lang[:2] if lang[:2] in ("ko", "en") else "ko"


class LangMixin:
    def get_serializer_context(self):
        return {**super().get_serializer_context(), "lang": request_lang(self.request)}


def known_topic(slug: str | None) -> str | None:
    """`slug` when a topic has it (or None for none); a 404 naming `topic` otherwise: a filter naming nothing."""
    if slug and not Topic.objects.filter(slug=slug).exists():
        raise NotFound({"topic": [_("Unknown topic %(topic)r.") % {"topic": slug}]})
    return slug

    def check_lang(self):
        lang = self.request.query_params.get("lang")
        if lang is not None and lang not in ("ko", "en"):
            raise ValidationError({"lang": [_("Use 'ko' or 'en'.")]})


def _django_errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


# -- catalogue -------------------------------------------------------------------

def _text_search(fields):
    def method(queryset, name, value):
        q = Q()
        for field in fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)

    return method


class ConceptFilter(filters.FilterSet):
    topic = filters.CharFilter(field_name="topic__slug")
    difficulty = filters.TypedChoiceFilter(choices=[(1, 1), (2, 2), (3, 3)], coerce=int)
    q = filters.CharFilter(method="search", max_length=200, help_text="Text search in Korean and English")

    search = staticmethod(_text_search(["title_ko", "title_en", "front_ko", "front_en", "answer_ko", "answer_en",
                                        "explanation_ko", "explanation_en"]))

    class Meta:
        model = Concept
        fields = ["topic", "difficulty"]


class QuestionFilter(filters.FilterSet):
    topic = filters.CharFilter(field_name="concept__topic__slug")
    concept = filters.CharFilter(field_name="concept__slug")
    kind = filters.ChoiceFilter(choices=QuestionKind.choices)
    difficulty = filters.TypedChoiceFilter(choices=[(1, 1), (2, 2), (3, 3)], coerce=int)
    q = filters.CharFilter(method="search", max_length=200, help_text="Text search in Korean and English")

    search = staticmethod(_text_search(["prompt_ko", "prompt_en", "explanation_ko", "explanation_en"]))

    class Meta:
        model = Question
        fields = ["topic", "concept", "kind", "difficulty"]


@extend_schema(parameters=[LANG_PARAM])
class TopicViewSet(LangMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TopicSerializer
    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]
    queryset = Topic.objects.annotate(
        concept_count=Count("concepts", filter=Q(concepts__status=Status.PUBLISHED))
    ).order_by("order", "slug")


@extend_schema(parameters=[LANG_PARAM])
class ConceptViewSet(LangMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]
    filterset_class = ConceptFilter

    def get_queryset(self):
        qs = Concept.objects.filter(status=Status.PUBLISHED).select_related("topic")
        if self.action == "retrieve":
            qs = qs.prefetch_related("related")
        return qs.order_by("topic__order", "order", "id")

    def get_serializer_class(self):
        return ConceptDetailSerializer if self.action == "retrieve" else ConceptListSerializer


@extend_schema(parameters=[LANG_PARAM])
class QuestionViewSet(LangMixin, viewsets.ReadOnlyModelViewSet):
    """Published questions without their answers (grading happens in quizzes)."""

    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]
    filterset_class = QuestionFilter
    serializer_class = PublicQuestionSerializer

    def get_queryset(self):
        return (
            Question.objects.filter(status=Status.PUBLISHED, concept__status=Status.PUBLISHED)
            .select_related("concept")
            .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "id")))
            .order_by("concept__topic__order", "concept__order", "order", "id")
        )


# -- search ("ask a question") ------------------------------------------------------

class SearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=search.MAX_QUERY_LENGTH,
                              help_text="The question as it was asked, in Korean, English or both")
    lang = serializers.ChoiceField(choices=["ko", "en"], required=False, help_text="Language of the texts shown")
    topic = serializers.SlugField(required=False, allow_blank=True, help_text="Only cards of this topic; empty for all")
    limit = serializers.IntegerField(min_value=1, max_value=20, default=10)


class SearchQuestionOutput(serializers.Serializer):
    slug = serializers.CharField()
    kind = serializers.CharField()
    prompt = serializers.SerializerMethodField()

    def get_prompt(self, question) -> str:
        return question.localized("prompt", self.context.get("lang"))


class SearchMatchOutput(serializers.Serializer):
    score = serializers.FloatField(help_text="Ranking score; comparable within one query only")
    slug = serializers.CharField(source="concept.slug")
    topic = serializers.CharField(source="concept.topic.slug")
    title = serializers.SerializerMethodField()
    front = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()
    question = SearchQuestionOutput(allow_null=True, help_text="The card's question that matched best, if any")
    role = serializers.SerializerMethodField(help_text="'answer': the card answers the question; 'related': it is "
                                                       "only near it")

    def _text(self, match, name) -> str:
        return match.concept.localized(name, self.context.get("lang"))

    def get_title(self, match) -> str:
        return self._text(match, "title")

    def get_front(self, match) -> str:
        return self._text(match, "front")

    def get_answer(self, match) -> str:
        return self._text(match, "answer")

    def get_role(self, match) -> str:
        return "answer" if match.answer else "related"


class SearchOutput(serializers.Serializer):
    query = serializers.CharField()
    covered = serializers.BooleanField(help_text="false: no card answers this yet ('not covered')")
    results = SearchMatchOutput(many=True, help_text="Cards that answer the question (role 'answer'), in the order "
                                                     "to read them; a broad question gets its family's cards")
    related = SearchMatchOutput(many=True, help_text="Nearby cards that do not answer it (role 'related'); when not "
                                                     "covered, at most 3")
    family = serializers.CharField(allow_null=True, help_text="The family of cards a broad question asked about "
                                                              "('optimizers'), else null")


class SearchView(APIView):
    """Find the card that answers an interview question, typed as it was heard."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[SearchInput, LANG_PARAM],
        responses={200: SearchOutput, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        data = SearchInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        result = search.search_cards(query=data.validated_data["q"], topic=data.validated_data.get("topic") or None,
                                     limit=data.validated_data["limit"])
        lang = data.validated_data.get("lang") or request_lang(request)
        return Response(SearchOutput(result, context={"lang": lang}).data)


# -- accounts ----------------------------------------------------------------------

class SignupView(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=SignupInput, responses={201: TokenOutput})
    def post(self, request):
        data = SignupInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = User.objects.create_user(data.validated_data["username"], data.validated_data.get("email", ""),
                                        data.validated_data["password"])
        token = Token.objects.create(user=user)
        return Response({"token": token.key, "username": user.username}, status=status.HTTP_201_CREATED)


class ProfileView(generics.RetrieveUpdateAPIView):
    serializer_class = ProfileSerializer
    http_method_names = ["get", "patch", "options"]

    def get_object(self):
        return scheduling.profile_for(self.request.user)


# -- flashcards --------------------------------------------------------------------

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
        now = timezone.now()
        entries = scheduling.due_queue(request.user, now=now, topic=topic, limit=int(limit),
                                       lang=request_lang(request))
        counts = scheduling.queue_counts(request.user, now=now, topic=topic)
        scheduler = scheduling.scheduler_for(scheduling.profile_for(request.user))
        attach((e.concept for e in entries), values_only=True)  # quoted values of every card: one narrow query
        cards = [_card_payload(request.user, e.concept, e.state, now, scheduler) for e in entries]
        payload = {**counts, "cards": cards}
        return Response(DueQueueOutput(payload, context=self.get_serializer_context()).data)

    def get_serializer_context(self):
        return {"request": self.request, "lang": request_lang(self.request)}


class FlashcardView(LangMixin, APIView):
    @extend_schema(parameters=[LANG_PARAM], responses=FlashcardOutput)
    def get(self, request, slug):
        concept = get_object_or_404(Concept.objects.select_related("topic"), slug=slug, status=Status.PUBLISHED)
        state = request.user.card_states.filter(concept=concept).first()
        payload = _card_payload(request.user, concept, state, timezone.now())
        return Response(FlashcardOutput(payload, context={"lang": request_lang(request)}).data)


class ReviewView(APIView):
    @extend_schema(request=ReviewInput, responses={201: ReviewResultOutput, 200: ReviewResultOutput})
    def post(self, request, slug):
        concept = get_object_or_404(Concept, slug=slug, status=Status.PUBLISHED)
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
            return Question.objects.none()
        return self.request.user.reviews.select_related("concept").order_by("-reviewed_at", "-id")


# -- quizzes -----------------------------------------------------------------------

def _own_quiz(request, pk) -> QuizSession:
    qs = QuizSession.objects.filter(user=request.user).prefetch_related("topics", quizzes.quiz_questions())
    return get_object_or_404(qs, pk=pk)


def _quiz_payload(session):
    session.deadline = quizzes.deadline(session)
    return session


class QuizListView(LangMixin, APIView):
    @extend_schema(responses=QuizListOutput(many=True))
    def get(self, request):
        sessions = QuizSession.objects.filter(user=request.user).order_by("-created_at")[:100]
        return Response(QuizListOutput(sessions, many=True).data)

    @extend_schema(request=QuizStartInput, responses={201: QuizOutput}, parameters=[LANG_PARAM])
    def post(self, request):
        data = QuizStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            session = quizzes.start_quiz(user=request.user, **data.validated_data)
        except DjangoValidationError as exc:
            raise _django_errors(exc) from None
        session = _own_quiz(request, session.pk)
        return Response(QuizOutput(_quiz_payload(session), context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def get_serializer_context(self):
        return {"request": self.request, "lang": request_lang(self.request)}


class QuizDetailView(APIView):
    @extend_schema(responses=QuizOutput, parameters=[LANG_PARAM])
    def get(self, request, pk):
        session = _own_quiz(request, pk)
        return Response(QuizOutput(_quiz_payload(session), context={"lang": request_lang(request)}).data)


class QuizAnswerView(APIView):
    @extend_schema(request=AnswerInput, responses={201: AnswerOutput, 200: AnswerOutput}, parameters=[LANG_PARAM])
    def post(self, request, pk):
        session = get_object_or_404(QuizSession.objects.filter(user=request.user), pk=pk)
        data = AnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        position = data.validated_data["position"]
        # Only the answered item (with what grading needs), not the whole quiz.
        item = quizzes.quiz_questions().queryset.filter(session=session, position=position).first()
        if item is None:
            raise ValidationError({"position": [_("This quiz has no question %(n)d.") % {"n": position}]})
        item.session = session
        try:
            outcome = quizzes.answer(session=session, item=item, response=data.validated_data["response"],
                                     now=timezone.now())
        except grading.AnswerInvalid as exc:
            raise ValidationError({"response": [str(exc)]}) from None
        except DjangoValidationError as exc:
            raise _django_errors(exc) from None
        lang = request_lang(request)
        question = item.question
        demo = demo_payload(question, lang, charts=False)  # values and a URL; the client fetches charts if it shows them
        payload = {
            "position": position, "correct": outcome.grade.correct, "score": outcome.grade.score,
            "expected": outcome.grade.expected, "feedback": outcome.grade.feedback,
            "explanation": filled(question, "explanation", lang, demo), "demo": demo,
            "already_answered": not outcome.created,
        }
        return Response(AnswerOutput(payload).data,
                        status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)


def _summary_payload(request, session) -> dict:
    """Totals, per-topic rows, and the missed questions with the learner's answer, the right one and why."""
    return {**quizzes.summary(session), "missed": quizzes.missed_questions(session, request_lang(request))}


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


# -- statistics --------------------------------------------------------------------

class StatsView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, parameters=[LANG_PARAM])
    def get(self, request):
        return Response(statistics.learner_statistics(request.user, now=timezone.now()))
