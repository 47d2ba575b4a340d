"""What every API module shares: the `lang` parameter, topic lookup, errors, file downloads."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import NotFound, ValidationError

from concepts.models import Topic
from quizsite import languages

LANG_PARAM = OpenApiParameter("lang", str, enum=list(languages.LANGUAGES),
                              description="Language of texts and messages (default: Accept-Language, else English)")


class LangMixin:
    """Serializers get the request's language as `context['lang']`."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "lang": languages.of_request(self.request)}


def known_topic(slug: str | None) -> str | None:
    """`slug` when a topic has it (or None for none); a 404 naming `topic` otherwise: a filter naming nothing."""
    if slug and not Topic.objects.filter(slug=slug).exists():
        raise NotFound({"topic": [_("Unknown topic %(topic)r.") % {"topic": slug}]})
    return slug


def django_errors(exc: DjangoValidationError) -> ValidationError:
    """A model or service ValidationError as the API's 400, fields named."""
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A file download: the body with a Content-Disposition naming the file."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
