"""The one gate for a buyer's orders: only the buyer who placed an order sees or changes it."""

from django.http import Http404

from pasar.accounts.models import Actor, User
from pasar.orders.models import Offer, Order
from pasar.orders.selectors import order_detail


def order_for_buyer_or_404(*, user: Actor, number: str) -> Order:
    """The buyer's own order (parts, lines and events prefetched). Same 404 for "missing" and "not yours",
    so order numbers of other buyers do not leak; staff and operators use their own screens."""
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    order = order_detail(buyer=user, number=number)
    if order is None:
        raise Http404
    return order


def offer_for_buyer_or_404(*, user: Actor, offer_id: int, market_id: int) -> Offer:
    """The buyer's own offer (tawar) in their cart at the market; only the buyer who proposed answers a counter."""
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    offer = Offer.objects.filter(pk=offer_id, buyer=user, cart__market_id=market_id).first()
    if offer is None:
        raise Http404
    return offer
