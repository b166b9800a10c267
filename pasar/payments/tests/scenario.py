"""Orders walked through the real services to the state a payment test needs."""

from decimal import Decimal

from pasar.markets.models import Market, MarketRole
from pasar.orders.models import Order
from pasar.orders.services.cart import cart_set
from pasar.orders.services.fulfilment import (
    courier_deliver,
    courier_pick_up,
    courier_take,
    line_mark,
    part_accept,
    part_ready,
)
from pasar.orders.services.placement import Checkout, order_place
from pasar.testing import factories


def two_stall_order(market: Market, *, method: str, key: str = "k1", buyer=None, prices=(10000, 6000)) -> Order:
    """An order from two stalls (one line each at ``prices``), delivered 1.1 km away: fee Rp8.000."""
    buyer = buyer or factories.user(name="Pembeli")
    for price in prices:
        stall = factories.stall(market=market)
        cart_set(buyer=buyer, product=factories.product(stall=stall, price=price), quantity=Decimal(1))
    checkout = Checkout(
        market=market,
        fulfilment=Order.Fulfilment.DELIVERY,
        payment_method=method,
        idempotency_key=key,
        address="Jl. Cihapit 1",
        latitude=market.latitude + 0.01,
        longitude=market.longitude,
    )
    return order_place(buyer=buyer, checkout=checkout)


def make_ready(order: Order) -> Order:
    """Every trader accepts, marks each line available and readies the part (amount issued for transfer/QRIS)."""
    for part in order.parts.select_related("stall__trader__user"):
        trader = part.stall.trader.user
        part_accept(part_id=part.pk, actor=trader)
        for line in part.lines.all():
            line_mark(part_id=part.pk, line_id=line.pk, available=True, actor=trader)
        part_ready(part_id=part.pk, actor=trader)
    order.refresh_from_db()
    return order


def courier_of(market: Market, name: str = "Kurir"):
    courier = factories.user(name=name)
    MarketRole.objects.create(user=courier, market=market, role=MarketRole.Role.COURIER)
    return courier


def deliver(order: Order, courier) -> Order:
    """The courier takes, picks up every part and hands over; COD collects exactly the total."""
    courier_take(order=order, courier=courier)
    for part in order.parts.all():
        courier_pick_up(order=order, part_id=part.pk, courier=courier)
    order.refresh_from_db()
    cash = (order.goods_total or 0) + order.delivery_fee if order.payment_method == Order.PaymentMethod.COD else None
    return courier_deliver(order=order, code=order.handover_code, cash=cash, courier=courier)


def due(order: Order) -> int:
    """The issued amount of a ready transfer/QRIS order."""
    assert order.amount_due is not None
    return order.amount_due
