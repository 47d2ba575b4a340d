"""`GET /api/health/`: a liveness probe for load balancers and monitors (no database, no session)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    """The process answers requests; the cheapest JSON view there is (benchmarks compare against it)."""
    return JsonResponse({"status": "ok"})
