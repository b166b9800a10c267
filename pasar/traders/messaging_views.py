"""Kotak keluar (every message the product sent, or would have sent with the fake provider), the
month's message count and estimated cost per market, and the pengumuman forms (operator, dinas)."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.markets.access import market_for_operator_or_404, markets_in_region, region_for_officer_or_404
from pasar.notifications.selectors import OUTBOX_SIZE, month_costs, outbox
from pasar.traders.announcements import MAX_TEXT, announcement_send, announcements_for, recipients_of


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _month_start() -> datetime:
    now = timezone.localtime()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _sent(request: HttpRequest, count: int) -> None:
    messages.success(
        request,
        ngettext("Announcement sent to %(n)s trader.", "Announcement sent to %(n)s traders.", count) % {"n": count},
    )


@login_required
def market_outbox(request: HttpRequest, slug: str) -> HttpResponse:
    """The operator's Kotak keluar for one market, the month's costs, and the market's announcements."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    scope, error = f"market:{market.pk}", ""
    if request.method == "POST":
        try:
            announcement = announcement_send(
                author=_user(request),
                markets=[market],
                scope=scope,
                label=market.name,
                text=request.POST.get("text", ""),
            )
        except DomainError as exc:
            error = exc.message
        else:
            _sent(request, recipients_of(announcement))
            return redirect("traders:outbox", slug=market.slug)
    costs = month_costs(market_id=market.pk, since=_month_start())
    context = {
        "market": market,
        "rows": list(outbox(market_ids=[market.pk])[:OUTBOX_SIZE]),
        "costs": costs,
        "total_count": sum(c.count for c in costs),
        "total_cost": sum(c.cost for c in costs),
        "announcements": announcements_for(scope),
        "error": error,
        "max_text": MAX_TEXT,
        "text": request.POST.get("text", "") if error else "",
    }
    return render(request, "traders/outbox.html", context)


@login_required
def all_outbox(request: HttpRequest) -> HttpResponse:
    """Platform staff: every message, one-time codes and chat replies included."""
    if not _user(request).is_staff:
        raise Http404
    context = {"market": None, "rows": list(outbox()[:OUTBOX_SIZE]), "costs": None, "announcements": None}
    return render(request, "traders/outbox.html", context)


@login_required
def region_announcements(request: HttpRequest, code: str) -> HttpResponse:
    """The dinas: announcements to the traders of every market in a province or kab/kota."""
    region = region_for_officer_or_404(user=request.user, code=code)
    scope, error = f"region:{region.code}", ""
    if request.method == "POST":
        try:
            announcement = announcement_send(
                author=_user(request),
                markets=list(markets_in_region(region)),
                scope=scope,
                label=region.name,
                text=request.POST.get("text", ""),
            )
        except DomainError as exc:
            error = exc.message
        else:
            _sent(request, recipients_of(announcement))
            return redirect("traders:region-announcements", code=region.code)
    context = {
        "region": region,
        "announcements": announcements_for(scope),
        "error": error,
        "max_text": MAX_TEXT,
        "text": request.POST.get("text", "") if error else "",
    }
    return render(request, "traders/region_announcements.html", context)
