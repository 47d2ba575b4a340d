from django.conf import settings
from django.utils import translation


class QueryLanguageMiddleware:
    """`?lang=ko|en` overrides Accept-Language and the session for one request (API clients, shared links).

    The API answers in one language per request, DRF's own messages included: the `lang`
    parameter, else the language cookie or Accept-Language, else English (a client that
    states no language is most likely a script, and the site's Korean default would mix
    DRF's translated messages with English ones).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = request.GET.get("lang")
        if lang not in ("ko", "en") and request.path.startswith("/api/") and not (
                request.META.get("HTTP_ACCEPT_LANGUAGE") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)):
            lang = "en"
        if lang in ("ko", "en"):
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        return self.get_response(request)
