"""Content: topics, concept cards, questions and their answer keys.

Every learner-facing text exists twice, `<name>_ko` and `<name>_en`; `localized()`
picks the active language. Rules that span a question and its choices live in
`concepts.validation` so that the admin, the fixture loader and the API apply the
same ones.
"""

import functools

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concepts import validation

LANGS = ("ko", "en")


def active_lang(lang: str | None = None) -> str:
    """The content language to show: `lang` if given, else the active UI language."""
    code = (lang or get_language() or "ko")[:2]
    return code if code in LANGS else "ko"


class Difficulty(models.IntegerChoices):
    BASIC = 1, _("basic")
    INTERMEDIATE = 2, _("intermediate")
    ADVANCED = 3, _("advanced")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class Bilingual(models.Model):
    """Base for models whose texts come in Korean and English."""

    #: base names of the translated fields; each has a `_ko` and an `_en` column.
    translated_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def localized(self, name: str, lang: str | None = None):
        """The field in the requested language, falling back to the other one if empty."""
        lang = active_lang(lang)
        value = getattr(self, f"{name}_{lang}")
        if value:
            return value
        other = "en" if lang == "ko" else "ko"
        return getattr(self, f"{name}_{other}")

    def missing_translations(self) -> dict[str, str]:
        return validation.missing_translations(self, self.translated_fields)

    @classmethod
    def missing_translation_q(cls) -> Q:
        """Rows where any translated field is empty in one language."""
        q = Q()
        for name in cls.translated_fields:
            for lang in LANGS:
                field = cls._meta.get_field(f"{name}_{lang}")
                empty = [] if isinstance(field, models.JSONField) else ""
                q |= Q(**{f"{name}_{lang}": empty})
        return q


class Topic(Bilingual):
    slug = models.SlugField(unique=True, max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    title_ko = models.CharField(max_length=200, blank=True)
    title_en = models.CharField(max_length=200, blank=True)
    description_ko = models.TextField(blank=True)
    description_en = models.TextField(blank=True)

    translated_fields = ("title", "description")

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title_en or self.title_ko or self.slug

    def clean(self) -> None:
        errors = self.missing_translations()
        if errors:
            raise ValidationError(errors)


class DemoReference(models.Model):
    """An optional link to a sandbox demo: its registry key and the parameters to run it with."""

    demo_key = models.CharField(max_length=80, blank=True, help_text=_("Sandbox demo key; empty for none."))
    demo_params = models.JSONField(default=dict, blank=True, help_text=_("Parameters for the demo, as JSON."))

    class Meta:
        abstract = True

    def clean_demo_reference(self) -> dict[str, str]:
        return validation.demo_reference_errors(self.demo_key, self.demo_params)


class Concept(Bilingual, DemoReference):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="concepts")
    slug = models.SlugField(unique=True, max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    difficulty = models.PositiveSmallIntegerField(choices=Difficulty.choices, default=Difficulty.BASIC)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    source_notes = models.JSONField(default=list, blank=True, help_text=_("Note prefixes, e.g. [\"001\"]."))
    related = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="related_from")

    title_ko = models.CharField(max_length=200, blank=True)
    title_en = models.CharField(max_length=200, blank=True)
    front_ko = models.TextField(blank=True, help_text=_("Flashcard front: the question as an interviewer asks it."))
    front_en = models.TextField(blank=True)
    answer_ko = models.TextField(blank=True, help_text=_("One- or two-sentence answer."))
    answer_en = models.TextField(blank=True)
    explanation_ko = models.TextField(blank=True, help_text=_("Markdown; LaTeX in $...$ and $$...$$."))
    explanation_en = models.TextField(blank=True)
    key_points_ko = models.JSONField(default=list, blank=True)
    key_points_en = models.JSONField(default=list, blank=True)
    pitfalls_ko = models.JSONField(default=list, blank=True)
    pitfalls_en = models.JSONField(default=list, blank=True)
    follow_ups_ko = models.JSONField(default=list, blank=True)
    follow_ups_en = models.JSONField(default=list, blank=True)
    # Parallel to follow_ups_ko/_en: per follow-up, the slug of the card that answers it, or None.
    follow_up_cards = models.JSONField(default=list, blank=True,
                                       help_text=_("Per follow-up, the slug of the card answering it, or null."))
    # Search only: other names for the card (abbreviations, synonyms, interviewer phrasings),
    # authored in fixtures/search/aliases.yaml. Not translations of each other, so not in translated_fields.
    aliases_ko = models.JSONField(default=list, blank=True, help_text=_("Search aliases in Korean, e.g. [\"렐루\"]."))
    aliases_en = models.JSONField(default=list, blank=True, help_text=_("Search aliases in English, e.g. [\"rectifier\"]."))

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    translated_fields = ("title", "front", "answer", "explanation", "key_points", "pitfalls", "follow_ups")

    class Meta:
        ordering = ["topic__order", "order", "slug"]
        constraints = [
            models.CheckConstraint(condition=Q(difficulty__gte=1, difficulty__lte=3), name="concept_difficulty_1_3"),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_ko or self.slug

    def linked_follow_ups(self, lang: str | None = None) -> list[tuple[str, str | None]]:
        """(follow-up text, slug of the card that answers it or None) in the requested language."""
        texts = self.localized("follow_ups", lang)
        cards = self.follow_up_cards or []
        return [(text, cards[i] if i < len(cards) else None) for i, text in enumerate(texts)]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("source_notes", "key_points_ko", "key_points_en", "pitfalls_ko", "pitfalls_en",
                     "follow_ups_ko", "follow_ups_en", "aliases_ko", "aliases_en"):
            message = validation.string_list_error(getattr(self, name))
            if message:
                errors[name] = message
        if self.status == Status.PUBLISHED:
            errors.update(self.missing_translations())
        errors.update(self.clean_demo_reference())
        if errors:
            raise ValidationError(errors)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple select")
    TRUE_FALSE = "true_false", _("true / false")
    NUMERIC = "numeric", _("numeric answer")
    SHORT = "short", _("short answer")


class Question(Bilingual, DemoReference):
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="questions")
    slug = models.SlugField(unique=True, max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=QuestionKind.choices)
    difficulty = models.PositiveSmallIntegerField(choices=Difficulty.choices, default=Difficulty.BASIC)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)

    prompt_ko = models.TextField(blank=True)
    prompt_en = models.TextField(blank=True)
    explanation_ko = models.TextField(blank=True)
    explanation_en = models.TextField(blank=True)

    # Answer keys for the kinds that have no choices / accepted answers.
    answer_bool = models.BooleanField(null=True, blank=True, help_text=_("True/false questions only."))
    numeric_value = models.FloatField(null=True, blank=True, help_text=_("Numeric questions only."))
    numeric_tolerance = models.FloatField(null=True, blank=True, help_text=_("Absolute tolerance, same unit."))
    numeric_unit = models.CharField(max_length=40, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    translated_fields = ("prompt", "explanation")

    class Meta:
        ordering = ["concept__topic__order", "concept__order", "order", "slug"]
        indexes = [models.Index(fields=["status", "kind", "difficulty"], name="question_filter_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(difficulty__gte=1, difficulty__lte=3), name="question_difficulty_1_3"),
            models.CheckConstraint(
                condition=Q(numeric_tolerance__isnull=True) | Q(numeric_tolerance__gte=0),
                name="question_tolerance_non_negative",
            ),
            models.CheckConstraint(
                condition=~Q(kind="numeric") | Q(numeric_value__isnull=False, numeric_tolerance__isnull=False),
                name="question_numeric_has_key",
            ),
            models.CheckConstraint(
                condition=~Q(kind="true_false") | Q(answer_bool__isnull=False),
                name="question_true_false_has_key",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    def clean(self) -> None:
        errors = validation.question_field_errors(
            self.kind,
            answer_bool=self.answer_bool,
            numeric_value=self.numeric_value,
            numeric_tolerance=self.numeric_tolerance,
            numeric_unit=self.numeric_unit,
        )
        if self.status == Status.PUBLISHED:
            errors.update(self.missing_translations())
        errors.update(self.clean_demo_reference())
        if errors:
            raise ValidationError(errors)

    def answer_key_errors(self, choices=None, accepted=None) -> list[str]:
        """Problems with the question's choices / accepted answers.

        `choices` and `accepted` default to what is stored; the admin passes the
        rows of its inline forms instead, before anything is saved.
        """
        if choices is None:
            choices = [validation.ChoiceData(c.text_ko, c.text_en, c.is_correct) for c in self.choices.all()]
        if accepted is None:
            accepted = [validation.AcceptedData(a.language, a.text) for a in self.accepted_answers.all()]
        return validation.answer_key_errors(
            self.kind, choices=choices, accepted=accepted, published=self.status == Status.PUBLISHED
        )

    def publication_errors(self) -> list[str]:
        """Everything that stops this question from being published, as messages."""
        saved_status = self.status
        self.status = Status.PUBLISHED
        try:
            messages = []
            try:
                self.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                messages += [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
            messages += self.answer_key_errors()
            return messages
        finally:
            self.status = saved_status


class Choice(Bilingual):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    text_ko = models.CharField(max_length=500, blank=True)
    text_en = models.CharField(max_length=500, blank=True)
    is_correct = models.BooleanField(default=False)

    translated_fields = ("text",)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "order"], name="choice_unique_order")]

    def __str__(self) -> str:
        return self.text_en or self.text_ko


class AcceptedAnswer(models.Model):
    """One accepted answer of a short-answer question, in one language."""

    class Language(models.TextChoices):
        KO = "ko", "한국어"
        EN = "en", "English"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="accepted_answers")
    language = models.CharField(max_length=2, choices=Language.choices)
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["language", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "language", "text"], name="accepted_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.text}"


# -- study: per-learner state --------------------------------------------------

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

    class Meta:
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

    class Meta:
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

    class Meta:
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

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"quiz {self.pk} of {self.user}"


class QuizItem(models.Model):
    session = models.ForeignKey(QuizSession, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    response = models.JSONField(null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="quiz_item_position_unique"),
            models.UniqueConstraint(fields=["session", "question"], name="quiz_item_question_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.position}"


class RenderedMarkdown(models.Model):
    """The HTML of one card or question text, keyed by the SHA-256 of the (value-filled) Markdown source.

    Written when content is loaded or edited (`concepts.markup.store_rendered`), read by
    pages and exports (`concepts.markup.html`), so no request renders Markdown for
    shipped content. Content-addressed: an edited text gets a new row; rows of texts no
    longer used are pruned by `load_content`.
    """

    digest = models.CharField(max_length=64, unique=True)
    html = models.TextField()

    def __str__(self) -> str:
        return self.digest[:12]
