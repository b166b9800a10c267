"""Pickup slots: planned hourly from opening to closing, created lazily by the checkout that books one."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pasar.core.errors import DomainError
from pasar.orders.models import Order, PickupSlot
from pasar.orders.services.cart import cart_set
from pasar.orders.services.placement import Checkout
from pasar.orders.services.slots import order_place_at_slot, slot_plan, slots_ensure
from pasar.testing import factories

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = date(2025, 11, 24)


def test_plan_is_hourly_from_opening_to_closing_in_the_markets_zone(market):
    market.opens_at, market.closes_at, market.timezone = time(5, 0), time(8, 30), "Asia/Makassar"

    plan = slot_plan(market, MONDAY)

    wita = ZoneInfo("Asia/Makassar")
    assert [(p.starts_at, p.ends_at) for p in plan] == [
        (datetime(2025, 11, 24, 5, tzinfo=wita), datetime(2025, 11, 24, 6, tzinfo=wita)),
        (datetime(2025, 11, 24, 6, tzinfo=wita), datetime(2025, 11, 24, 7, tzinfo=wita)),
        (datetime(2025, 11, 24, 7, tzinfo=wita), datetime(2025, 11, 24, 8, tzinfo=wita)),
        (datetime(2025, 11, 24, 8, tzinfo=wita), datetime(2025, 11, 24, 8, 30, tzinfo=wita)),
    ]


def test_ensure_creates_the_missing_slots_once(market):
    PickupSlot.objects.create(
        market=market,
        starts_at=datetime(2025, 11, 24, 9, tzinfo=WIB),
        ends_at=datetime(2025, 11, 24, 10, tzinfo=WIB),
        capacity=3,
        booked=2,
    )

    assert slots_ensure(market=market, day=MONDAY) == 9
    assert slots_ensure(market=market, day=MONDAY) == 0

    slots = list(PickupSlot.objects.filter(market=market).values_list("starts_at", "capacity", "booked"))
    assert len(slots) == 10
    assert (datetime(2025, 11, 24, 9, tzinfo=WIB), 3, 2) in slots  # an existing slot is left as it was
    assert {capacity for _start, capacity, _booked in slots} == {3, 10}


@pytest.fixture
def sunday_noon(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2025, 11, 23, 12, tzinfo=WIB))


def _pickup(market, key="k1"):
    return Checkout(market=market, fulfilment="pickup", payment_method="qris", idempotency_key=key)


def test_booking_creates_the_day_and_takes_one_place(market, sunday_noon):
    buyer = factories.user()
    cart_set(buyer=buyer, product=factories.product(stall=factories.stall(market=market)), quantity=Decimal(1))

    order = order_place_at_slot(buyer=buyer, checkout=_pickup(market), starts_at=datetime(2025, 11, 24, 7, tzinfo=WIB))

    assert PickupSlot.objects.count() == 10
    slot = PickupSlot.objects.get(booked=1)
    assert (order.pickup_slot_id, slot.starts_at, order.fulfilment) == (
        slot.pk,
        datetime(2025, 11, 24, 7, tzinfo=WIB),
        Order.Fulfilment.PICKUP,
    )


@pytest.mark.parametrize(
    "starts_at",
    [
        datetime(2025, 11, 24, 7, 30, tzinfo=WIB),  # not a slot start
        datetime(2025, 11, 23, 13, tzinfo=WIB),  # today, but orders now are for Monday
        datetime(2025, 11, 25, 7, tzinfo=WIB),  # another day
    ],
)
def test_a_time_that_is_not_a_slot_is_refused_and_creates_nothing(market, sunday_noon, starts_at):
    buyer = factories.user()
    cart_set(buyer=buyer, product=factories.product(stall=factories.stall(market=market)), quantity=Decimal(1))

    with pytest.raises(DomainError) as refused:
        order_place_at_slot(buyer=buyer, checkout=_pickup(market), starts_at=starts_at)

    assert refused.value.code == "slot_full"
    assert not PickupSlot.objects.exists()
    assert not Order.objects.exists()


def test_a_refused_order_rolls_its_new_slots_back(market, sunday_noon):
    buyer = factories.user()  # an empty cart

    with pytest.raises(DomainError) as refused:
        order_place_at_slot(buyer=buyer, checkout=_pickup(market), starts_at=datetime(2025, 11, 24, 7, tzinfo=WIB))

    assert refused.value.code == "cart_empty"
    assert not PickupSlot.objects.exists()


def test_replaying_the_key_returns_the_order_without_booking_again(market, sunday_noon):
    buyer = factories.user()
    cart_set(buyer=buyer, product=factories.product(stall=factories.stall(market=market)), quantity=Decimal(1))
    at = datetime(2025, 11, 24, 7, tzinfo=WIB)

    first = order_place_at_slot(buyer=buyer, checkout=_pickup(market), starts_at=at)
    again = order_place_at_slot(buyer=buyer, checkout=_pickup(market), starts_at=at)

    assert again.pk == first.pk
    assert list(PickupSlot.objects.filter(booked__gt=0).values_list("booked", flat=True)) == [1]
