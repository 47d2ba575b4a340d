"""API input and output serializers: one per direction, texts in the request's language."""

import json

from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from concepts.demos import display

from concepts.models import Concept, LearnerProfile, Question, QuestionKind, QuizItem, QuizSession, Topic


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


# -- catalogue -------------------------------------------------------------------

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
    unit = serializers.CharField(source="unit_label", read_only=True)  # "" for a pure number

    class Meta:
        model = Question
        fields = ["slug", "concept", "kind", "difficulty", "prompt", "choices", "unit"]


# -- accounts ----------------------------------------------------------------------

class SignupInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, min_length=8, style={"input_type": "password"},
                                     help_text="At least 8 characters, not all digits, not a common password, "
                                               "not like the username.")
    email = serializers.EmailField(required=False, allow_blank=True, max_length=User._meta.get_field("email").max_length)

    def validate_username(self, value):
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError(_("This username is taken."))
        User.username_validator(value)
        return value

    def validate(self, attrs):
        try:
            password_validation.validate_password(attrs["password"], User(username=attrs["username"]))
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": exc.messages}) from None
        return attrs


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()
    username = serializers.CharField()


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = LearnerProfile
        fields = ["desired_retention", "timezone", "new_cards_per_day", "language"]
        extra_kwargs = {"desired_retention": {"min_value": 0.7, "max_value": 0.97},
                        "new_cards_per_day": {"min_value": 0, "max_value": 200}}


class StudyMissedOutput(serializers.Serializer):
    cards = serializers.ListField(child=serializers.CharField(), help_text="Slugs of the cards now due.")
    due = serializers.DateTimeField()


# -- flashcards --------------------------------------------------------------------

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


# -- quizzes -----------------------------------------------------------------------

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
