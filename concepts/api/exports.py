"""The published content as an Anki deck: a thin view over `concepts.anki` and its stored files.

The file is sent as an attachment; errors stay JSON with the field named, as everywhere in the API.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from concepts import anki, stored_exports
from concepts.api.common import attachment, known_topic


class AnkiExportInput(serializers.Serializer):
    topic = serializers.SlugField(required=False, allow_blank=True, help_text="One topic's slug; empty for all.")
    lang = serializers.ChoiceField(choices=anki.MODES, default="both",
                                   help_text="ko, en, or both (Korean then English on each side).")
    questions = serializers.BooleanField(default=False, help_text="Add one note per published question.")


class AnkiExportView(APIView):
    """The published content as an Anki package (.apkg); public, like the catalogue."""

    permission_classes = [permissions.AllowAny]
    lang_choices = anki.MODES  # "both" too (concepts.middleware)

    @extend_schema(
        parameters=[AnkiExportInput],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="An .apkg file (Content-Disposition names it)."),
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
            503: OpenApiResponse(OpenApiTypes.OBJECT, description="Quoted demo values are still being computed."),
        },
    )
    def get(self, request):
        data = AnkiExportInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        topic = known_topic(data.validated_data.get("topic") or None)
        try:  # built once per content state, then served from the stored file
            content, filename = stored_exports.stored_export(topic=topic, mode=data.validated_data["lang"],
                                                             questions=data.validated_data["questions"])
        except anki.UnfilledValues as exc:
            response = Response({"detail": str(exc)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
            response["Retry-After"] = "30"
            return response
        return attachment(content, "application/octet-stream", filename)
