"""Catalogue filters for the API: by topic, concept, kind, difficulty, and a plain text search."""

from django.db.models import Q
from django_filters import rest_framework as filters

from concepts.models import Concept, Question, QuestionKind


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
