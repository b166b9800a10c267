"""Probes answered before any other middleware.

Load balancers, Caddy's active health checks and uptime monitors call ``/healthz`` and ``/readyz`` by
the upstream's address, over plain HTTP: with ``ALLOWED_HOSTS`` set to the public name and the HTTPS
redirect on, Django would answer 400 or 301 and the probe would call a healthy server dead. The probes
build no URL and read no session, so they skip host validation and the redirect here.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from pasar.runtime import views

PROBES = {"/healthz": views.healthz, "/readyz": views.readyz}


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
