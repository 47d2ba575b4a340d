"""Web forms: quiz set-up, answers per question kind, sign-up. Errors name the field, input is kept."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from concepts.models import Difficulty, QuestionKind, Topic
from study import grading, scheduling
from study.models import ReviewLog


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username",)


class ReviewGradeForm(forms.Form):
    """A flashcard grade from the review page: the rating, plus what the page sends with it."""

    rating = forms.TypedChoiceField(choices=[(str(value), name) for value, name in scheduling.RATINGS.items()],
                                    coerce=int)
    duration_ms = forms.IntegerField(min_value=0, required=False)
    key = forms.CharField(max_length=ReviewLog._meta.get_field("idempotency_key").max_length, required=False)
    topic = forms.SlugField(required=False)

    def clean_duration_ms(self):
        duration = self.cleaned_data["duration_ms"]
        if not duration:
            return None  # absent, or 0: not measured
        return min(duration, 3_600_000)  # an hour at most


class TopicsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return obj.localized("title")  # in the page's language (str() is the English title)


class QuizSetupForm(forms.Form):
    topics = TopicsField(
        queryset=Topic.objects.order_by("order"), required=False, to_field_name="slug",
        widget=forms.CheckboxSelectMultiple, label=_("Topics"), help_text=_("None selected: all topics."),
    )
    kinds = forms.MultipleChoiceField(choices=QuestionKind.choices, required=False, widget=forms.CheckboxSelectMultiple,
                                      label=_("Question kinds"), help_text=_("None selected: every kind."))
    difficulty = forms.TypedChoiceField(choices=[("", _("any"))] + list(Difficulty.choices), coerce=int,
                                        empty_value=None, required=False, label=_("Difficulty"))
    length = forms.IntegerField(min_value=1, max_value=50, initial=10, label=_("Questions"))
    time_limit_min = forms.IntegerField(min_value=1, max_value=240, required=False, label=_("Time limit (minutes)"),
                                        help_text=_("Optional, as in a real interview."))
    practice = forms.BooleanField(required=False, label=_("Practice only (do not change my flashcard schedule)"))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "topics": [t.slug for t in data["topics"]],
            "kinds": data["kinds"],
            "difficulty": data["difficulty"],
            "length": data["length"],
            "time_limit_s": data["time_limit_min"] * 60 if data["time_limit_min"] else None,
            "practice": data["practice"],
        }


class AnswerForm(forms.Form):
    """One field whose widget fits the question's kind; `response()` gives what `grading.grade` takes."""

    def __init__(self, *args, question, lang, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        kind = question.kind
        choices = [(c.pk, c.localized("text", lang)) for c in question.choices.all()]
        if kind == QuestionKind.SINGLE:
            self.fields["answer"] = forms.TypedChoiceField(choices=choices, coerce=int, widget=forms.RadioSelect,
                                                           label=_("Your answer"),
                                                           error_messages={"required": _("Choose an answer.")})
        elif kind == QuestionKind.MULTIPLE:
            self.fields["answer"] = forms.TypedMultipleChoiceField(
                choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, label=_("Your answer (all that apply)"),
                error_messages={"required": _("Choose at least one answer.")})
        elif kind == QuestionKind.TRUE_FALSE:
            self.fields["answer"] = forms.TypedChoiceField(
                choices=[("true", _("True")), ("false", _("False"))], coerce=lambda v: v == "true",
                widget=forms.RadioSelect, label=_("Your answer"), error_messages={"required": _("Choose true or false.")})
        elif kind == QuestionKind.NUMERIC:
            unit = question.unit_in(lang)  # "" for a pure number
            self.fields["answer"] = forms.CharField(
                max_length=60, label=_("Your answer"),
                help_text=_("A number, optionally with its unit (%(unit)s).") % {"unit": unit} if unit else _("A number."),
                error_messages={"required": _("Enter a number.")},
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        else:
            self.fields["answer"] = forms.CharField(
                max_length=200, label=_("Your answer"), error_messages={"required": _("Type an answer.")},
                widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean_answer(self):
        value = self.cleaned_data["answer"]
        if self.question.kind == QuestionKind.NUMERIC:
            try:
                grading.parse_numeric(value)
            except grading.AnswerInvalid:
                raise forms.ValidationError(_("Enter a number, optionally followed by its unit (e.g. 4 MB)."))
        if self.question.kind == QuestionKind.SHORT and not grading.normalize_text(value):
            raise forms.ValidationError(_("Type an answer."))
        return value

    def response(self):
        return self.cleaned_data["answer"]
