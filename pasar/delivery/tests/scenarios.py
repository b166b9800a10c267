"""Couriers on duty and ready delivery orders, built through the real services."""

from datetime import datetime, timedelta

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.delivery import services
from pasar.markets.models import Market
from pasar.orders.models import Order
from pasar.orders.tests import staff_scenarios as sc
from pasar.testing import factories
from pasar.testing.clock import TEST_NOW

# The tests' clock, not this module's import time: imported during collection, `timezone.now()` here read the
# wall clock, a day away from the clock the tests run on, so a courier sent "to the back" at the tests' now
# landed ahead of couriers checked in at T0.
T0 = TEST_NOW.replace(microsecond=0)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def couriers(market: Market, n: int, *, capacity: int = 3, start: float = 0) -> list[User]:
    """``n`` couriers checked in one second apart (the first is at the head of the line)."""
    riders = []
    for i in range(n):
        rider = sc.courier(market, f"Kurir {i}")
        services.checkin(courier=rider, market=market, capacity=capacity, now=at(start + i))
        riders.append(rider)
    return riders


def product(market: Market) -> Product:
    return factories.product(stall=factories.stall(market=market), name="Telur", unit="butir", price=2000)


def ready_order(market: Market, item: Product, *, north: float = 0.01, east: float = 0.0) -> Order:
    """A cash-on-delivery order prepared by every stall, to drop ``north``/``east`` degrees away."""
    order = sc.prepare(sc.place(market=market, items=[(item, "1")]))
    Order.objects.filter(pk=order.pk).update(latitude=market.latitude + north, longitude=market.longitude + east)
    order.refresh_from_db()
    return order
