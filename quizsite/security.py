"""The response to a locked-out log-in (django-axes' AXES_LOCKOUT_CALLABLE).

JSON with a `detail` for the API (`POST /api/auth/token/`), like every other API
error; a short page for the web log-in and the admin. Both say when to try again
and carry Retry-After.
"""

from __future__ import annotations

from collections.abc import Mapping

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from quizsite.inputs import text_problem


def axes_username(request, credentials=None):
    """The username django-axes records (AXES_USERNAME_CALLABLE): read as axes reads it, cut to its column.

    Django's log-in forms hand an over-long username to authenticate() (their
    max_length is only an HTML attribute), and PostgreSQL refuses a value longer than
    axes' column: a 500. Such a username matches no account; cut, it counts the failure all the same.
    """
    source = credentials or getattr(request, "POST", None) or {}
    username = source.get("username")
    return username[:AccessAttempt._meta.get_field("username").max_length] if isinstance(username, str) else username


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    message = (
        _("Too many failed log-in attempts. Try again in %(minutes)d minutes.") % {"minutes": minutes}
        if minutes
        else _("Too many failed log-in attempts.")
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = HttpResponse(
            f'<!doctype html><meta charset="utf-8"><title>{escape(message)}</title><p>{escape(message)}</p>',
            status=429,
        )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


class TokenView(ObtainAuthToken):
    """`POST /api/auth/token/` with django-axes' lockout applied as on the web log-in.

    DRF's view authenticates with its own Request wrapper, so axes' middleware never
    sees a refused attempt, and it never calls `login()`, so axes would never hear
    of a success. This view asks axes first and answers a locked-out username with
    the lockout response (429), and reports an issued token as a log-in
    (`user_logged_in`), which resets the failure count.
    """

    def post(self, request, *args, **kwargs):
        username = request.data.get("username") if isinstance(request.data, Mapping) else None
        if isinstance(username, str):
            # A username no account can have is a 400 before axes records the attempt in its
            # own columns (a NUL or a lone surrogate never gets here: quizsite.inputs).
            problem = text_problem(username, User._meta.get_field("username").max_length)
            if problem:
                return JsonResponse({"username": [problem]}, status=400)
            if not AxesProxyHandler.is_allowed(request._request, {"username": username}):
                return lockout_response(request._request)
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # Well-formed credentials that match no account are refused as a log-in is: 401, not "bad input".
            refused = serializer.errors.keys() == {"non_field_errors"}
            response = Response(serializer.errors, status=401 if refused else 400)
            if refused:
                response["WWW-Authenticate"] = "Token"
            return response
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            user = Token.objects.select_related("user").get(key=response.data["token"]).user
            user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return response
