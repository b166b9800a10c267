"""Reads scoped to the buyer: carts per market, slot choices, fee quotes, order detail and timeline."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pasar.orders.models import Order, PickupSlot
from pasar.orders.selectors import (
    cart_detail,
    cart_line_count,
    cart_list,
    delivery_quote,
    order_changes,
    order_detail,
    order_list,
    order_timeline,
    pickup_slot_choices,
)
from pasar.orders.services.cart import cart_set
from pasar.orders.services.fulfilment import line_weigh, order_cancel, part_accept
from pasar.orders.services.placement import Checkout, order_place
from pasar.testing import factories

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def buyer():
    return factories.user(name="Sari")


@pytest.fixture
def fish(market):
    product = factories.product(stall=factories.stall(market=market), name="Ikan Nila", unit="kg", price=36000)
    product.quantity_step = product.quantity_min = Decimal("0.25")
    product.save(update_fields=["quantity_step", "quantity_min"])
    return product


def place(buyer, market, key="k1", **extra):
    data = {
        "market": market,
        "fulfilment": "delivery",
        "payment_method": "cod",
        "idempotency_key": key,
        "address": "Jl. Cihapit 12",
        "latitude": market.latitude + 0.01,
        "longitude": market.longitude,
    }
    return order_place(buyer=buyer, checkout=Checkout(**(data | extra)))


def test_cart_detail_groups_per_stall_and_never_creates_a_cart(buyer, market, fish):
    assert cart_detail(buyer=buyer, market=market).stalls == []
    assert not buyer.carts.exists()

    tahu = factories.product(stall=fish.stall, name="Tahu", price=500)
    bayam = factories.product(stall=factories.stall(market=market), name="Bayam", price=2000)
    cart_set(buyer=buyer, product=fish, quantity=Decimal("1.25"))
    cart_set(buyer=buyer, product=tahu, quantity=Decimal(10))
    cart_set(buyer=buyer, product=bayam, quantity=Decimal(2))

    cart = cart_detail(buyer=buyer, market=market)

    assert [[line.product.name for line in group.lines] for group in cart.stalls] == [
        ["Ikan Nila", "Tahu"],
        ["Bayam"],
    ]
    assert [group.estimate for group in cart.stalls] == [45000 + 5000, 4000]
    assert (cart.estimate, cart.count, cart.has_weighed) == (54000, 3, True)
    assert cart_line_count(buyer=buyer, market=market) == 3
    assert cart_line_count(buyer=factories.user(), market=market) == 0


def test_cart_list_holds_only_the_buyers_non_empty_carts(buyer, market, other_market, fish):
    cart_set(buyer=buyer, product=fish, quantity=Decimal("0.5"))
    elsewhere = factories.product(stall=factories.stall(market=other_market))
    cart_set(buyer=buyer, product=elsewhere, quantity=Decimal(1))
    cart_set(buyer=buyer, product=elsewhere, quantity=Decimal(0))  # emptied: its cart row stays
    cart_set(buyer=factories.user(), product=fish, quantity=Decimal(1))

    assert [(c.market, c.line_count) for c in cart_list(buyer=buyer)] == [(market, 1)]  # type: ignore[attr-defined]


def test_slot_choices_skip_past_and_full_windows(market):
    monday = date(2025, 11, 24)
    nine = datetime(2025, 11, 24, 9, tzinfo=WIB)
    PickupSlot.objects.create(market=market, starts_at=nine, ends_at=nine.replace(hour=10), capacity=4, booked=4)
    ten = nine.replace(hour=10)
    PickupSlot.objects.create(market=market, starts_at=ten, ends_at=ten.replace(hour=11), capacity=4, booked=1)

    choices = pickup_slot_choices(market=market, day=monday, now=datetime(2025, 11, 24, 8, 5, tzinfo=WIB))

    assert [(c.starts_at.astimezone(WIB).hour, c.free) for c in choices] == [
        (10, 3),
        (11, 10),
        (12, 10),
        (13, 10),
    ]


def test_delivery_quote_follows_the_markets_tariff_and_radius(market):
    near = delivery_quote(market=market, latitude=market.latitude + 0.01, longitude=market.longitude)
    mid = delivery_quote(market=market, latitude=-6.9407, longitude=market.longitude)
    far = delivery_quote(market=market, latitude=-6.8, longitude=market.longitude)

    assert (near.distance_km, near.fee, near.within_radius) == (Decimal("1.11"), 8000, True)
    assert (mid.distance_km, mid.fee, mid.within_radius) == (Decimal("3.45"), 10000, True)
    assert (far.distance_km, far.fee, far.within_radius) == (Decimal("12.2"), 15000, False)


def test_order_detail_and_list_are_scoped_to_the_buyer(buyer, market, fish):
    cart_set(buyer=buyer, product=fish, quantity=Decimal("0.25"))
    order = place(buyer, market)
    stranger = factories.user()

    assert order_detail(buyer=buyer, number=order.number) == order
    assert order_detail(buyer=stranger, number=order.number) is None
    assert list(order_list(buyer=buyer)) == [order]
    assert list(order_list(buyer=stranger)) == []


def test_timeline_marks_reached_states_and_changes_list_weighed_lines(buyer, market, fish):
    cart_set(buyer=buyer, product=fish, quantity=Decimal("0.25"))
    order = place(buyer, market)
    part = order.parts.get()
    trader = fish.stall.trader.user
    part_accept(part_id=part.pk, actor=trader)
    line = part.lines.get()
    line_weigh(part_id=part.pk, line_id=line.pk, quantity=Decimal("0.3"), amount=10800, actor=trader)

    loaded = order_detail(buyer=buyer, number=order.number)
    assert loaded is not None

    assert [(s.state, s.done, s.at is not None) for s in order_timeline(loaded)] == [
        ("placed", True, True),
        ("confirmed", True, True),
        ("ready", False, False),
        ("picked_up", False, False),
        ("delivered", False, False),
    ]
    assert [(c.pk, c.final_amount, c.needs_approval) for c in order_changes(loaded)] == [(line.pk, 10800, True)]


def test_a_cancelled_pickup_order_ends_its_timeline_at_cancelled(buyer, market, fish, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2025, 11, 23, 12, tzinfo=WIB))
    cart_set(buyer=buyer, product=fish, quantity=Decimal("0.25"))
    nine = datetime(2025, 11, 24, 9, tzinfo=WIB)
    slot = PickupSlot.objects.create(market=market, starts_at=nine, ends_at=nine.replace(hour=10))
    order = place(buyer, market, fulfilment="pickup", payment_method="qris", pickup_slot_id=slot.pk)
    order_cancel(order=order, reason="Salah pesan", actor=buyer)

    loaded = order_detail(buyer=buyer, number=order.number)
    assert loaded is not None

    assert loaded.state == Order.State.CANCELLED
    assert [(s.state, s.done) for s in order_timeline(loaded)] == [("placed", True), ("cancelled", True)]
