"""Invoice numbers and credit limits under real concurrency (PostgreSQL; SQLite serialises writers)."""

from collections import Counter
from decimal import Decimal

import pytest

from pasar.business import services
from pasar.business.models import Invoice
from pasar.business.tests.scenario import delivered_tempo, hotel
from pasar.orders.models import Order
from pasar.orders.services.cart import cart_set
from pasar.orders.services.placement import Checkout, order_place
from pasar.payments.tests.scenario import courier_of
from pasar.testing import factories
from pasar.testing.concurrency import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

THREADS = 6


@pytest.fixture
def not_invoiced_on_delivery():
    """Deliveries without the automatic invoice, so that the test issues them all at once."""
    from pasar.business.apps import _invoice_delivered_order
    from pasar.orders.signals import order_delivered

    order_delivered.disconnect(dispatch_uid="business.invoice_order")
    yield
    order_delivered.connect(_invoice_delivered_order, dispatch_uid="business.invoice_order")


def test_invoices_issued_together_are_numbered_without_gaps(market, not_invoiced_on_delivery):
    _business, chef = hotel(market, limit=10_000_000)
    courier = courier_of(market)
    orders = [delivered_tempo(market, chef, key=f"k{i}", courier=courier) for i in range(THREADS)]
    assert not Invoice.objects.exists()

    # Each order twice at once: every order gets one invoice, and the numbers are 1..N with no hole.
    def issue(i: int) -> int:
        invoice = services.invoice_issue_for_order(order=orders[i % THREADS])
        assert invoice is not None
        return invoice.number

    results = race(THREADS * 2, issue)

    assert all(outcome == "ok" for outcome, _value in results), results
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    assert Counter(value for _outcome, value in results) == Counter(dict.fromkeys(numbers, 2))


def test_tempo_orders_placed_together_stay_under_the_credit_limit(market):
    business, chef = hotel(market, limit=60_000)
    buyers = []
    for i in range(THREADS):
        buyer = chef if i == 0 else factories.user(name=f"Staf {i}")
        if i:
            services.member_add(business=business, phone=buyer.phone)
        product = factories.product(stall=factories.stall(market=market), price=20_000)
        cart_set(buyer=buyer, product=product, quantity=Decimal(1))  # 20.000 + 8.000 fee each
        buyers.append(buyer)

    def place(i: int) -> str:
        checkout = Checkout(
            market=market, fulfilment="delivery", payment_method="tempo", idempotency_key=f"r{i}",
            address="Jl. Braga 1", latitude=market.latitude + 0.01, longitude=market.longitude,
        )  # fmt: skip
        return order_place(buyer=buyers[i], checkout=checkout).number

    results = race(THREADS, place)

    placed = [value for outcome, value in results if outcome == "ok"]
    refused = [value for outcome, value in results if outcome == "error"]
    assert len(placed) == 2, results  # 2 × 28.000 = 56.000 ≤ 60.000 < 84.000
    assert all(getattr(error, "code", "") == "credit_limit" for error in refused), refused
    assert Order.objects.filter(business=business).count() == 2
