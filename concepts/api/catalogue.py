"""The read-only catalogue: topics, published concept cards, published questions (without their answers)."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, viewsets

from concepts.api.common import LANG_PARAM, LangMixin
from concepts.demos import display
from concepts.filters import ConceptFilter, QuestionFilter
from concepts.models import Choice, Concept, Question, Topic


class LocalizedField(serializers.Field):
    """A bilingual model field shown in the request's language (`context['lang']`)."""

    def __init__(self, name: str | None = None, **kwargs):
        self.base_name = name
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return display(obj, self.base_name or self.field_name, self.context.get("lang"))


@extend_schema_field(OpenApiTypes.STR)
class LocalizedText(LocalizedField):
    pass


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class LocalizedList(LocalizedField):
    pass


class TopicSerializer(serializers.ModelSerializer):
    title = LocalizedText()
    description = LocalizedText()
    concept_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "order", "title", "description", "concept_count"]


class ConceptListSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = LocalizedText()
    front = LocalizedText()
    answer = LocalizedText()

    class Meta:
        model = Concept
        fields = ["slug", "topic", "difficulty", "title", "front", "answer", "demo_key"]


class ConceptDetailSerializer(ConceptListSerializer):
    explanation = LocalizedText()
    key_points = LocalizedList()
    pitfalls = LocalizedList()
    follow_ups = LocalizedList()
    related = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta(ConceptListSerializer.Meta):
        fields = ConceptListSerializer.Meta.fields + [
            "explanation", "key_points", "pitfalls", "follow_ups", "related", "source_notes", "demo_params",
        ]


class PublicChoiceSerializer(serializers.Serializer):
    """A choice without its correctness: what a learner sees before answering."""

    id = serializers.IntegerField()
    text = LocalizedText()


class PublicQuestionSerializer(serializers.ModelSerializer):
    concept = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    prompt = LocalizedText()
    choices = PublicChoiceSerializer(many=True, read_only=True)
    unit = serializers.SerializerMethodField(help_text='The unit in the request\'s language ("개 층" in Korean); '
                                                       '"" for a pure number. Answers may use either language\'s.')

    class Meta:
        model = Question
        fields = ["slug", "concept", "kind", "difficulty", "prompt", "choices", "unit"]

    def get_unit(self, question) -> str:
        return question.unit_in(self.context.get("lang"))


@extend_schema(parameters=[LANG_PARAM])
class TopicViewSet(LangMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TopicSerializer
    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]
    queryset = Topic.objects.with_counts().order_by("order", "slug")


@extend_schema(parameters=[LANG_PARAM])
class ConceptViewSet(LangMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]
    filterset_class = ConceptFilter

    def get_queryset(self):
        qs = Concept.objects.published().select_related("topic")
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
            Question.objects.quizzable()
            .select_related("concept")
            .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "id")))
            .order_by("concept__topic__order", "concept__order", "order", "id")
        )
