"""Study: a learner's profile, card states (FSRS), review log, quiz sessions and answers.

These models lived in `concepts` until the app was split; their tables keep the old
names (`db_table`), so moving them changed no data (migrations `study.0001` and
`concepts.0007`). Each model's manager has `of(user)`: the rows one learner owns.
"""

import functools
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from concepts.models import Concept, Difficulty, Question, Status, Topic


class OwnedQuerySet(models.QuerySet):
    """Rows that belong to one learner."""

    def of(self, user):
        return self.filter(user=user)


class CardStateQuerySet(OwnedQuerySet):
    def due_by(self, now, *, topic: str | None = None):
        """States of published cards due at `now`, of one topic if given."""
        qs = self.filter(due__lte=now, concept__status=Status.PUBLISHED)
        return qs.filter(concept__topic__slug=topic) if topic else qs


class QuizSessionQuerySet(OwnedQuerySet):
    def unfinished(self):
        return self.filter(finished_at__isnull=True)

    def recent(self):
        return self.order_by("-created_at")


class ReviewLogQuerySet(OwnedQuerySet):
    def active(self):
        """Reviews not undone: the ones that count."""
        return self.filter(undone_at__isnull=True)

@functools.cache
def _timezones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def _validate_timezone(value: str) -> None:
    # A set lookup, not ZoneInfo(value): arbitrary input can make ZoneInfo raise OSError.
    if value not in _timezones():
        raise ValidationError(_("Unknown time zone %(tz)s; use an IANA name such as Asia/Seoul."), params={"tz": value})


class LearnerProfile(models.Model):
    """Study preferences; created on first use with the defaults below."""

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="learner")
    desired_retention = models.FloatField(
        default=0.9, help_text=_("Target probability of recalling a card when it is due (0.70-0.97).")
    )
    timezone = models.CharField(max_length=64, default="Asia/Seoul", validators=[_validate_timezone])
    new_cards_per_day = models.PositiveSmallIntegerField(default=20)
    #: the site language the learner last chose; applied when they log in on any browser ("" = not chosen)
    language = models.CharField(max_length=2, blank=True, default="",
                                choices=[("ko", "한국어"), ("en", "English")])

    objects = OwnedQuerySet.as_manager()

    class Meta:
        db_table = "concepts_learnerprofile"
        constraints = [
            models.CheckConstraint(condition=Q(desired_retention__gte=0.7, desired_retention__lte=0.97),
                                   name="profile_retention_range"),
            models.CheckConstraint(condition=Q(new_cards_per_day__lte=200), name="profile_new_cards_max"),
        ]

    def __str__(self) -> str:
        return f"profile of {self.user}"


class CardState(models.Model):
    """A learner's FSRS memory state for one concept card (fields mirror `fsrs.Card`)."""

    class State(models.IntegerChoices):
        LEARNING = 1, _("learning")
        REVIEW = 2, _("review")
        RELEARNING = 3, _("relearning")

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="card_states")
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="card_states")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)

    objects = CardStateQuerySet.as_manager()

    class Meta:
        db_table = "concepts_cardstate"
        constraints = [models.UniqueConstraint(fields=["user", "concept"], name="card_state_unique")]
        # The due queue: WHERE user = ? AND due <= now ORDER BY due.
        indexes = [models.Index(fields=["user", "due"], name="card_due_idx")]

    def __str__(self) -> str:
        return f"{self.user} / {self.concept.slug}"


class ReviewSource(models.TextChoices):
    FLASHCARD = "flashcard", _("flashcard")
    QUIZ = "quiz", _("quiz")
    INTERVIEW = "interview", _("mock interview")


class ReviewLog(models.Model):
    """One review, appended and never edited; an undo marks it undone and restores `state_before`."""

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="reviews")
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(choices=[(1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy")])
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=ReviewSource.choices, default=ReviewSource.FLASHCARD)
    was_new = models.BooleanField(default=False)
    state_before = models.JSONField(null=True, blank=True, help_text=_("The card state before this review."))
    due_after = models.DateTimeField()
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewLogQuerySet.as_manager()

    class Meta:
        db_table = "concepts_reviewlog"
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="review_idempotency_unique"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=4), name="review_rating_1_4"),
        ]
        indexes = [models.Index(fields=["user", "reviewed_at"], name="review_user_time_idx")]

    def __str__(self) -> str:
        return f"{self.user} rated {self.concept.slug} {self.rating}"


class QuizSession(models.Model):
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="quizzes")
    created_at = models.DateTimeField(auto_now_add=True)
    topics = models.ManyToManyField(Topic, blank=True)
    kinds = models.JSONField(default=list, blank=True)
    difficulty = models.PositiveSmallIntegerField(choices=Difficulty.choices, null=True, blank=True)
    time_limit_s = models.PositiveIntegerField(null=True, blank=True)
    practice = models.BooleanField(default=False, help_text=_("A practice run never writes FSRS reviews."))
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = QuizSessionQuerySet.as_manager()

    class Meta:
        db_table = "concepts_quizsession"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"quiz {self.pk} of {self.user}"

    @property
    def deadline(self):
        """When a timed quiz stops taking answers; None without a time limit."""
        return self.created_at + timedelta(seconds=self.time_limit_s) if self.time_limit_s else None


class QuizItem(models.Model):
    session = models.ForeignKey(QuizSession, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    response = models.JSONField(null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "concepts_quizitem"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="quiz_item_position_unique"),
            models.UniqueConstraint(fields=["session", "question"], name="quiz_item_question_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.position}"
