"""The authoring tool: search in both languages, filters, inlines, publish actions, demo preview."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, When
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.tmp_storages import CacheStorage

from concepts import search, validation
from concepts.admin_actions import MissingTranslationFilter, export_anki_deck, publish, unpublish
from concepts.models import AcceptedAnswer, Choice, Concept, Question, Status, Topic
from concepts.resources import FORMATS, ConceptResource, QuestionResource, TopicResource


class DemoPreviewMixin:
    """A read-only field that runs the item's demo and shows its numbers and chart."""

    @admin.display(description=_("demo preview"))
    def demo_preview(self, obj):
        if obj is None or not obj.demo_key:
            return _("No demo linked.")
        try:
            from sandbox.admin_preview import render_preview
        except ImportError:  # the preview module ships with the sandbox runner
            return _("Demo preview is not available.")
        return mark_safe(render_preview(obj.demo_key, obj.demo_params, "en"))


class ContentImportExportMixin(ImportExportMixin):
    """CSV / JSON import with a dry-run preview (see concepts/resources.py); importing needs add and change rights."""

    import_formats = FORMATS
    export_formats = FORMATS
    # The uploaded file waits for the confirm step in the cache, not in a temp folder: no file
    # is left behind when the preview fails or is abandoned, and any app server can confirm.
    tmp_storage_class = CacheStorage

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)


@admin.register(Topic)
class TopicAdmin(ContentImportExportMixin, admin.ModelAdmin):
    list_display = ("slug", "title_ko", "title_en", "order", "concept_count")
    search_fields = ("slug", "title_ko", "title_en", "description_ko", "description_en")
    ordering = ("order",)
    actions = [export_anki_deck]
    resource_classes = [TopicResource]

    @admin.display(description=_("concepts"))
    def concept_count(self, obj):
        return obj.concepts.count()


class QuestionLinkInline(admin.TabularInline):
    model = Question
    fields = ("slug", "kind", "difficulty", "status")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Concept)
class ConceptAdmin(ContentImportExportMixin, DemoPreviewMixin, admin.ModelAdmin):
    list_display = ("slug", "title_ko", "title_en", "topic", "difficulty", "status", "demo_key", "question_count")
    list_filter = ("topic", "difficulty", "status", MissingTranslationFilter)
    list_select_related = ("topic",)
    search_fields = (
        "slug", "title_ko", "title_en", "front_ko", "front_en", "answer_ko", "answer_en",
        "explanation_ko", "explanation_en",
    )
    filter_horizontal = ("related",)
    actions = [publish, unpublish]
    resource_classes = [ConceptResource]
    readonly_fields = ("demo_preview", "created_at", "updated_at")
    inlines = [QuestionLinkInline]
    fieldsets = (
        (None, {"fields": ("topic", "slug", "order", "difficulty", "status", "source_notes", "related")}),
        (_("Korean"), {"fields": ("title_ko", "front_ko", "answer_ko", "explanation_ko", "key_points_ko",
                                   "pitfalls_ko", "follow_ups_ko")}),
        (_("English"), {"fields": ("title_en", "front_en", "answer_en", "explanation_en", "key_points_en",
                                    "pitfalls_en", "follow_ups_en")}),
        (_("Demo"), {"fields": ("demo_key", "demo_params", "demo_preview")}),
        (_("History"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_question_count=Count("questions"))

    # Search: the learners' ranked search (drafts included), best match first; rows that only
    # the plain `search_fields` match (e.g. a phrase from an explanation) follow.
    def _ranked_ids(self, request, term: str) -> list[int]:
        term = term.strip()[:search.MAX_QUERY_LENGTH]
        if getattr(request, "_concept_ranking", (None,))[0] != term:  # once per request
            request._concept_ranking = (term, search.ranked_concept_ids(term) if term else [])
        return request._concept_ranking[1]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        plain, _ = super().get_search_results(request, queryset, search_term)
        ranked = self._ranked_ids(request, search_term)
        return queryset.filter(Q(pk__in=ranked) | Q(pk__in=plain.values("pk"))), False

    def get_ordering(self, request):
        ranked = self._ranked_ids(request, request.GET.get(SEARCH_VAR, ""))
        if not ranked:
            return super().get_ordering(request)
        return [Case(*(When(pk=pk, then=rank) for rank, pk in enumerate(ranked)), default=len(ranked),
                     output_field=IntegerField()).asc()]

    @admin.display(description=_("questions"), ordering="_question_count")
    def question_count(self, obj):
        return obj._question_count


class _AnswerKeyFormSet(forms.BaseInlineFormSet):
    """Checks an inline's rows as a whole against the question's (possibly just edited) kind and status."""

    def row(self, data: dict):
        raise NotImplementedError

    def problems(self, question, rows) -> list[str]:
        raise NotImplementedError

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [self.row(f.cleaned_data) for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        problems = self.problems(self.instance, rows)
        if problems:
            raise ValidationError(problems)


class ChoiceInlineFormSet(_AnswerKeyFormSet):
    def row(self, data):
        return validation.ChoiceData(data.get("text_ko", ""), data.get("text_en", ""), data.get("is_correct", False))

    def problems(self, question, rows):
        return validation.choice_errors(question.kind, rows, published=question.status == Status.PUBLISHED)


class AcceptedAnswerInlineFormSet(_AnswerKeyFormSet):
    def row(self, data):
        return validation.AcceptedData(data.get("language", ""), data.get("text", ""))

    def problems(self, question, rows):
        return validation.accepted_errors(question.kind, rows, published=question.status == Status.PUBLISHED)


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceInlineFormSet
    fields = ("order", "text_ko", "text_en", "is_correct")
    extra = 0


class AcceptedAnswerInline(admin.TabularInline):
    model = AcceptedAnswer
    formset = AcceptedAnswerInlineFormSet
    fields = ("language", "text")
    extra = 0


@admin.register(Question)
class QuestionAdmin(ContentImportExportMixin, DemoPreviewMixin, admin.ModelAdmin):
    list_display = ("slug", "concept", "kind", "difficulty", "status", "demo_key")
    list_filter = ("concept__topic", "kind", "difficulty", "status", MissingTranslationFilter)
    list_select_related = ("concept",)
    search_fields = (
        "slug", "prompt_ko", "prompt_en", "explanation_ko", "explanation_en", "choices__text_ko",
        "choices__text_en", "accepted_answers__text", "concept__slug",
    )
    autocomplete_fields = ("concept",)
    actions = [publish, unpublish]
    resource_classes = [QuestionResource]
    inlines = [ChoiceInline, AcceptedAnswerInline]
    readonly_fields = ("demo_preview", "answer_summary", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("concept", "slug", "order", "kind", "difficulty", "status")}),
        (_("Korean"), {"fields": ("prompt_ko", "explanation_ko")}),
        (_("English"), {"fields": ("prompt_en", "explanation_en")}),
        (_("Answer key (true/false and numeric; choices and accepted answers below)"),
         {"fields": ("answer_bool", "numeric_value", "numeric_tolerance", "numeric_unit", "answer_summary")}),
        (_("Demo"), {"fields": ("demo_key", "demo_params", "demo_preview")}),
        (_("History"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    @admin.display(description=_("current answer"))
    def answer_summary(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        if obj.kind == "true_false":
            return str(obj.answer_bool)
        if obj.kind == "numeric":
            return format_html("{} ± {} {}", obj.numeric_value, obj.numeric_tolerance, obj.numeric_unit)
        if obj.kind == "short":
            return ", ".join(f"{a.language}: {a.text}" for a in obj.accepted_answers.all())
        return ", ".join(c.text_en or c.text_ko for c in obj.choices.all() if c.is_correct)
