"""Accounts: sign-up (a token back), the study profile, a learner's own data, deleting the account."""

from __future__ import annotations

import json

from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from concepts.api.common import attachment
from quizsite.throttling import ScopedRateThrottle, UserRateThrottle
from study import learner_data, scheduling, services
from study.models import LearnerProfile


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


class SignupView(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=SignupInput, responses={201: TokenOutput})
    def post(self, request):
        data = SignupInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.create_learner(username=data.validated_data["username"],
                                       password=data.validated_data["password"],
                                       email=data.validated_data.get("email", ""))
        token = Token.objects.create(user=user)
        return Response({"token": token.key, "username": user.username}, status=status.HTTP_201_CREATED)


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = LearnerProfile
        fields = ["desired_retention", "timezone", "new_cards_per_day", "language"]
        extra_kwargs = {"desired_retention": {"min_value": 0.7, "max_value": 0.97},
                        "new_cards_per_day": {"min_value": 0, "max_value": 200}}


class ProfileView(generics.RetrieveUpdateAPIView):
    serializer_class = ProfileSerializer
    http_method_names = ["get", "patch", "options"]

    def get_object(self):
        return scheduling.profile_for(self.request.user)


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
            return attachment(learner_data.learner_export_csv(data), "text/csv; charset=utf-8", name)
        return attachment(json.dumps(data, ensure_ascii=False, indent=2), "application/json", name)


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
