"""Project-level pages that span apps: "my page" routing by role, and the about page."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from pasar.accounts.models import User
from pasar.markets.access import markets_operated_by
from pasar.orders.staff_access import courier_markets
from pasar.traders.access import trader_of


@login_required
def my_page(request: HttpRequest) -> HttpResponse:
    """Send each person to the screen of their main role; people with several roles pick."""
    user = request.user
    assert isinstance(user, User)
    operated = list(markets_operated_by(user)[:20]) if not user.is_staff else []
    trader = trader_of(user)
    if trader and not operated:
        return redirect("catalog:trader-prices")
    if operated and not trader and len(operated) == 1:
        return redirect("traders:operator-market", slug=operated[0].slug)
    regions = [a.region for a in user.officer_assignments.select_related("region")]
    courier = courier_markets(user).exists()
    context = {"operated": operated, "trader": trader, "regions": regions, "courier": courier}
    return render(request, "my_page.html", context)


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


# The pages a trader and a courier keep working on without signal (served network-first, cached).
OFFLINE_PAGES = ("/pedagang/", "/kurir/")
SHELL = ("pasar/pasar.css", "pasar/pasar.js", "pasar/icon.svg", "pasar/manifest.webmanifest")


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site's root so its scope covers the trader's and courier's pages."""
    shell = [static(name) for name in SHELL]
    context = {"version": hashlib.sha256("|".join(shell).encode()).hexdigest()[:12], "shell": shell}
    response = render(request, "pwa/sw.js", context | {"prefixes": OFFLINE_PAGES}, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
