"""A mock interview: main questions from the learner's cards, each followed by linked follow-ups.

One `MockInterview` per session; one `InterviewItem` per question asked (a main question or a
follow-up), in the order asked. An item goes through three stages: asked (`asked_at`),
answered (`answered_at`: typed text or "answered aloud", with the key points the answer
appears to cover as `suggested_ticks`), and confirmed (`confirmed_at`: the learner's ticks and
the rating, recorded as a review of the card).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from concepts.models import Concept, Topic
from study.models import ReviewLog

MIN_MAIN, MAX_MAIN = 3, 10
MAX_FOLLOW_UPS = 2  # per main question


class MockInterview(models.Model):
    class Language(models.TextChoices):
        KO = "ko", "한국어"
        EN = "en", "English"

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="mock_interviews")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, help_text=_("None: every topic."))
    main_count = models.PositiveSmallIntegerField(help_text=_("Main questions, 3-10."))
    time_limit_s = models.PositiveIntegerField(null=True, blank=True, help_text=_("Per answer; empty for none."))
    lang = models.CharField(max_length=2, choices=Language.choices, default=Language.KO)
    #: concept ids the main questions are drawn from, in order (cards already asked are passed over)
    plan = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(main_count__gte=MIN_MAIN, main_count__lte=MAX_MAIN),
                                   name="interview_main_count_3_10"),
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="interview_user_time_idx")]

    def __str__(self) -> str:
        return f"mock interview {self.pk} of {self.user}"


class InterviewItem(models.Model):
    interview = models.ForeignKey(MockInterview, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(help_text=_("1, 2, ... in the order asked."))
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="+")
    #: the main question a follow-up belongs to (None: this is a main question)
    main = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups")
    #: the follow-up text of the previous card that led here (follow-ups only)
    asked_as = models.TextField(blank=True)
    #: linked follow-ups passed over because their card was already asked: [{"text", "concept"}]
    skipped = models.JSONField(default=list, blank=True)
    asked_at = models.DateTimeField()

    answer = models.TextField(blank=True)
    aloud = models.BooleanField(default=False, help_text=_("Answered aloud: nothing typed."))
    answered_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)
    #: key point indexes the typed answer appears to cover (a hint)
    suggested_ticks = models.JSONField(default=list, blank=True)

    ticks = models.JSONField(default=list, blank=True, help_text=_("Key point indexes the learner confirmed."))
    key_point_count = models.PositiveSmallIntegerField(default=0)
    suggested_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    review = models.ForeignKey(ReviewLog, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    #: how many times the review was undone; part of the review's idempotency key
    undo_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "position"], name="interview_item_position_unique"),
            models.UniqueConstraint(fields=["interview", "concept"], name="interview_item_concept_unique"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=4),
                                   name="interview_item_rating_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.interview_id}#{self.position} {self.concept.slug}"

    @property
    def is_follow_up(self) -> bool:
        return self.main_id is not None

    @property
    def stage(self) -> str:
        if self.confirmed_at:
            return "confirmed"
        return "answered" if self.answered_at else "asked"
