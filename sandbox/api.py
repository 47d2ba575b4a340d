"""REST endpoints for demos: list, describe, run. Thin: the runner does the work.

Demos are public and stateless, so these views use no authentication (no session
is read, and a `public` Cache-Control is honest). Runs are throttled per client.
With a task queue (SANDBOX_QUEUE=celery, sandbox/jobs.py) a run that is not cached
answers 202 "computing" with a URL to poll.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from quizsite.throttling import AnonRateThrottle, FailOpen
from sandbox import jobs, registry, runner
from sandbox.result import localized_tables
from sandbox.serializers import (
    DemoErrorSerializer,
    DemoParamErrorsSerializer,
    DemoPendingSerializer,
    DemoRunQuerySerializer,
    DemoRunSerializer,
    DemoSerializer,
)

RESERVED = {"lang", "format", "job"}  # read by this view / DRF, never passed to a demo
JOB_PATTERN = re.compile(r"[0-9a-f]{32}")
KEY_PATTERN = r"[^/]+"  # any segment reaches the view, so an unknown key gets a JSON 404


class DemoRunThrottle(AnonRateThrottle):
    """Per-client rate for runs (cache hits included); setting SANDBOX_RUN_RATE, None to switch off."""

    scope = "demo-run"

    def get_rate(self):
        return getattr(settings, "SANDBOX_RUN_RATE", "120/min")


class DemoComputeThrottle(FailOpen, SimpleRateThrottle):
    """Per-client rate for runs that start a computation (a stored result costs nothing and is not
    counted); setting SANDBOX_COMPUTE_RATE. Keeps one client from occupying every demo worker.
    Keyed by the client's address, signed in or not (the API and the web panel share it)."""

    scope = "demo-compute"

    def get_rate(self):
        return getattr(settings, "SANDBOX_COMPUTE_RATE", "20/min")

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ComputeRefused(runner.SandboxError):
    def __init__(self, wait: float | None):
        self.wait = wait
        seconds = f" {int(wait) + 1} s" if wait else " a moment"
        super().__init__(f"You have started many new demo runs; try again in{seconds}, or use the stored results.")


def admit_compute(request, view=None) -> None:
    """Raise ComputeRefused when this client has used up its budget of new demo runs."""
    throttle = DemoComputeThrottle()
    if not throttle.allow_request(request, view):
        raise ComputeRefused(throttle.wait())


def _unknown(key: str) -> NotFound:
    return NotFound(f"Unknown demo {key!r}.")


@extend_schema(tags=["demos"])
class DemoViewSet(viewsets.ViewSet):
    """The demo catalogue: what each demo shows and the parameters it takes."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    lookup_field = "key"
    lookup_value_regex = KEY_PATTERN

    @extend_schema(responses=DemoSerializer(many=True), summary="List demos")
    def list(self, request):
        return Response(DemoSerializer(registry.list_demos(), many=True).data)

    @extend_schema(responses={200: DemoSerializer, 404: DemoErrorSerializer}, summary="Describe one demo")
    def retrieve(self, request, key: str):
        try:
            info = registry.describe(key)
        except registry.UnknownDemo:
            raise _unknown(key) from None
        return Response(DemoSerializer(info).data)


class DemoRunView(APIView):
    """Run a demo with the given parameters (cached by demo, version and parameters)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [DemoRunThrottle]
    lang_choices = None  # checked with the demo parameters, in this endpoint's error format

    @extend_schema(
        tags=["demos"],
        summary="Run a demo",
        description=(
            "Every query parameter except `lang`, `format` and `job` is a demo parameter (see the demo's `params`), "
            "by name, e.g. `?depth=6&width=32`; "
            "missing ones take their defaults, unknown or out-of-range ones are refused with a message per field. "
            "Results are deterministic, so responses are publicly cacheable. Where runs go to a task queue, a "
            "result not cached yet answers 202 with `status: computing` and a `poll` URL (also in `Location`): "
            "GET it until it answers 200 (or an error)."
        ),
        # The demo parameters differ per demo, so they are described in words (and listed by the
        # demo's `params`) rather than as a free-form object, which generated clients fill with any names.
        parameters=[DemoRunQuerySerializer],
        responses={
            200: DemoRunSerializer,
            202: DemoPendingSerializer,
            400: DemoParamErrorsSerializer,
            404: DemoErrorSerializer,
            429: DemoErrorSerializer,
            500: DemoErrorSerializer,
            503: DemoErrorSerializer,
        },
    )
    def get(self, request, key: str):
        query = DemoRunQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return Response({"errors": _flat(query.errors)}, status=status.HTTP_400_BAD_REQUEST)
        lang = query.validated_data.get("lang") or (translation.get_language() or "ko")[:2]
        raw, repeated = {}, {}
        for name, items in request.query_params.lists():
            if name in RESERVED:
                continue
            if len(items) > 1:
                repeated[name] = "given more than once"
            raw[name] = items[-1]
        if repeated:
            return Response({"errors": repeated}, status=status.HTTP_400_BAD_REQUEST)
        job = query.validated_data.get("job") or None
        try:
            outcome = jobs.request_run(key, raw, lang=lang, job=job, admit=lambda: admit_compute(request, self))
        except runner.UnknownDemo:
            raise _unknown(key) from None
        except runner.ParameterError as exc:
            return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        except ComputeRefused as exc:
            self.throttled(request, exc.wait)
        except (runner.DemoTimeout, runner.DemoBusy) as exc:
            return _error(str(exc), status.HTTP_503_SERVICE_UNAVAILABLE, retry=isinstance(exc, runner.DemoBusy))
        except jobs.JobFailed as exc:  # a queued run failed, timed out or was lost
            code = status.HTTP_503_SERVICE_UNAVAILABLE if exc.temporary else status.HTTP_500_INTERNAL_SERVER_ERROR
            return _error(str(exc), code)
        except runner.SandboxError as exc:  # the demo itself failed, or its result was too large
            return _error(str(exc), status.HTTP_500_INTERNAL_SERVER_ERROR)
        if isinstance(outcome, jobs.Pending):
            poll = request.build_absolute_uri(_poll_path(request, outcome.job))
            response = Response({**outcome.as_dict(), "poll": poll}, status=status.HTTP_202_ACCEPTED)
            response["Location"] = poll
            response["Retry-After"] = "1"
            patch_cache_control(response, no_store=True)
            return response
        payload = outcome.as_dict()
        payload["tables"] = localized_tables(payload["tables"], payload["lang"])  # headings may be {ko, en}
        response = Response(DemoRunSerializer(payload).data)
        patch_cache_control(response, public=True, max_age=getattr(settings, "SANDBOX_HTTP_MAX_AGE", 3600))
        patch_vary_headers(response, ["Accept-Language"])
        return response


def _error(detail: str, code: int, *, retry: bool = False) -> Response:
    response = Response({"detail": detail}, status=code)
    patch_cache_control(response, no_store=True)
    if retry:
        response["Retry-After"] = "5"
    return response


def _poll_path(request, job: str) -> str:
    """This request's path and query with `job` set: polling repeats the same run, tied to its job."""
    query = request.GET.copy()
    query["job"] = job
    return f"{request.path}?{query.urlencode()}"


def _flat(errors) -> dict[str, str]:
    return {field: " ".join(str(m) for m in messages) for field, messages in errors.items()}
