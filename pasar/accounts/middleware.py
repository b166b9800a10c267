from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


class OwnPinMiddleware:
    """Someone whose PIN was chosen by another person (an operator's registration, import or reset)
    chooses their own before anything else: every page sends them to the PIN page, the API refuses."""

    OPEN_PREFIXES = ("/akun/keluar/", "/i18n/", "/static/", "/healthz", "/readyz", "/privasi/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            target = reverse("accounts:pin-change")
            path = request.path
            if path != target and not path.startswith(self.OPEN_PREFIXES):
                if path.startswith("/api/"):
                    message = _("Choose your own PIN first.")
                    return JsonResponse({"detail": message, "code": "pin_change_required"}, status=403)
                back = request.get_full_path() if request.method == "GET" else ""
                return redirect(f"{target}?{urlencode({'next': back})}" if back else target)
        return self.get_response(request)
