"""Study pages: home with the day's queue, flashcards, quizzes, progress.

Thin: they call the same scheduling, quiz, service and statistics code as the API.
Interactions (grading a flashcard, answering a quiz question, undo) are POSTs that
return a fragment when htmx asks and redirect otherwise, so every page also works
without JavaScript.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from concepts.demos import display, for_template
from concepts.models import Concept, Topic
from concepts.views import partial
from quizsite import languages
from quizsite.inputs import bad_request
from study import grading, quizzes, scheduling, services, statistics
from study.forms import AnswerForm, QuizSetupForm, ReviewGradeForm
from study.models import QuizSession


def home(request):
    """The topics with their card and question counts; for a learner, the day's queue and an open quiz."""
    context = {"topics": Topic.objects.with_counts(questions=True).order_by("order")}
    if request.user.is_authenticated:
        now = timezone.now()
        context["queue"] = scheduling.queue_counts(request.user, now=now)
        context["open_quiz"] = QuizSession.objects.of(request.user).unfinished().recent().first()
    return render(request, "study/home.html", context)


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
        lang = languages.of_request(request)
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
    return render(request, "study/review.html", _review_context(request, topic))


@login_required
@require_POST
def review_grade(request, slug):
    concept = get_object_or_404(Concept.objects.published(), slug=slug)
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
        return render(request, "study/_review_card.html", _review_context(request, topic))
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
        return render(request, "study/_review_card.html", _review_context(request, topic))
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
    recent = QuizSession.objects.of(request.user).recent()[:5]
    return render(request, "study/quiz_setup.html", {"form": form, "recent": recent})


def _own_session(request, pk) -> QuizSession:
    qs = QuizSession.objects.of(request.user).prefetch_related(quizzes.quiz_questions())
    return get_object_or_404(qs, pk=pk)


def _quiz_context(request, session, *, form=None, item=None, feedback=None):
    items = list(session.items.all())
    if item is None:
        item = next((i for i in items if i.answered_at is None), None)
    lang = languages.of_request(request)
    if item is not None and form is None and feedback is None:
        form = AnswerForm(question=item.question, lang=lang)
    return {
        "session": session, "item": item, "form": form, "feedback": feedback, "total": len(items),
        "answered": sum(1 for i in items if i.answered_at is not None), "deadline": session.deadline,
    }


@login_required
def quiz_play(request, pk):
    session = _own_session(request, pk)
    context = _quiz_context(request, session)
    if context["item"] is None or session.finished_at is not None:
        return redirect("concepts:quiz-summary", pk=session.pk)
    return render(request, "study/quiz_play.html", context)


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
    lang = languages.of_request(request)
    form = AnswerForm(request.POST, question=item.question, lang=lang)
    feedback = None
    if form.is_valid():
        try:
            answered = services.answer_question(session=session, item=item, response=form.response(),
                                                now=timezone.now(), lang=lang)
        except grading.AnswerInvalid as exc:
            form.add_error("answer", str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
            return redirect("concepts:quiz-summary", pk=session.pk)
        else:
            feedback = {"grade": answered.grade, "demo": for_template(answered.demo), "question": item.question,
                        "your_answer": answered.your_answer(), "right_answer": answered.right_answer(),
                        "explanation": answered.explanation}
    context = _quiz_context(request, session, form=form, item=item, feedback=feedback)
    if feedback is not None and not request.htmx:
        return render(request, "study/quiz_play.html", context)
    return partial(request, "study/quiz_play.html", "study/_quiz_question.html", context)


@login_required
def quiz_summary(request, pk):
    session = _own_session(request, pk)
    if request.method == "POST":
        quizzes.finish(session, now=timezone.now())
    return render(request, "study/quiz_summary.html", {
        "session": session, "summary": quizzes.summary(session),
        "missed": quizzes.missed_questions(session, languages.of_request(request))})


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
    return render(request, "study/progress.html", {
        "stats": stats, "reviews": reviews, "forecast": forecast,
        "peak_reviews": max([d["n"] for d in reviews] + [1]), "peak_due": max([d["n"] for d in forecast] + [1])})


def _day_bars(days: list[dict], field: str) -> list[dict]:
    """(label, count, tick) per day for the bar charts: "12/2" reads the same in Korean and English.

    A tick every 7 days from the first, and on the last day, unless it would crowd the tick before.
    """
    last = len(days) - 1
    return [{"label": f"{int(d['date'][5:7])}/{int(d['date'][8:10])}", "n": d[field],
             "tick": i == last or (i % 7 == 0 and last - i >= 4)} for i, d in enumerate(days)]
