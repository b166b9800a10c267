"""The one gate for payment pages: operators act only on their own market's orders."""

from django.http import Http404

from pasar.accounts.models import Actor
from pasar.markets.access import markets_operated_by
from pasar.markets.models import Market
from pasar.orders.models import Order


def operates_market(user: Actor, market_id: int) -> bool:
    """True for an operator of the market (and platform staff)."""
    return markets_operated_by(user).filter(pk=market_id).exists()


def order_for_operator_or_404(*, user: Actor, market: Market, number: str) -> Order:
    """An order of ``market`` that ``user`` operates; the same 404 for missing and not-yours."""
    if not operates_market(user, market.pk):
        raise Http404
    order = Order.objects.filter(market=market, number=number).select_related("buyer", "market").first()
    if order is None:
        raise Http404
    return order
