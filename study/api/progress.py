"""A learner's statistics: reviews, retention, forecast, quiz results."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from concepts.api.common import LANG_PARAM
from study import statistics


class StatsView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, parameters=[LANG_PARAM])
    def get(self, request):
        return Response(statistics.learner_statistics(request.user, now=timezone.now()))
