from decimal import Decimal

import pytest

from pasar.core.errors import DomainError
from pasar.orders.models import Order, PickupSlot
from pasar.orders.services import fulfilment
from pasar.orders.services.cart import cart_set
from pasar.orders.services.payment import order_mark_paid
from pasar.orders.services.placement import Checkout, order_place
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_pickup(market):
    """A QRIS pickup order whose only part is ready, so its amount is issued."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from pasar.orders.pricing import market_day

    day = market_day(market, timezone.now())
    start = timezone.make_aware(datetime.combine(day, time(8)))
    slot = PickupSlot.objects.create(market=market, starts_at=start, ends_at=start + timedelta(hours=1), capacity=2)
    buyer = factories.user(name="Pembeli")
    stall = factories.stall(market=market)
    product = factories.product(stall=stall, name="Tempe", unit="papan", price=6000)
    cart_set(buyer=buyer, product=product, quantity=Decimal(2))
    order = order_place(
        buyer=buyer,
        checkout=Checkout(
            market=market, fulfilment="pickup", payment_method="qris", idempotency_key="p1", pickup_slot_id=slot.pk
        ),
    )
    trader = stall.trader.user
    part = order.parts.get()
    fulfilment.part_accept(part_id=part.pk, actor=trader)
    fulfilment.line_mark(part_id=part.pk, line_id=part.lines.get().pk, available=True, actor=trader)
    fulfilment.part_ready(part_id=part.pk, actor=trader)
    order.refresh_from_db()
    return order


def test_pickup_handover_needs_payment_then_the_code(ready_pickup, market):
    operator = factories.user(name="Operator")
    order = ready_pickup
    assert (order.state, order.payment_state, order.amount_due) == ("ready", "awaiting_payment", 12000)

    with pytest.raises(DomainError) as unpaid:
        fulfilment.pickup_handover(order=order, code=order.handover_code, actor=operator)
    assert unpaid.value.code == "not_paid"

    order_mark_paid(order=order, amount=12000, source="test")
    with pytest.raises(DomainError) as wrong:
        fulfilment.pickup_handover(order=order, code="x", actor=operator)
    assert wrong.value.code == "bad_code"
    order.refresh_from_db()
    assert order.state == Order.State.READY

    fulfilment.pickup_handover(order=order, code=order.handover_code, actor=operator)
    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED
    assert order.events.last().kind == "order_delivered"


def test_pickup_handover_refuses_a_delivery_order(market):
    buyer = factories.user()
    cart_set(buyer=buyer, product=factories.product(stall=factories.stall(market=market)), quantity=Decimal(1))
    order = order_place(
        buyer=buyer,
        checkout=Checkout(
            market=market,
            fulfilment="delivery",
            payment_method="cod",
            idempotency_key="d1",
            address="Jl. A",
            latitude=market.latitude,
            longitude=market.longitude,
        ),
    )
    with pytest.raises(DomainError) as refused:
        fulfilment.pickup_handover(order=order, code=order.handover_code, actor=buyer)
    assert refused.value.code == "not_pickup"
    order.refresh_from_db()
    assert order.state == Order.State.PLACED
