"""Account pages: sign-up, log-in and the language switch, which a learner's profile remembers."""

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST

from quizsite import languages
from study import scheduling, services
from study.forms import SignupForm
from study.models import LearnerProfile


def _remember_language(response, lang: str) -> None:
    """Make `lang` this browser's language from the next request on (Django's language cookie)."""
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY)


@require_POST
def set_language(request):
    """Django's language switch, and for a learner the choice is kept on their profile too."""
    response = i18n_views.set_language(request)
    lang = request.POST.get("language")
    if request.user.is_authenticated and lang in languages.LANGUAGES:
        LearnerProfile.objects.update_or_create(user=request.user, defaults={"language": lang})
    return response


class LoginView(auth_views.LoginView):
    """Logging in applies the language the learner chose before, on whichever browser."""

    def form_valid(self, form):
        response = super().form_valid(form)
        lang = scheduling.profile_for(self.request.user).language
        if lang:
            _remember_language(response, lang)
        return response


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # the language the learner signed up in is their choice until they switch
        user = services.create_learner(username=form.cleaned_data["username"],
                                       password=form.cleaned_data["password1"],
                                       language=languages.of_request(request))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("concepts:home")
    return render(request, "registration/signup.html", {"form": form})
