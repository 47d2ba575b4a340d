"""Web pages. Thin: they call the same scheduling, quiz, grading and statistics code as the API.

Interactions (grading a flashcard, answering a quiz question, undo) are POSTs that
return a fragment when htmx asks and redirect otherwise, so every page also works
without JavaScript.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST

from concepts import grading, quizzes, scheduling, search, statistics
from concepts.demos import demo_payload, display, filled, for_template
from concepts.forms import AnswerForm, QuizSetupForm, ReviewGradeForm, SignupForm
from concepts.models import Concept, LearnerProfile, Question, QuizSession, Status, Topic
from quizsite.inputs import bad_request
from sandbox.views import panel_context


def _lang(request) -> str:
    return request.LANGUAGE_CODE[:2] if request.LANGUAGE_CODE[:2] in ("ko", "en") else "ko"


def _partial(request, full: str, fragment: str, context: dict):
    """Render the fragment for htmx requests and the whole page otherwise."""
    return render(request, fragment if request.htmx else full, context)


# -- library ------------------------------------------------------------------------

def home(request):
    topics = Topic.objects.annotate(
        # distinct: the two joins multiply rows (a card per question), so plain counts inflate each other
        concept_count=Count("concepts", filter=Q(concepts__status=Status.PUBLISHED), distinct=True),
        question_count=Count(
            "concepts__questions", distinct=True,
            filter=Q(concepts__status=Status.PUBLISHED, concepts__questions__status=Status.PUBLISHED)),
    ).order_by("order")
    context = {"topics": topics}
    if request.user.is_authenticated:
        now = timezone.now()
        context["queue"] = scheduling.queue_counts(request.user, now=now)
        context["open_quiz"] = (QuizSession.objects.filter(user=request.user, finished_at__isnull=True)
                                .order_by("-created_at").first())
    return render(request, "concepts/home.html", context)


def library(request):
    """Every card by topic; with `q`, the ranked search: the cards that answer the question,
    or an honest "not covered yet" with a few related cards."""
    topic = request.GET.get("topic") or ""
    query = (request.GET.get("q") or "").strip()[:search.MAX_QUERY_LENGTH]
    context = {"topics": Topic.objects.order_by("order"), "topic": topic, "q": query}
    if query:
        result = search.search_cards(query=query, topic=topic or None)
        context.update(result=result, concepts=[m.concept for m in result.results])
    else:
        concepts = Concept.objects.filter(status=Status.PUBLISHED).select_related("topic").order_by(
            "topic__order", "order")
        context["concepts"] = concepts.filter(topic__slug=topic) if topic else concepts
    return _partial(request, "concepts/library.html", "concepts/_library_results.html", context)


def concept_detail(request, slug):
    concept = get_object_or_404(
        Concept.objects.select_related("topic").prefetch_related(
            "related",
            Prefetch("questions", queryset=Question.objects.filter(status=Status.PUBLISHED).order_by("order")),
        ),
        slug=slug,
        status=Status.PUBLISHED,
    )
    lang = _lang(request)
    panel = panel_context(concept.demo_key, concept.demo_params, lang, wait_ms=0) if concept.demo_key else None
    demo = panel["demo"] if panel else None
    context = {"concept": concept, "panel": panel, "explanation": filled(concept, "explanation", lang, demo)}
    return render(request, "concepts/concept_detail.html", context)


# -- accounts -------------------------------------------------------------------------

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
    if request.user.is_authenticated and lang in ("ko", "en"):
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
        user = form.save()
        # the language the learner signed up in is their choice until they switch
        LearnerProfile.objects.update_or_create(user=user, defaults={"language": _lang(request)})
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("concepts:home")
    return render(request, "registration/signup.html", {"form": form})


# -- flashcards -----------------------------------------------------------------------

def _review_context(request, topic: str | None):
    now = timezone.now()
    queue = scheduling.due_queue(request.user, now=now, topic=topic, limit=1)
    counts = scheduling.queue_counts(request.user, now=now, topic=topic)
    done = request.session.get("reviews_done", 0)
    remaining = counts["due"] + counts["new"]
    context = {"counts": counts, "done": done, "remaining": remaining, "topic": topic or "",
               "progress": round(100 * done / (done + remaining)) if done + remaining else 100,
               "topics": Topic.objects.order_by("order")}
    if queue:
        entry = queue[0]
        lang = _lang(request)
        context.update(entry=entry, card=entry.concept, review_key=uuid.uuid4().hex, now_ts=now,
                       previews=scheduling.preview(request.user, entry.concept, now=now, state=entry.state),
                       explanation=display(entry.concept, "explanation", lang))
    return context


@login_required
def review(request):
    topic = request.GET.get("topic") or None
    if topic and not Topic.objects.filter(slug=topic).exists():
        raise Http404("unknown topic")
    if request.GET.get("restart"):
        request.session["reviews_done"] = 0
    return render(request, "concepts/review.html", _review_context(request, topic))


@login_required
@require_POST
def review_grade(request, slug):
    concept = get_object_or_404(Concept, slug=slug, status=Status.PUBLISHED)
    form = ReviewGradeForm(request.POST)
    valid = form.is_valid()
    if set(form.errors) - {"rating"}:
        return bad_request(request, form.errors)  # not what the page sends: nothing to show on it
    topic = form.cleaned_data["topic"] or None
    if not valid:
        messages.error(request, _("Choose Again, Hard, Good or Easy."))
    else:
        data = form.cleaned_data
        _log, created = scheduling.review_card(user=request.user, concept=concept, rating=data["rating"],
                                            now=timezone.now(), duration_ms=data["duration_ms"],
                                            idempotency_key=data["key"] or None)
        if created:
            request.session["reviews_done"] = request.session.get("reviews_done", 0) + 1
    if request.htmx:
        return render(request, "concepts/_review_card.html", _review_context(request, topic))
    return redirect(reverse("concepts:review") + (f"?topic={topic}" if topic else ""))


@login_required
@require_POST
def review_undo(request):
    topic = request.POST.get("topic") or None
    undone = scheduling.undo_last_review(user=request.user, now=timezone.now())
    if undone is None:
        messages.info(request, _("Nothing to undo."))
    else:
        request.session["reviews_done"] = max(0, request.session.get("reviews_done", 0) - 1)
        messages.success(request, _("Undid your last review of “%(card)s”.") % {"card": undone.concept.localized("title")})
    if request.htmx:
        return render(request, "concepts/_review_card.html", _review_context(request, topic))
    return redirect(reverse("concepts:review") + (f"?topic={topic}" if topic else ""))


# -- quizzes --------------------------------------------------------------------------

@login_required
def quiz_setup(request):
    form = QuizSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = quizzes.start_quiz(user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("concepts:quiz", pk=session.pk)
    recent = QuizSession.objects.filter(user=request.user).order_by("-created_at")[:5]
    return render(request, "concepts/quiz_setup.html", {"form": form, "recent": recent})


def _own_session(request, pk) -> QuizSession:
    qs = QuizSession.objects.filter(user=request.user).prefetch_related(quizzes.quiz_questions())
    return get_object_or_404(qs, pk=pk)


def _quiz_context(request, session, *, form=None, item=None, feedback=None):
    items = list(session.items.all())
    if item is None:
        item = next((i for i in items if i.answered_at is None), None)
    lang = _lang(request)
    if item is not None and form is None and feedback is None:
        form = AnswerForm(question=item.question, lang=lang)
    return {
        "session": session, "item": item, "form": form, "feedback": feedback, "total": len(items),
        "answered": sum(1 for i in items if i.answered_at is not None), "deadline": quizzes.deadline(session),
    }


@login_required
def quiz_play(request, pk):
    session = _own_session(request, pk)
    context = _quiz_context(request, session)
    if context["item"] is None or session.finished_at is not None:
        return redirect("concepts:quiz-summary", pk=session.pk)
    return render(request, "concepts/quiz_play.html", context)


@login_required
@require_POST
def quiz_answer(request, pk):
    session = _own_session(request, pk)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        position = -1
    item = next((i for i in session.items.all() if i.position == position), None)
    if item is None:
        raise Http404("no such question in this quiz")
    lang = _lang(request)
    form = AnswerForm(request.POST, question=item.question, lang=lang)
    feedback = None
    if form.is_valid():
        try:
            outcome = quizzes.answer(session=session, item=item, response=form.response(), now=timezone.now())
        except grading.AnswerInvalid as exc:
            form.add_error("answer", str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
            return redirect("concepts:quiz-summary", pk=session.pk)
        else:
            demo = demo_payload(item.question, lang)
            feedback = {"grade": outcome.grade, "demo": for_template(demo), "question": item.question,
                        "your_answer": quizzes.answer_text(item.question, item.response, lang),
                        "right_answer": quizzes.right_answer_text(item.question, lang),
                        "explanation": filled(item.question, "explanation", lang, demo)}
    context = _quiz_context(request, session, form=form, item=item, feedback=feedback)
    if feedback is not None and not request.htmx:
        return render(request, "concepts/quiz_play.html", context)
    return _partial(request, "concepts/quiz_play.html", "concepts/_quiz_question.html", context)


@login_required
def quiz_summary(request, pk):
    session = _own_session(request, pk)
    if request.method == "POST":
        quizzes.finish(session, now=timezone.now())
    return render(request, "concepts/quiz_summary.html", {
        "session": session, "summary": quizzes.summary(session),
        "missed": quizzes.missed_questions(session, _lang(request))})


@login_required
@require_POST
def quiz_study_missed(request, pk):
    """"Study these": the missed questions' cards go into today's flashcards; then the flashcards."""
    session = _own_session(request, pk)
    cards = quizzes.study_missed(user=request.user, session=session, now=timezone.now())
    messages.success(request, ngettext("%(n)d card from this quiz is due now.",
                                       "%(n)d cards from this quiz are due now.", len(cards)) % {"n": len(cards)})
    return redirect("concepts:review")


# -- progress -------------------------------------------------------------------------

@login_required
def progress(request):
    stats = statistics.learner_statistics(request.user, now=timezone.now())
    reviews = _day_bars(stats["reviews_per_day"], "reviews")
    forecast = _day_bars(stats["due_forecast"], "due")
    return render(request, "concepts/progress.html", {
        "stats": stats, "reviews": reviews, "forecast": forecast,
        "peak_reviews": max([d["n"] for d in reviews] + [1]), "peak_due": max([d["n"] for d in forecast] + [1])})


def _day_bars(days: list[dict], field: str) -> list[dict]:
    """(label, count, tick) per day for the bar charts: "12/2" reads the same in Korean and English.

    A tick every 7 days from the first, and on the last day, unless it would crowd the tick before.
    """
    last = len(days) - 1
    return [{"label": f"{int(d['date'][5:7])}/{int(d['date'][8:10])}", "n": d[field],
             "tick": i == last or (i % 7 == 0 and last - i >= 4)} for i, d in enumerate(days)]
