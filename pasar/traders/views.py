"""Operator screens: the market's traders, registration on a trader's behalf, list import."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pasar.accounts.models import User
from pasar.markets.access import market_for_operator_or_404
from pasar.traders.models import Stall


@login_required
def operator_market(request: HttpRequest, slug: str) -> HttpResponse:
    """The operator's view of one market: its stalls and traders."""
    user = request.user
    assert isinstance(user, User)
    market = market_for_operator_or_404(user=user, slug=slug)
    stalls = Stall.objects.filter(market=market).select_related("trader__user", "category").order_by("block", "row", "number")
    return render(request, "traders/operator_market.html", {"market": market, "stalls": stalls})
