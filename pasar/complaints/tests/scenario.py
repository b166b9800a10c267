"""A delivered two-stall order and the people around it, walked through the real services."""

from dataclasses import dataclass

from pasar.accounts.models import User
from pasar.markets.models import Market, MarketRole
from pasar.orders.models import Order, OrderLine
from pasar.payments.tests.scenario import courier_of, deliver, due, make_ready, two_stall_order
from pasar.testing import factories


@dataclass
class Delivered:
    order: Order
    buyer: User
    line: OrderLine  # the first stall's line, Rp10.000
    trader: User  # who sells ``line``
    other_trader: User
    operator: User
    courier: User


def delivered(market: Market, *, method: str = Order.PaymentMethod.COD, key: str = "k1") -> Delivered:
    order = make_ready(two_stall_order(market, method=method, key=key))
    if method != Order.PaymentMethod.COD:
        from pasar.orders.services.payment import order_mark_paid

        order_mark_paid(order=order, amount=due(order), source="test")
    rider = courier_of(market, name=f"Kurir {key}")
    order = deliver(order, rider)
    parts = list(order.parts.select_related("stall__trader__user").order_by("pk"))
    operator = factories.user(name="Pengelola")
    MarketRole.objects.create(user=operator, market=market, role=MarketRole.Role.OPERATOR)
    return Delivered(
        order=order,
        buyer=order.buyer,
        line=OrderLine.objects.get(part=parts[0]),
        trader=parts[0].stall.trader.user,
        other_trader=parts[1].stall.trader.user,
        operator=operator,
        courier=rider,
    )
