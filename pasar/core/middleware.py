from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from whitenoise.middleware import WhiteNoiseMiddleware


class IndonesianFirstLocaleMiddleware:
    """Bahasa Indonesia unless the person chose another language on the site.

    Django's LocaleMiddleware follows the browser's Accept-Language, and many Indonesian
    phones run in English; the people this product serves expect Indonesian regardless.
    The choice made with the language switch (a cookie set by ``set_language``) wins.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class StaticFilesMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]
    """whitenoise, with a year (not its default ten) of caching for hashed, immutable static files."""

    FOREVER = 365 * 24 * 60 * 60


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` on every response (``settings.PASAR_PERMISSIONS_POLICY``): geolocation for this
    site only (the market finder's "use my location"); camera, microphone, payment and USB for nobody."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PASAR_PERMISSIONS_POLICY)
        return response


class VaryHtmxMiddleware:
    """One URL serves a whole page and, to htmx, a fragment: caches (the browser's, the service worker's, a
    proxy's) must keep them apart, so every response varies on ``HX-Request``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response


class NulCharacterMiddleware:
    """Refuses, with the 400 page, a request to a page whose address or form fields carry a NUL character.

    No person types one; a scanner or a broken client does. Forms already refuse it field by field, but a
    view that looks a raw parameter up (``?market=``, ``POST["market"]``) would hand it to PostgreSQL, which
    cannot hold NUL in text and answers with an error: a 500 where a clear 400 belongs.

    Only views the CSRF check covers: it parses their form data anyway, so looking at it costs nothing.
    CSRF-exempt views read their own bodies (signed webhooks need the raw bytes, which parsing a multipart
    body here would consume) or validate through the API's schemas, which answer 422 themselves.
    Uploaded files are not looked at (a photo holds NUL bytes).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any) -> None:
        if getattr(view, "csrf_exempt", False):
            return
        if _carries_nul(request):
            raise BadRequest("NUL character in the request")


def _carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    fields = [request.GET] if request.method != "POST" else [request.GET, request.POST]
    return any("\x00" in key or any("\x00" in v for v in values) for data in fields for key, values in data.lists())
