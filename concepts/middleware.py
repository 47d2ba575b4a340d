from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from quizsite import languages
from quizsite.inputs import bad_request


class QueryLanguageMiddleware:
    """`?lang=ko|en` overrides Accept-Language and the session for one request (API clients, shared links).

    One rule everywhere, pages and API alike: any other value is a 400 naming `lang`.
    A view that takes more values says so with a `lang_choices` attribute (the Anki
    export takes "both"), or `lang_choices = None` when it checks `lang` itself.

    The API answers in one language per request, DRF's own messages included: the `lang`
    parameter, else the language cookie or Accept-Language, else English (a client that
    states no language is most likely a script, and the site's Korean default would mix
    DRF's translated messages with English ones).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = request.GET.get("lang")
        if lang not in languages.LANGUAGES and request.path.startswith("/api/") and not (
                request.META.get("HTTP_ACCEPT_LANGUAGE") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)):
            lang = "en"
        if lang in languages.LANGUAGES:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        lang = request.GET.get("lang")
        if lang is None:
            return None
        view = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None) or view_func
        choices = getattr(view, "lang_choices", languages.LANGUAGES)
        if choices is None or lang in choices:
            return None
        return bad_request(request, {"lang": [_("Use one of: %(choices)s.") % {"choices": ", ".join(choices)}]})
