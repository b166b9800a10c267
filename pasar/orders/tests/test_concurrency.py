"""Order guarantees under real concurrency: threads, each with its own database connection.

Every race starts at a barrier so the threads hit the services together. On PostgreSQL the row
locks and conditional UPDATEs decide; on SQLite the IMMEDIATE transaction mode queues writers.
"""

import threading
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from pasar.catalog.models import Product
from pasar.core.errors import DomainError
from pasar.orders.models import Order, OrderLine, StallOrder
from pasar.orders.services import fulfilment
from pasar.orders.services.cart import cart_set
from pasar.orders.services.fulfilment import (
    buyer_decide,
    courier_take,
    line_mark,
    line_substitute,
    order_cancel,
    part_accept,
    part_ready,
)
from pasar.orders.services.placement import Checkout, InsufficientStock, order_place
from pasar.orders.tests import staff_scenarios as sc
from pasar.testing import factories
from pasar.testing.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = 40


def _checkout(market, key: str, **extra) -> Checkout:
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


def _unexpected(results: list[tuple[str, Any]]) -> list[Any]:
    return [value for kind, value in results if kind == "error" and not isinstance(value, DomainError)]


@pytest.mark.parametrize(("stock", "wanted"), [(5, 1), (7, 2)])
def test_buyers_racing_for_the_last_units_never_oversell(market, stock, wanted):
    """40 buyers, ``stock`` units: exactly the stock that fits is sold, every loser gets InsufficientStock."""
    product = factories.product(stall=factories.stall(market=market), name="Telur", unit="butir", stock=stock)
    buyers = [factories.user(name=f"Pembeli {i}") for i in range(BUYERS)]
    for buyer in buyers:
        cart_set(buyer=buyer, product=product, quantity=Decimal(wanted))

    results = race(BUYERS, lambda i: order_place(buyer=buyers[i], checkout=_checkout(market, f"k{i}")))

    assert _unexpected(results) == []
    winners = [value for kind, value in results if kind == "ok"]
    losers = [value for kind, value in results if kind == "error"]
    assert len(winners) == stock // wanted
    assert len(losers) == BUYERS - stock // wanted
    assert all(isinstance(exc, InsufficientStock) and exc.code == "insufficient_stock" for exc in losers)
    assert all(exc.names == ["Telur"] and "Telur" in exc.message for exc in losers)
    product.refresh_from_db()
    assert product.stock == stock % wanted
    assert Order.objects.count() == stock // wanted
    assert sum(OrderLine.objects.values_list("stock_taken", flat=True)) == stock - stock % wanted
    assert len({order.buyer_id for order in winners}) == stock // wanted
    # A loser keeps the cart to adjust; a winner's cart is emptied.
    winner_ids = {order.buyer_id for order in winners}
    for buyer in buyers:
        assert buyer.carts.get().lines.count() == (0 if buyer.pk in winner_ids else 1)


def test_buyers_racing_for_two_counted_products_take_both_or_neither(market):
    """Several counted lines are locked together and taken in one statement: never half an order."""
    eggs = factories.product(stall=factories.stall(market=market), name="Telur", unit="butir", stock=5)
    tofu = factories.product(stall=factories.stall(market=market), name="Tahu", unit="potong", stock=8)
    buyers = [_buyer_with(market, [tofu, eggs] if i % 2 else [eggs, tofu], f"Pembeli {i}") for i in range(BUYERS)]

    results = race(BUYERS, lambda i: order_place(buyer=buyers[i], checkout=_checkout(market, f"k{i}")))

    assert _unexpected(results) == []
    losers = [value for kind, value in results if kind == "error"]
    assert len(losers) == BUYERS - 5
    assert all(isinstance(exc, InsufficientStock) and exc.names == ["Telur"] for exc in losers)
    eggs.refresh_from_db()
    tofu.refresh_from_db()
    assert (eggs.stock, tofu.stock) == (0, 3)
    assert OrderLine.objects.filter(product=tofu).count() == OrderLine.objects.filter(product=eggs).count() == 5


def test_double_submit_of_one_key_from_eight_threads_places_one_order(market):
    """A double tap (or retried request) racing itself yields one order, and the stock is taken once."""
    product = factories.product(stall=factories.stall(market=market), stock=5)
    buyer = factories.user()
    cart_set(buyer=buyer, product=product, quantity=Decimal(2))

    results = race(8, lambda _i: order_place(buyer=buyer, checkout=_checkout(market, "same-key")))

    assert [kind for kind, _value in results] == ["ok"] * 8, [value for _kind, value in results]
    order = Order.objects.get()
    assert {value.pk for _kind, value in results} == {order.pk}
    product.refresh_from_db()
    assert product.stock == 3
    assert list(OrderLine.objects.values_list("stock_taken", flat=True)) == [2]
    assert order.events.filter(kind="placed").count() == 1


def _ready_order(market, *, buyer, product, key: str, payment_method: str = Order.PaymentMethod.COD) -> Order:
    """A delivery order taken through placement, acceptance, marking and readiness."""
    cart_set(buyer=buyer, product=product, quantity=Decimal(1))
    order = order_place(buyer=buyer, checkout=_checkout(market, key, payment_method=payment_method))
    trader = product.stall.trader.user
    part = order.parts.get()
    part_accept(part_id=part.pk, actor=trader)
    line_mark(part_id=part.pk, line_id=part.lines.get().pk, available=True, actor=trader)
    part_ready(part_id=part.pk, actor=trader)
    order.refresh_from_db()
    return order


def test_two_couriers_taking_one_order_exactly_one_wins(market):
    product = factories.product(stall=factories.stall(market=market), stock=3)
    order = _ready_order(market, buyer=factories.user(), product=product, key="k")
    assert order.state == Order.State.READY
    couriers = [sc.courier(market, name=f"Kurir {i}") for i in range(8)]

    results = race(8, lambda i: courier_take(order=Order.objects.get(pk=order.pk), courier=couriers[i]))

    assert _unexpected(results) == []
    assert Counter(kind for kind, _value in results) == {"ok": 1, "error": 7}
    assert {value.code for kind, value in results if kind == "error"} == {"already_taken"}
    winner = next(value for kind, value in results if kind == "ok")
    order.refresh_from_db()
    assert order.courier_id == winner.courier_id
    assert order.courier_id in {courier.pk for courier in couriers}
    assert order.events.filter(kind="courier_assigned").count() == 1


ORDERS = 16


def _accepted_transfer_orders(market, n: int = ORDERS) -> list[StallOrder]:
    """``n`` transfer orders of the same goods and fee, every line marked: each part waits for part_ready."""
    product = factories.product(stall=factories.stall(market=market), price=25000)
    trader = product.stall.trader.user
    parts = []
    for i in range(n):
        buyer = factories.user(name=f"Pembeli {i}")
        cart_set(buyer=buyer, product=product, quantity=Decimal(1))
        order = order_place(
            buyer=buyer, checkout=_checkout(market, f"t{i}", payment_method=Order.PaymentMethod.TRANSFER)
        )
        part = order.parts.get()
        part_accept(part_id=part.pk, actor=trader)
        line_mark(part_id=part.pk, line_id=part.lines.get().pk, available=True, actor=trader)
        parts.append(part)
    return parts


def _issue_concurrently(parts: list[StallOrder]) -> list[Order]:
    trader = parts[0].stall.trader.user
    results = race(len(parts), lambda i: part_ready(part_id=parts[i].pk, actor=trader))
    assert [kind for kind, _value in results] == ["ok"] * len(parts), [value for _kind, value in results]
    return list(Order.objects.order_by("pk"))


def test_concurrent_transfer_amounts_of_the_same_total_are_all_distinct(market):
    parts = _accepted_transfer_orders(market)

    orders = _issue_concurrently(parts)

    base = 25000 + 8000
    assert {order.payment_state for order in orders} == {Order.PaymentState.AWAITING_PAYMENT}
    assert {order.goods_total for order in orders} == {25000}
    assert len({order.amount_due for order in orders}) == ORDERS
    assert all(order.amount_due == base + (order.unique_code or 0) for order in orders)


def test_transfer_codes_stay_distinct_when_every_order_tries_the_same_codes(market, monkeypatch):
    """Every order walks the codes 1, 2, 3, …: only the partial unique index keeps the amounts apart."""
    parts = _accepted_transfer_orders(market)
    monkeypatch.setattr(fulfilment, "candidate_codes", lambda seed: iter(range(1, 1000)))

    orders = _issue_concurrently(parts)

    assert sorted(order.unique_code or 0 for order in orders) == list(range(1, ORDERS + 1))
    assert sorted(order.amount_due or 0 for order in orders) == [33000 + code for code in range(1, ORDERS + 1)]
    assert all(order.events.filter(kind="amount_issued").count() == 1 for order in orders)


def test_the_pending_transfer_index_refuses_a_shared_amount_in_this_database(market):
    """The guarantee is the database's, on SQLite as on PostgreSQL: a second pending transfer of one amount fails."""
    from django.db import IntegrityError, transaction

    parts = _accepted_transfer_orders(market, 2)
    orders = _issue_concurrently(parts)
    first, second = orders
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=second.pk).update(amount_due=first.amount_due)
    second.refresh_from_db()
    assert second.amount_due != first.amount_due
    # Once paid (no longer pending) the amount may recur.
    Order.objects.filter(pk=first.pk).update(payment_state=Order.PaymentState.PAID)
    Order.objects.filter(pk=second.pk).update(amount_due=first.amount_due)
    second.refresh_from_db()
    assert second.amount_due == first.amount_due


CLIENTS = 16


def test_checkout_page_under_sixteen_concurrent_buyers_sells_the_stock_without_a_5xx(market):
    """The buyer's checkout form: winners are redirected to their order, losers see the refusal, never a 5xx."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from pasar.orders.pricing import market_day

    product = factories.product(stall=factories.stall(market=market), name="Telur", unit="butir", stock=3)
    clients = []
    for i in range(CLIENTS):
        buyer = factories.user(name=f"Pembeli {i}")
        cart_set(buyer=buyer, product=product, quantity=Decimal(1))
        client = Client(raise_request_exception=False)
        client.force_login(buyer)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the refusal is asserted in its English msgid
        clients.append(client)
    url = reverse("orders:checkout", kwargs={"slug": market.slug})
    form = {
        "action": "place",
        "fulfilment": Order.Fulfilment.DELIVERY,
        "address": "Jl. Cihapit 1",
        "lat": str(market.latitude + 0.01),
        "lng": str(market.longitude),
        "payment_method": Order.PaymentMethod.COD,
        "note": "",
        "prepared_for": market_day(market, timezone.now()).isoformat(),
    }

    results = race(CLIENTS, lambda i: clients[i].post(url, form | {"idempotency_key": f"web-{i}"}))

    assert [kind for kind, _value in results] == ["ok"] * CLIENTS, [value for _kind, value in results]
    responses = [value for _kind, value in results]
    assert sorted(response.status_code for response in responses) == [200] * (CLIENTS - 3) + [302] * 3
    refusal = "Not enough left of: Telur. Adjust your cart and try again."
    assert all(refusal in response.content.decode() for response in responses if response.status_code == 200)
    winners = [response["Location"] for response in responses if response.status_code == 302]
    orders = Order.objects.all()
    assert sorted(winners) == sorted(order.get_absolute_url() for order in orders)
    product.refresh_from_db()
    assert product.stock == 0
    assert sum(OrderLine.objects.values_list("stock_taken", flat=True)) == 3


PAIRS = 12


def _two_products(market, *, same_stall: bool) -> tuple[Product, Product]:
    """Two counted products whose primary keys run against their stalls' order, so line order != pk order."""
    first_stall = factories.stall(market=market)
    second_stall = first_stall if same_stall else factories.stall(market=market)
    low = factories.product(stall=second_stall, name="Tempe", stock=1000)
    high = factories.product(stall=first_stall, name="Tahu", stock=1000)
    return low, high


def _buyer_with(market, products, name: str):
    buyer = factories.user(name=name)
    for product in products:
        cart_set(buyer=buyer, product=product, quantity=Decimal(1))
    return buyer


def test_cancels_racing_placements_of_the_same_two_products_never_deadlock(market):
    """Cancelling gives stock back in the same (product id) order placing takes it, so PostgreSQL never deadlocks."""
    low, high = _two_products(market, same_stall=False)
    orders = [
        order_place(buyer=_buyer_with(market, [low, high], f"A{i}"), checkout=_checkout(market, f"a{i}"))
        for i in range(PAIRS)
    ]
    buyers = [_buyer_with(market, [low, high], f"B{i}") for i in range(PAIRS)]

    def work(i: int) -> Order:
        if i % 2:
            order = orders[i // 2]
            return order_cancel(order=order, reason="Pembeli batal", actor=order.buyer)
        return order_place(buyer=buyers[i // 2], checkout=_checkout(market, f"b{i}"))

    results = race(2 * PAIRS, work)

    assert [kind for kind, _value in results] == ["ok"] * 2 * PAIRS, _unexpected(results)
    low.refresh_from_db()
    high.refresh_from_db()
    assert (low.stock, high.stock) == (1000 - PAIRS, 1000 - PAIRS)
    assert Order.objects.filter(state=Order.State.CANCELLED).count() == PAIRS


def test_refused_substitutes_racing_placements_never_deadlock(market):
    """Refusing a substitute gives two products' stock back, in product id order like placing takes it."""
    low, high = _two_products(market, same_stall=True)
    trader = high.stall.trader.user
    proposals = []
    for i in range(PAIRS):
        order = order_place(buyer=_buyer_with(market, [high], f"A{i}"), checkout=_checkout(market, f"a{i}"))
        part = order.parts.get()
        substitute = line_substitute(
            part_id=part.pk, line_id=part.lines.get().pk, product=low, quantity=Decimal(1), actor=trader
        )
        proposals.append((order, substitute))
    buyers = [_buyer_with(market, [low, high], f"B{i}") for i in range(PAIRS)]

    def work(i: int) -> object:
        if i % 2:
            order, substitute = proposals[i // 2]
            return buyer_decide(order=order, line_id=substitute.pk, approve=False, actor=order.buyer)
        return order_place(buyer=buyers[i // 2], checkout=_checkout(market, f"b{i}"))

    results = race(2 * PAIRS, work)

    assert [kind for kind, _value in results] == ["ok"] * 2 * PAIRS, _unexpected(results)
    low.refresh_from_db()
    high.refresh_from_db()
    assert (low.stock, high.stock) == (1000 - PAIRS, 1000 - PAIRS)
    assert sum(OrderLine.objects.values_list("stock_taken", flat=True)) == 2 * PAIRS


def test_buyers_racing_for_the_last_pickup_places_never_overbook_the_slot(market):
    """A slot of capacity 3 and 16 buyers: 3 orders, the rest are told the time is full; nothing else changes."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from pasar.orders.models import PickupSlot
    from pasar.orders.pricing import market_day

    day = market_day(market, timezone.now())
    starts = datetime.combine(day, time(9), tzinfo=ZoneInfo(market.timezone))
    slot = PickupSlot.objects.create(market=market, starts_at=starts, ends_at=starts + timedelta(hours=1), capacity=3)
    product = factories.product(stall=factories.stall(market=market), stock=100)
    buyers = [_buyer_with(market, [product], f"P{i}") for i in range(CLIENTS)]
    pickup = {"fulfilment": Order.Fulfilment.PICKUP, "payment_method": Order.PaymentMethod.QRIS}

    results = race(
        CLIENTS,
        lambda i: order_place(buyer=buyers[i], checkout=_checkout(market, f"p{i}", pickup_slot_id=slot.pk, **pickup)),
    )

    assert _unexpected(results) == []
    assert Counter(kind for kind, _value in results) == {"ok": 3, "error": CLIENTS - 3}
    assert {value.code for kind, value in results if kind == "error"} == {"slot_full"}
    slot.refresh_from_db()
    assert slot.booked == 3
    assert Order.objects.filter(pickup_slot=slot).count() == 3
    product.refresh_from_db()
    assert product.stock == 97  # a refused checkout gave its unit back with the rest of its transaction


def test_one_payment_confirmed_from_eight_threads_pays_the_order_once(market):
    """A provider notification, its replay and an operator's confirmation at once: paid exactly once."""
    from pasar.orders.services.payment import order_mark_paid

    product = factories.product(stall=factories.stall(market=market), stock=3)
    order = _ready_order(
        market, buyer=factories.user(), product=product, key="q", payment_method=Order.PaymentMethod.QRIS
    )
    assert order.payment_state == Order.PaymentState.AWAITING_PAYMENT
    amount = order.amount_due or 0

    results = race(8, lambda i: order_mark_paid(order=order, amount=amount, source=f"source {i}"))

    assert _unexpected(results) == []
    assert Counter(kind for kind, _value in results) == {"ok": 1, "error": 7}
    assert {value.code for kind, value in results if kind == "error"} == {"not_awaiting_payment"}
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.PAID
    assert order.events.filter(kind="paid").count() == 1


@pytest.mark.postgres
def test_placing_does_not_wait_for_another_orders_key_share_on_its_products(market):
    """Another placement's order lines hold FOR KEY SHARE on the products (foreign-key checks) until it
    commits. Taking stock must not wait for those locks: two placements waiting on each other's key-share
    locks deadlocked under load with a plain FOR UPDATE."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL row locks")
    eggs = factories.product(stall=factories.stall(market=market), name="Telur", unit="butir", stock=10)
    tofu = factories.product(stall=factories.stall(market=market), name="Tahu", unit="potong", stock=10)
    buyer = _buyer_with(market, [eggs, tofu], "Pembeli")
    holding, release = threading.Event(), threading.Event()

    def hold_key_share() -> None:
        from django.db import connection as other
        from django.db import transaction

        try:
            with transaction.atomic():
                with other.cursor() as cursor:
                    cursor.execute(
                        "SELECT 1 FROM catalog_product WHERE id IN (%s, %s) FOR KEY SHARE", [eggs.pk, tofu.pk]
                    )
                holding.set()
                release.wait(timeout=30)
        finally:
            other.close()

    holder = threading.Thread(target=hold_key_share)
    holder.start()
    try:
        assert holding.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # a wait on the key-share lock fails the test, not hangs it
        order = order_place(buyer=buyer, checkout=_checkout(market, "ks"))
    finally:
        release.set()
        holder.join(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    eggs.refresh_from_db()
    tofu.refresh_from_db()
    assert (eggs.stock, tofu.stock) == (9, 9)
    assert order.parts.count() == 2
