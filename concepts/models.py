"""Content: topics, concept cards, questions and their answer keys.

Every learner-facing text exists twice, `<name>_ko` and `<name>_en`; `localized()`
picks the active language. Rules that span a question and its choices live in
`concepts.validation` so that the admin, the fixture loader and the API apply the
same ones.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from concepts import units, validation
from concepts.bases import Bilingual, DemoReference, Difficulty, Status
from concepts.querysets import ConceptQuerySet, QuestionQuerySet, TopicQuerySet
from quizsite import languages

__all__ = ["AcceptedAnswer", "Bilingual", "Choice", "Concept", "DemoReference", "Difficulty", "Question",
           "QuestionKind", "RenderedMarkdown", "Status", "Topic"]


class Topic(Bilingual):
    slug = models.SlugField(unique=True, max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    title_ko = models.CharField(max_length=200, blank=True)
    title_en = models.CharField(max_length=200, blank=True)
    description_ko = models.TextField(blank=True)
    description_en = models.TextField(blank=True)

    translated_fields = ("title", "description")

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title_en or self.title_ko or self.slug

    def clean(self) -> None:
        errors = self.missing_translations()
        if errors:
            raise ValidationError(errors)


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

    objects = ConceptQuerySet.as_manager()

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

    objects = QuestionQuerySet.as_manager()

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

    @property
    def unit(self) -> str:
        """The content's unit (English); "" for a pure number (some content writes "(unitless)")."""
        unit = (self.numeric_unit or "").strip()
        return "" if unit.strip("()").lower() in ("", "unitless", "-", "—") else unit

    def unit_in(self, lang: str | None = None) -> str:
        """The unit as shown to a learner in `lang` (default: the active language): "개 층" in Korean."""
        return units.label(self.unit, languages.active(lang))

    @property
    def unit_label(self) -> str:
        return self.unit_in()

    def value_text(self, lang: str | None = None) -> str:
        """ "4 MB", "-0.1", "2.5×", "10개 층": the value with its unit, once, in `lang` (default: the active one)."""
        return units.with_value(f"{self.numeric_value:g}", self.unit, languages.active(lang))

    def answer_text(self, lang: str | None = None) -> str:
        """ "4 MB (± 0.1)": the tolerance is in the same unit."""
        return f"{self.value_text(lang)} (± {self.numeric_tolerance:g})"

    def accepted_texts(self, lang: str) -> list[str]:
        """Accepted short answers for display: the page's language first, each answer once.

        Answers repeat across (and within) languages ("residual connection" in both lists);
        two that grade the same are shown once.
        """
        answers = sorted(self.accepted_answers.all(), key=lambda a: (a.language != lang, a.pk))
        seen: set[str] = set()
        out = []
        for answer in answers:
            key = validation.normalize_text(answer.text)
            if key not in seen:
                seen.add(key)
                out.append(answer.text)
        return out

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


from concepts.payload_models import StoredPayload  # noqa: E402,F401  (registered with this app; see that module)
