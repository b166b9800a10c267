"""Health URLs for load balancers, systemd and whoever runs the installation.

``/healthz``: the process answers (touches nothing: no database, no session).
``/readyz``: JSON per dependency, 200 when every one is "ok", 503 otherwise.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from pasar.runtime import health


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    ready, report = health.readiness()
    return JsonResponse({"status": "ok" if ready else "unavailable", **report}, status=200 if ready else 503)
