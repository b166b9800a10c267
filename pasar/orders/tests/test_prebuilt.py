"""The prebuilt statements read and write what the ORM would, on SQLite and on PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.deletion import Collector
from django.db.models.signals import pre_save
from django.test.utils import CaptureQueriesContext

from pasar.catalog.models import Product
from pasar.orders.models import CartLine, CartRequest, Order, OrderEvent, OrderLine, StallOrder
from pasar.orders.services import prebuilt
from pasar.orders.services.cart import cart_set
from pasar.orders.services.placement import Checkout, order_place
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def _place(market, buyer, products, key="k1"):
    for product, quantity in products:
        cart_set(buyer=buyer, product=product, quantity=quantity)
    checkout = Checkout(
        market=market,
        fulfilment=Order.Fulfilment.DELIVERY,
        payment_method=Order.PaymentMethod.COD,
        idempotency_key=key,
        address="Jl. Cihapit 1",
        latitude=market.latitude + 0.01,
        longitude=market.longitude,
    )
    return order_place(buyer=buyer, checkout=checkout)


def _weighed(stall, name, price):
    product = factories.product(stall=stall, name=name, unit="kg", price=price)
    product.quantity_step = product.quantity_min = Decimal("0.25")
    product.save()
    return product


def test_multi_row_insert_sets_each_key_and_the_orm_reads_the_values_written(market):
    buyer = factories.user()
    stall = factories.stall(market=market)
    chili, eggs = _weighed(stall, "Cabai", 40000), factories.product(stall=stall, name="Telur", stock=9)
    order = _place(market, buyer, [(eggs, Decimal(1))])
    part = order.parts.get()
    lines = [
        OrderLine(
            part=part,
            product=p,
            name=p.name,
            unit=p.unit,
            weighed=p.weighed,
            unit_price=p.price,
            quantity=q,
            estimate=e,
        )
        for p, q, e in ((chili, Decimal("1.25"), 50000), (eggs, Decimal(3), 7500))
    ]
    lines[1].note, lines[1].final_quantity = "yang besar", None

    prebuilt.insert(lines)

    assert all(not line._state.adding for line in lines)
    read = {line.pk: line for line in OrderLine.objects.filter(pk__in=[line.pk for line in lines])}
    for line in lines:
        again = read[line.pk]
        assert (again.product_id, again.quantity, again.estimate, again.note) == (
            line.product_id,
            line.quantity,
            line.estimate,
            line.note,
        )
        assert again.final_quantity is None
        assert again.state == OrderLine.State.PENDING


def test_insert_fills_auto_now_and_adapts_json(market):
    buyer = factories.user()
    order = _place(market, buyer, [(factories.product(stall=factories.stall(market=market)), Decimal(1))])
    event = OrderEvent(order=order, actor=None, kind="note", data={"text": "Ü", "n": [1, 2]})

    prebuilt.insert([event])

    again = OrderEvent.objects.get(pk=event.pk)
    assert again.data == {"text": "Ü", "n": [1, 2]}
    assert again.actor_id is None
    assert event.created_at is not None
    assert again.created_at == event.created_at


def test_a_model_with_save_receivers_is_inserted_through_save(market):
    order = _place(market, factories.user(), [(factories.product(stall=factories.stall(market=market)), Decimal(1))])
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.kind)

    pre_save.connect(receiver, sender=OrderEvent)
    try:
        prebuilt.insert([OrderEvent(order=order, kind="a"), OrderEvent(order=order, kind="b")])
    finally:
        pre_save.disconnect(receiver, sender=OrderEvent)

    assert seen == ["a", "b"]
    assert OrderEvent.objects.filter(order=order, kind__in=["a", "b"]).count() == 2


def test_cart_items_read_what_the_orm_reads(market):
    buyer = factories.user()
    stall = factories.stall(market=market)
    chili, eggs = _weighed(stall, "Cabai", 40000), factories.product(stall=stall, name="Telur", stock=9)
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(2), note="besar")
    cart_set(buyer=buyer, product=chili, quantity=Decimal("0.75"))
    stall.is_open = False
    stall.save()
    cart_id = CartLine.objects.get(product=eggs).cart_id

    items = prebuilt.cart_items(cart_id)

    orm = list(CartLine.objects.filter(cart_id=cart_id).select_related("product__stall").order_by("product_id"))
    assert [i.pk for i in items] == [line.pk for line in orm]
    for item, line in zip(items, orm, strict=True):
        assert (item.quantity, item.note, item.stall_open) == (line.quantity, line.note, line.product.stall.is_open)
        assert str(item.quantity) == str(line.quantity)  # the same scale (1.000, not 1) on both backends
        for field in Product._meta.concrete_fields:
            if field.name in prebuilt.PRODUCT_FIELDS:
                assert getattr(item.product, field.attname) == getattr(line.product, field.attname), field.name
        assert item.product.get_deferred_fields() == {
            f.attname for f in Product._meta.concrete_fields if f.name not in prebuilt.PRODUCT_FIELDS
        }


def test_placement_reads_no_deferred_field_and_stays_within_fifteen_statements(market):
    buyer = factories.user()
    stalls = [factories.stall(market=market) for _ in range(3)]
    products = [
        (factories.product(stall=s, name=f"Barang {i}", stock=50 if i % 2 else None), Decimal(1))
        for s in stalls
        for i in range(5)
    ]
    for product, quantity in products:
        cart_set(buyer=buyer, product=product, quantity=quantity)

    with CaptureQueriesContext(connection) as captured:
        order = _place(market, buyer, [])

    # The transaction's statements (SAVEPOINT … RELEASE here, BEGIN … COMMIT in production); the 15th is
    # the notification task's INSERT after the commit. A deferred product field read on access would add
    # one SELECT per line.
    assert len(captured) <= 14, [q["sql"][:60] for q in captured]
    assert OrderLine.objects.filter(part__order=order).count() == 15
    assert StallOrder.objects.filter(order=order).count() == 3
    assert Product.objects.get(pk=products[1][0].pk).stock == 49


def test_the_cart_rows_placement_deletes_have_no_cascades_or_signals():
    # empty_cart's plain DELETE is what the ORM's fast delete would send: true while these hold.
    for model in (CartLine, CartRequest):
        assert Collector(using="default", origin=None).can_fast_delete(model.objects.all())


def test_row_locks_are_taken_where_the_backend_has_them():
    clause = prebuilt.lock_clause(no_key=True)
    if connection.vendor == "postgresql":
        assert clause == " FOR NO KEY UPDATE"
        assert prebuilt.lock_clause() == " FOR UPDATE"
    else:
        assert clause == ""
