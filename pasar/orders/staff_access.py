"""The one gate for the staff's order screens: a trader's parts, a courier's market, an operator's orders.

Same 404 for "missing" and "not yours", so ids do not leak.
"""

from django.db.models import QuerySet
from django.http import Http404

from pasar.accounts.models import Actor, User
from pasar.catalog.models import Product
from pasar.markets.models import Market, MarketRole
from pasar.orders.models import Offer, Order, StallOrder
from pasar.traders.access import stalls_of_trader
from pasar.traders.models import Stall


def trader_stalls_or_404(user: Actor) -> list[Stall]:
    """The stalls of a trader; 404 for anyone who holds none."""
    stalls = stalls_of_trader(user)
    if not stalls:
        raise Http404
    return stalls


def part_for_trader_or_404(*, user: Actor, part_id: int) -> StallOrder:
    """A part of an order prepared by one of the user's stalls."""
    if not user.is_authenticated:
        raise Http404
    part = (
        StallOrder.objects.filter(pk=part_id, stall__trader__user=user)
        .select_related("order__market", "stall__market")
        .first()
    )
    if part is None:
        raise Http404
    return part


def courier_markets(user: Actor) -> QuerySet[Market]:
    """Markets where the user rides as a courier."""
    if not user.is_authenticated:
        return Market.objects.none()
    return Market.objects.filter(roles__user=user, roles__role=MarketRole.Role.COURIER)


def courier_or_404(user: Actor) -> tuple[User, list[Market]]:
    """A courier and their markets; 404 for anyone who is not one."""
    markets = list(courier_markets(user).order_by("name"))
    if not markets or not isinstance(user, User):
        raise Http404
    return user, markets


def order_for_courier_or_404(*, user: Actor, order_id: int, own: bool = False) -> Order:
    """A delivery order of one of the courier's markets; with ``own``, only one the user has taken.

    Another courier's order is visible to take (the service then says it is taken), never to deliver.
    """
    orders = Order.objects.filter(pk=order_id, market__in=courier_markets(user), fulfilment=Order.Fulfilment.DELIVERY)
    if own:
        orders = orders.filter(courier_id=user.pk)
    order = orders.first()
    if order is None:
        raise Http404
    return order


def order_for_operator_or_404(*, market: Market, order_id: int) -> Order:
    """An order of a market the caller already passed ``market_for_operator_or_404`` for."""
    order = Order.objects.filter(pk=order_id, market=market).first()
    if order is None:
        raise Http404
    return order


def offer_for_trader_or_404(*, user: Actor, offer_id: int) -> Offer:
    """An offer (tawar) on a product of one of the user's stalls: only that stall's trader answers it."""
    if not user.is_authenticated:
        raise Http404
    offer = Offer.objects.filter(pk=offer_id, product__stall__trader__user=user).first()
    if offer is None:
        raise Http404
    return offer


def product_for_trader_or_404(*, user: Actor, product_id: int) -> Product:
    """A product of one of the user's stalls."""
    if not user.is_authenticated:
        raise Http404
    product = Product.objects.filter(pk=product_id, stall__trader__user=user).first()
    if product is None:
        raise Http404
    return product
