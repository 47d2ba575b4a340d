"""What every content model is built from: difficulty and status choices, texts in two languages,
an optional link to a sandbox demo."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from concepts import validation
from quizsite import languages


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
        lang = languages.active(lang)
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
            for lang in languages.LANGUAGES:
                field = cls._meta.get_field(f"{name}_{lang}")
                empty = [] if isinstance(field, models.JSONField) else ""
                q |= Q(**{f"{name}_{lang}": empty})
        return q


class DemoReference(models.Model):
    """An optional link to a sandbox demo: its registry key and the parameters to run it with."""

    demo_key = models.CharField(max_length=80, blank=True, help_text=_("Sandbox demo key; empty for none."))
    demo_params = models.JSONField(default=dict, blank=True, help_text=_("Parameters for the demo, as JSON."))

    class Meta:
        abstract = True

    def clean_demo_reference(self) -> dict[str, str]:
        return validation.demo_reference_errors(self.demo_key, self.demo_params)
