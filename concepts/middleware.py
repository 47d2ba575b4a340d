from django.utils import translation


class QueryLanguageMiddleware:
    """`?lang=ko|en` overrides Accept-Language and the session for one request (API clients, shared links)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = request.GET.get("lang")
        if lang in ("ko", "en"):
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        return self.get_response(request)
