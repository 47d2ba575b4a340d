"""One boundary check for text that comes in from outside.

Text a client sends may hold what no database column takes: a NUL character
(PostgreSQL refuses it in text and jsonb), a lone UTF-16 surrogate such as the
JSON escape "\\ud800" (it has no UTF-8 form, so neither PostgreSQL nor SQLite can
store it) or more characters than the column has room for. Each is a 400 that
names the field, before any view runs and so before anything is stored.

`TextInputMiddleware` checks every query parameter, every form field and every
string in a JSON body (keys included) for NUL and lone surrogates (and the path,
where one is a 404); the lengths
are checked by each form and serializer field's `max_length`, which
`text_problem` shares the messages of.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quizsite.errors import not_found

JSON_TYPES = ("application/json", "application/vnd.api+json")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_lone_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def text_problem(value: str, max_length: int | None = None) -> str | None:
    """Why `value` cannot be taken as text (a message for the field), or None."""
    if "\x00" in value:
        return _("Null characters are not allowed.")  # Django's own message, translated by Django
    if has_lone_surrogate(value):
        return _("Unpaired surrogate characters are not allowed.")
    if max_length is not None and len(value) > max_length:
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            max_length,
        ) % {"limit_value": max_length, "show_value": len(value)}
    return None


def _strings(value) -> Iterator[str]:
    """Every string in a parsed JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _fields(request) -> Iterator[tuple[str, list[str]]]:
    """(field name, its strings) for the query string and the body of `request`."""
    for name, values in request.GET.lists():
        yield name, [name, *values]
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    content_type = request.content_type or ""
    if content_type in JSON_TYPES:
        try:
            data = json.loads(request.body or b"null")
        except ValueError:
            return  # not JSON: the view's parser answers 400
        if isinstance(data, dict):
            for name, value in data.items():
                yield name, [name, *_strings(value)]
        else:
            yield "non_field_errors", list(_strings(data))
    elif content_type in FORM_TYPES:
        for name, values in request.POST.lists():
            yield name, [name, *values]


def input_errors(request) -> dict[str, list[str]]:
    """{field: [message]} for every field of `request` that holds text no column can store."""
    errors: dict[str, list[str]] = {}
    for name, strings in _fields(request):
        for value in strings:
            problem = text_problem(value)
            if problem:
                label = name if text_problem(name) is None else "field name"
                errors.setdefault(label, []).append(problem)
                break
    return errors


def bad_request(request, errors: dict[str, list[str]]) -> HttpResponse:
    """400 naming each field: JSON for the API, as DRF words its errors; a short page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse(errors, status=400)
    title = _("Bad request")
    items = "".join(f"<li>{escape(name)}: {escape(' '.join(messages))}</li>" for name, messages in errors.items())
    return HttpResponse(f'<!doctype html><meta charset="utf-8"><title>{escape(title)}</title>'
                        f"<h1>{escape(title)}</h1><ul>{items}</ul>", status=400)


class TextInputMiddleware:
    """Answers 400, naming the field, to a request whose text holds a NUL or a lone surrogate."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if text_problem(request.path):  # a NUL in the path names no resource (and no lookup may see it)
            return not_found(request, Http404())
        errors = input_errors(request)
        if errors:
            return bad_request(request, errors)
        return self.get_response(request)
