"""The set-up form of a mock interview. Errors name the field; input is kept."""

from django import forms
from django.utils.translation import gettext_lazy as _

from concepts.models import Topic
from interview.models import MAX_MAIN, MIN_MAIN, MockInterview

TIME_CHOICES = [("", _("No limit")), (60, _("1 minute")), (120, _("2 minutes")), (180, _("3 minutes")),
                (300, _("5 minutes"))]


class InterviewSetupForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.order_by("order"), required=False, to_field_name="slug",
        widget=forms.CheckboxSelectMultiple, label=_("Topics"), help_text=_("None selected: all topics."),
    )
    main_count = forms.IntegerField(min_value=MIN_MAIN, max_value=MAX_MAIN, initial=3, label=_("Main questions"),
                                    help_text=_("3 to 10; each may bring one or two follow-ups."))
    time_limit_s = forms.TypedChoiceField(choices=TIME_CHOICES, coerce=int, empty_value=None, required=False,
                                          label=_("Time per answer"), help_text=_("Shown as a countdown."))
    lang = forms.ChoiceField(choices=MockInterview.Language.choices, label=_("Language of the questions"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # topic names in the page's language (a Topic's str() is its English title)
        self.fields["topics"].label_from_instance = lambda topic: topic.localized("title")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"topics": [t.slug for t in data["topics"]], "main_count": data["main_count"],
                "time_limit_s": data["time_limit_s"], "lang": data["lang"]}
