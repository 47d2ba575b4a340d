"""Admin list filters and actions: missing translations, publish / unpublish (only what validates),
export topics as an Anki deck."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from concepts import anki
from concepts.models import Question, Status


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [("missing", _("missing a language")), ("complete", _("both languages"))]

    def queryset(self, request, queryset):
        missing = queryset.model.missing_translation_q()
        if queryset.model is Question:
            missing |= validation_missing_choice_q()
        if self.value() == "missing":
            return queryset.filter(missing).distinct()
        if self.value() == "complete":
            return queryset.exclude(pk__in=queryset.filter(missing).values("pk"))
        return queryset


def validation_missing_choice_q():
    return Q(choices__text_ko="") | Q(choices__text_en="")


def _publish(modeladmin, request, queryset, status):
    changed, refused = 0, []
    for obj in queryset:
        if status == Status.PUBLISHED:
            problems = _publication_problems(obj)
            if problems:
                refused.append(f"{obj.slug}: {'; '.join(problems)}")
                continue
        if obj.status != status:
            obj.status = status
            obj.save(update_fields=["status", "updated_at"])
            changed += 1
    modeladmin.message_user(request, _("%(n)d item(s) changed.") % {"n": changed}, messages.SUCCESS)
    for line in refused:
        modeladmin.message_user(request, _("Not published: %(reason)s") % {"reason": line}, messages.ERROR)


def _publication_problems(obj) -> list[str]:
    if isinstance(obj, Question):
        return obj.publication_errors()
    saved = obj.status
    obj.status = Status.PUBLISHED
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
        return []
    except ValidationError as exc:
        return [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
    finally:
        obj.status = saved


@admin.action(description=_("Publish selected (only items that pass validation)"))
def publish(modeladmin, request, queryset):
    _publish(modeladmin, request, queryset, Status.PUBLISHED)


@admin.action(description=_("Unpublish selected (back to draft)"))
def unpublish(modeladmin, request, queryset):
    _publish(modeladmin, request, queryset, Status.DRAFT)


class AnkiExportForm(forms.Form):
    lang = forms.ChoiceField(label=_("language"), initial="both", widget=forms.RadioSelect, choices=[
        ("both", _("Korean and English")), ("ko", _("Korean")), ("en", _("English"))])
    questions = forms.BooleanField(label=_("include the questions"), required=False)


@admin.action(description=_("Export as Anki deck"))
def export_anki_deck(modeladmin, request, queryset):
    """Asks for the language on an intermediate page, then answers with the .apkg file."""
    form = AnkiExportForm(request.POST if "lang" in request.POST else None)
    if form.is_valid():
        export = anki.export_anki(topic_slugs=list(queryset.values_list("slug", flat=True)),
                                  mode=form.cleaned_data["lang"], questions=form.cleaned_data["questions"])
        response = HttpResponse(export.content, content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Export as Anki deck"), "opts": modeladmin.model._meta, "form": form, "topics": queryset,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/concepts/topic/export_anki.html", context)
