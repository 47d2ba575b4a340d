"""Downloads and account removal: the content as an Anki deck, a learner's own data, deleting an account.

Thin views over `concepts.anki` and `concepts.learner_data`. The files are sent
as attachments; errors stay JSON with the field named, as everywhere in the API.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from concepts import anki, learner_data, stored_exports
from concepts.models import Topic


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- Anki --------------------------------------------------------------------------

class AnkiExportInput(serializers.Serializer):
    topic = serializers.SlugField(required=False, allow_blank=True, help_text="One topic's slug; empty for all.")
    lang = serializers.ChoiceField(choices=anki.MODES, default="both",
                                   help_text="ko, en, or both (Korean then English on each side).")
    questions = serializers.BooleanField(default=False, help_text="Add one note per published question.")

    def validate_topic(self, value):
        if value and not Topic.objects.filter(slug=value).exists():
            raise serializers.ValidationError(f"Unknown topic {value!r}.")
        return value


class AnkiExportView(APIView):
    """The published content as an Anki package (.apkg); public, like the catalogue."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[AnkiExportInput],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="An .apkg file (Content-Disposition names it)."),
            400: OpenApiTypes.OBJECT,
            503: OpenApiResponse(OpenApiTypes.OBJECT, description="Quoted demo values are still being computed."),
        },
    )
    def get(self, request):
        data = AnkiExportInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        topic = data.validated_data.get("topic") or None
        try:  # built once per content state, then served from the stored file
            content, filename = stored_exports.stored_export(topic=topic, mode=data.validated_data["lang"],
                                                             questions=data.validated_data["questions"])
        except anki.UnfilledValues as exc:
            response = Response({"detail": str(exc)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
            response["Retry-After"] = "30"
            return response
        return _attachment(content, "application/octet-stream", filename)


# -- a learner's own data -------------------------------------------------------------

class _FormatIsAFileFormat(DefaultContentNegotiation):
    """Here `?format=` names the download's format (json / csv), not a DRF renderer; errors stay JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


_EXPORT_DESCRIPTION = (
    "A file download. JSON: account, profile, card_states, reviews and quizzes with their answers. "
    f"CSV: one row per review or quiz answer, columns {', '.join(learner_data.CSV_COLUMNS)}."
)


class LearnerExportView(APIView):
    """The signed-in learner's own data: review history and quiz results (JSON or CSV)."""

    content_negotiation_class = _FormatIsAFileFormat

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["json", "csv"], default="json",
                                     description="json: everything; csv: reviews and quiz answers, one per row")],
        responses={
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description=_EXPORT_DESCRIPTION),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=_EXPORT_DESCRIPTION),
            400: OpenApiTypes.OBJECT,
        },
    )
    def get(self, request):
        fmt = request.query_params.get("format", "json")
        if fmt not in ("json", "csv"):
            raise ValidationError({"format": ["Use 'json' or 'csv'."]})
        now = timezone.now()
        data = learner_data.learner_export(request.user, now=now)
        name = f"dlprep-{request.user.username}-{now:%Y%m%d}.{fmt}"
        if fmt == "csv":
            return _attachment(learner_data.learner_export_csv(data), "text/csv; charset=utf-8", name)
        return _attachment(json.dumps(data, ensure_ascii=False, indent=2), "application/json", name)


class AccountDeleteInput(serializers.Serializer):
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False,
                                     help_text="The account's password, to confirm.")


class AccountView(APIView):
    """The signed-in account.

    DELETE removes it with everything it owns (profile, card states, reviews, quizzes,
    token). Send the password as a JSON body, `{"password": "..."}`: a wrong one
    answers 400 with `{"password": [...]}` and deletes nothing.
    """

    throttle_scope = "auth"  # password guesses are rate-limited like sign-ups

    def get_throttles(self):
        return [ScopedRateThrottle(), UserRateThrottle()]

    # OpenAPI 3.0 gives a DELETE body no semantics, so drf-spectacular leaves it out of the
    # schema; the docstring above documents it.
    @extend_schema(responses={204: None, 400: OpenApiTypes.OBJECT})
    def delete(self, request):
        data = AccountDeleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            learner_data.account_delete(user=request.user, password=data.validated_data["password"])
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
