"""The one gate of the courier queue: a courier's own offers and trips, an operator's market.

Same 404 for "missing" and "not yours" (ids do not leak); the services refuse again on their own.
"""

from django.http import Http404

from pasar.accounts.models import Actor, User
from pasar.delivery.models import Job, Offer, Trip
from pasar.markets.models import Market
from pasar.orders.models import Order
from pasar.orders.staff_access import courier_markets, courier_or_404

__all__ = [
    "courier_markets",
    "courier_or_404",
    "job_of_market_or_404",
    "offer_for_courier_or_404",
    "trip_for_courier_or_404",
    "trip_order_for_courier_or_404",
]


def offer_for_courier_or_404(*, user: Actor, offer_id: int) -> Offer:
    offer = Offer.objects.filter(pk=offer_id, courier_id=user.pk).first() if isinstance(user, User) else None
    if offer is None:
        raise Http404
    return offer


def trip_for_courier_or_404(*, user: Actor, trip_id: int) -> Trip:
    trip = Trip.objects.filter(pk=trip_id, courier_id=user.pk).first() if isinstance(user, User) else None
    if trip is None:
        raise Http404
    return trip


def job_of_market_or_404(*, market: Market, order_id: int) -> Job:
    """The job of an order of a market the caller already passed ``market_for_operator_or_404`` for."""
    job = Job.objects.filter(order_id=order_id, market=market).first()
    if job is None:
        raise Http404
    return job


def trip_order_for_courier_or_404(*, user: Actor, trip_id: int, order_id: int) -> Order:
    """An order of the courier's own trip (its job is on that trip and the order is theirs)."""
    order = (
        Order.objects.filter(pk=order_id, courier_id=user.pk, delivery_job__trip_id=trip_id).first()
        if isinstance(user, User)
        else None
    )
    if order is None:
        raise Http404
    return order
