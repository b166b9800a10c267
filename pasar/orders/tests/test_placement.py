from decimal import Decimal

import pytest

from pasar.core.errors import DomainError
from pasar.orders.models import Order, OrderLine
from pasar.orders.services.cart import cart_set
from pasar.orders.services.placement import Checkout, order_place
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def _checkout(market, key="k1", **extra):
    data = {
        "market": market,
        "fulfilment": Order.Fulfilment.DELIVERY,
        "payment_method": Order.PaymentMethod.COD,
        "idempotency_key": key,
        "address": "Jl. Cihapit 1",
        "latitude": market.latitude + 0.01,
        "longitude": market.longitude,
    }
    return Checkout(**(data | extra))


def test_order_from_two_stalls_is_split_per_stall_and_takes_stock(market):
    buyer = factories.user(name="Pembeli")
    a, b = factories.stall(market=market), factories.stall(market=market)
    chili = factories.product(stall=a, name="Cabai", unit="kg", price=40000)
    chili.quantity_step = chili.quantity_min = Decimal("0.25")
    chili.save()
    eggs = factories.product(stall=b, name="Telur Kampung", unit="butir", price=2500, stock=10)
    cart_set(buyer=buyer, product=chili, quantity=Decimal("0.25"), note="yang merah")
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(4))

    order = order_place(buyer=buyer, checkout=_checkout(market))

    assert order.parts.count() == 2
    assert order.goods_estimate == 10000 + 10000
    assert order.delivery_fee == 8000
    assert order.payment_state == Order.PaymentState.UNPAID
    eggs.refresh_from_db()
    assert eggs.stock == 6
    assert list(OrderLine.objects.filter(part__order=order).values_list("note", flat=True)) == ["yang merah", ""]
    assert order.events.get().kind == "placed"


def test_replaying_the_key_returns_the_same_order(market):
    buyer = factories.user()
    product = factories.product(stall=factories.stall(market=market), stock=5)
    cart_set(buyer=buyer, product=product, quantity=Decimal(1))
    first = order_place(buyer=buyer, checkout=_checkout(market))
    again = order_place(buyer=buyer, checkout=_checkout(market))
    assert again.pk == first.pk
    assert Order.objects.count() == 1
    product.refresh_from_db()
    assert product.stock == 4


def test_not_enough_stock_refuses_and_changes_nothing(market):
    buyer, rival = factories.user(), factories.user()
    product = factories.product(stall=factories.stall(market=market), stock=2)
    cart_set(buyer=buyer, product=product, quantity=Decimal(2))
    cart_set(buyer=rival, product=product, quantity=Decimal(2))
    order_place(buyer=rival, checkout=_checkout(market, key="r"))
    with pytest.raises(DomainError) as refused:
        order_place(buyer=buyer, checkout=_checkout(market))
    assert refused.value.code == "insufficient_stock"
    product.refresh_from_db()
    assert product.stock == 0
    assert Order.objects.filter(buyer=buyer).count() == 0
    assert buyer.carts.get().lines.count() == 1


def test_address_outside_the_radius_is_refused(market):
    buyer = factories.user()
    cart_set(buyer=buyer, product=factories.product(stall=factories.stall(market=market)), quantity=Decimal(1))
    with pytest.raises(DomainError) as refused:
        order_place(buyer=buyer, checkout=_checkout(market, latitude=market.latitude + 0.5))
    assert refused.value.code == "outside_radius"
    assert not Order.objects.exists()
