"""Input and output shapes of the demo API (they also document it in the OpenAPI schema)."""

from __future__ import annotations

from rest_framework import serializers

from quizsite.languages import LANGUAGES


class DemoTextSerializer(serializers.Serializer):
    ko = serializers.CharField()
    en = serializers.CharField()


class DemoParamSerializer(serializers.Serializer):
    """One parameter, as `sandbox.params.Param.as_schema()` describes it."""

    name = serializers.CharField()
    type = serializers.ChoiceField(choices=["int", "float", "bool", "choice"])
    default = serializers.JSONField()
    label = DemoTextSerializer()
    help = DemoTextSerializer()
    min = serializers.FloatField(required=False)
    max = serializers.FloatField(required=False)
    choices = serializers.ListField(child=serializers.CharField(), required=False)


class DemoSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = DemoTextSerializer()
    description = DemoTextSerializer()
    version = serializers.IntegerField()
    params = DemoParamSerializer(many=True)


class DemoRunQuerySerializer(serializers.Serializer):
    """The query parameters the run endpoint itself reads; every other one is a demo parameter."""

    lang = serializers.ChoiceField(choices=LANGUAGES, required=False)
    job = serializers.RegexField(r"^[0-9a-f]{32}$", required=False,
                                 help_text="The job a 202 answer named: poll with it (where runs are queued).")


class DemoTableSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))


class DemoRunSerializer(serializers.Serializer):
    key = serializers.CharField()
    version = serializers.IntegerField()
    lang = serializers.ChoiceField(choices=LANGUAGES)
    params = serializers.DictField(child=serializers.JSONField(), help_text="The validated, typed parameters used.")
    values = serializers.DictField(
        child=serializers.JSONField(), help_text="Named scalars, e.g. `first_layer_grad.sigmoid`."
    )
    tables = serializers.DictField(child=DemoTableSerializer())
    summary = serializers.CharField(help_text="One or two sentences stating the result, in `lang`.")
    charts = serializers.ListField(child=serializers.CharField(), help_text="SVG documents, labels in `lang`.")
    cached = serializers.BooleanField()
    elapsed_ms = serializers.FloatField()


class DemoPendingSerializer(serializers.Serializer):
    """202: the run is queued for a worker; GET `poll` (also the `Location` header) until it answers 200."""

    status = serializers.ChoiceField(choices=["computing"])
    key = serializers.CharField()
    version = serializers.IntegerField()
    lang = serializers.ChoiceField(choices=LANGUAGES)
    params = serializers.DictField(child=serializers.JSONField())
    job = serializers.CharField()
    poll = serializers.URLField()


class DemoParamErrorsSerializer(serializers.Serializer):
    errors = serializers.DictField(child=serializers.CharField(), help_text="A message per bad parameter.")


class DemoErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
