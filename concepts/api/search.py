"""Search ("ask a question"): the card that answers an interview question, typed as it was heard."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from concepts import search
from concepts.api.common import LANG_PARAM
from quizsite import languages


class SearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=search.MAX_QUERY_LENGTH,
                              help_text="The question as it was asked, in Korean, English or both")
    lang = serializers.ChoiceField(choices=list(languages.LANGUAGES), required=False,
                                   help_text="Language of the texts shown")
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
        lang = data.validated_data.get("lang") or languages.of_request(request)
        return Response(SearchOutput(result, context={"lang": lang}).data)
