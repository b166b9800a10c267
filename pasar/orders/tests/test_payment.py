"""order_mark_paid: once, for exactly the issued amount, only while the order waits for its payment."""

import pytest

from pasar.core.errors import DomainError
from pasar.orders.models import Order, OrderEvent
from pasar.orders.services.payment import order_mark_paid
from pasar.payments.tests.scenario import make_ready, two_stall_order

pytestmark = pytest.mark.django_db


def snapshot(order):
    return (Order.objects.values().get(pk=order.pk), list(OrderEvent.objects.filter(order=order).values()))


def test_marks_the_order_paid_and_records_an_event(market, roles):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))

    paid = order_mark_paid(order=order, amount=24000, source="fake:tx-1", actor=roles.operator)

    assert paid.payment_state == Order.PaymentState.PAID
    assert Order.objects.get(pk=order.pk).payment_state == Order.PaymentState.PAID
    event = order.events.get(kind="paid")
    assert (event.actor, event.data) == (roles.operator, {"amount": 24000, "source": "fake:tx-1"})


@pytest.mark.parametrize("amount", [23999, 24001, 0, True])
def test_another_amount_is_refused(market, amount):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))
    before = snapshot(order)

    with pytest.raises(DomainError) as refused:
        order_mark_paid(order=order, amount=amount, source="x")

    assert refused.value.code == "amount_mismatch"
    assert snapshot(order) == before


def test_an_order_not_waiting_for_payment_is_refused(market):
    waiting = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))
    order_mark_paid(order=waiting, amount=24000, source="first")
    unweighed = two_stall_order(market, method=Order.PaymentMethod.QRIS, key="k2")
    cod = make_ready(two_stall_order(market, method=Order.PaymentMethod.COD, key="k3"))

    for order in (waiting, unweighed, cod):
        before = snapshot(order)
        with pytest.raises(DomainError) as refused:
            order_mark_paid(order=order, amount=24000, source="again")
        assert refused.value.code == "not_awaiting_payment"
        assert snapshot(order) == before
