"""Web pages of mock interviews. Thin: they call the same services as the API.

Every step is a POST that redirects to the interview page (post/redirect/get), so the
page works without JavaScript; interview.js adds the keys and the countdown.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from interview import report, services
from interview.forms import InterviewSetupForm
from interview.models import InterviewItem, MockInterview
from quizsite import languages


RATING_LABELS = [_lazy("Again"), _lazy("Hard"), _lazy("Good"), _lazy("Easy")]


def _own(request, pk) -> MockInterview:
    return get_object_or_404(MockInterview.objects.filter(user=request.user), pk=pk)


@login_required
def setup(request):
    form = InterviewSetupForm(request.POST or None, initial={"lang": languages.of_request(request)})
    if request.method == "POST" and form.is_valid():
        try:
            interview = services.interview_start(user=request.user, now=timezone.now(), **form.service_kwargs())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("interview:play", pk=interview.pk)
    return render(request, "interview/setup.html", {"form": form, "history": report.history(request.user, limit=5)})


@login_required
def play(request, pk):
    interview = _own(request, pk)
    now = timezone.now()
    item, _created = services.interview_next(interview=interview, now=now)
    if item is None:
        return redirect("interview:report", pk=interview.pk)
    item = InterviewItem.objects.select_related("interview", "concept__topic", "main", "review").get(pk=item.pk)
    state = report.question_state(item)
    mains_asked = interview.items.filter(main__isnull=True).count()
    remaining_s = None
    if state["deadline"] is not None and item.answered_at is None:
        remaining_s = max(0, int((state["deadline"] - now).total_seconds()))
    return render(request, "interview/play.html", {
        "interview": interview, "item": item, "q": state, "remaining_s": remaining_s,
        "main_number": mains_asked, "rating_names": RATING_LABELS,
        "rating_label": RATING_LABELS[(state["rating"] or state["suggested_rating"] or 1) - 1],
    })


def _item(request, pk, position) -> InterviewItem:
    try:
        position = int(position)
    except (TypeError, ValueError):
        raise Http404("no such question") from None
    qs = InterviewItem.objects.select_related("interview", "concept")
    return get_object_or_404(qs, interview=_own(request, pk), position=position)


@login_required
@require_POST
def answer(request, pk):
    item = _item(request, pk, request.POST.get("position"))
    try:
        services.interview_answer(item=item, answer=request.POST.get("answer", ""),
                                  aloud=request.POST.get("aloud") == "1", now=timezone.now())
    except ValidationError:
        messages.error(request, _("Type an answer, or choose “answered aloud”."))
    return redirect("interview:play", pk=pk)


@login_required
@require_POST
def confirm(request, pk):
    item = _item(request, pk, request.POST.get("position"))
    try:
        ticks = [int(t) for t in request.POST.getlist("ticks")]
        rating = int(request.POST["rating"]) if request.POST.get("rating") else None
        item, _created = services.interview_confirm(item=item, ticks=ticks, rating=rating, now=timezone.now())
    except (ValueError, ValidationError):
        messages.error(request, _("Tick the key points you covered, then confirm."))
    except services.InterviewConflict:
        messages.error(request, _("Answer the question first; confirmed key points change only after an undo."))
    else:
        messages.success(request, _("Recorded “%(rating)s” for “%(card)s” in your flashcard schedule.") % {
            "rating": RATING_LABELS[item.rating - 1], "card": item.concept.localized("title", item.interview.lang)})
    return redirect("interview:play", pk=pk)


@login_required
@require_POST
def undo(request, pk):
    interview = _own(request, pk)
    try:
        item = services.interview_undo(interview=interview, now=timezone.now())
    except services.InterviewConflict:
        messages.error(request, _("Only the latest answer can be undone."))
    else:
        if item is None:
            messages.info(request, _("Nothing to undo."))
        else:
            messages.success(request, _("Undid the rating of “%(card)s”; confirm it again.") % {
                "card": item.concept.localized("title", interview.lang)})
    return redirect("interview:play", pk=pk)


@login_required
def report_page(request, pk):
    interview = _own(request, pk)
    return render(request, "interview/report.html",
                  {"interview": interview, "report": report.interview_report(interview, now=timezone.now())})
