"""The cart, checkout and order API: session auth, exact bodies, refusals that change nothing."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pasar.catalog.models import Product
from pasar.orders.models import CartLine, Order, OrderLine, PickupSlot
from pasar.orders.services.cart import cart_set
from pasar.orders.services.fulfilment import line_weigh, part_accept
from pasar.testing import factories

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
SUNDAY_NOON = datetime(2025, 11, 23, 12, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def now(monkeypatch, settings):
    settings.LANGUAGE_CODE = "en"
    monkeypatch.setattr("django.utils.timezone.now", lambda: SUNDAY_NOON)
    return SUNDAY_NOON


@pytest.fixture
def buyer(client):
    user = factories.user(name="Sari")
    client.force_login(user)
    return user


@pytest.fixture
def fish(market):
    product = factories.product(stall=factories.stall(market=market), name="Ikan Nila", unit="kg", price=36000)
    product.quantity_step = product.quantity_min = Decimal("0.25")
    product.save(update_fields=["quantity_step", "quantity_min"])
    return product


@pytest.fixture
def eggs(market):
    return factories.product(stall=factories.stall(market=market), name="Telur", unit="butir", price=2500, stock=10)


def snapshot():
    return (
        list(CartLine.objects.order_by("pk").values()),
        list(Order.objects.values()),
        list(OrderLine.objects.values()),
        list(PickupSlot.objects.values()),
        list(Product.objects.order_by("pk").values_list("pk", "stock")),
    )


def put(client, market, product, **body):
    return client.put(f"/api/v1/cart/{market.slug}/lines/{product.pk}", body, content_type="application/json")


def checkout(client, key="k-1", **body):
    return client.post("/api/v1/checkout", body, content_type="application/json", headers={"Idempotency-Key": key})


DELIVERY = {"fulfilment": "delivery", "payment_method": "cod", "address": "Jl. Cihapit 12", "latitude": -6.9007,
            "longitude": 107.6227}  # fmt: skip


def test_anonymous_gets_401_everywhere(client, market, fish):
    responses = [
        client.get(f"/api/v1/cart/{market.slug}"),
        put(client, market, fish, quantity="1"),
        client.delete(f"/api/v1/cart/{market.slug}/lines/{fish.pk}"),
        checkout(client, market=market.slug, **DELIVERY),
        client.get("/api/v1/orders"),
        client.get("/api/v1/orders/251124-AAAAAA"),
    ]

    assert [r.status_code for r in responses] == [401] * 6
    assert responses[0].json() == {"detail": "Unauthorized"}
    assert not CartLine.objects.exists()


def test_put_then_get_a_cart_line(client, buyer, market, fish):
    response = put(client, market, fish, quantity="0.75", note="ikan dibersihkan")

    assert response.status_code == 200
    body = response.json()
    assert body["quantity"] == "0.750"
    assert body["note"] == "ikan dibersihkan"
    assert body["estimate"] == 27000
    assert body["product"]["id"] == fish.pk
    assert body["product"]["stall"]["id"] == fish.stall_id
    assert client.get(f"/api/v1/cart/{market.slug}/lines/{fish.pk}").json() == body


def test_cart_has_lines_estimate_day_and_slots(client, buyer, market, fish, eggs):
    cart_set(buyer=buyer, product=fish, quantity=Decimal("0.25"))
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(4))

    body = client.get(f"/api/v1/cart/{market.slug}").json()

    assert body["market"] == {"slug": market.slug, "name": market.name}
    assert sorted(line["estimate"] for line in body["lines"]) == [9000, 10000]
    assert (body["estimate"], body["has_weighed"]) == (19000, True)
    assert (body["prepared_for"], body["order_cutoff"]) == ("2025-11-24", "11:00:00")
    assert body["pickup_slots"][0] == {
        "starts_at": "2025-11-24T04:00:00+07:00",
        "ends_at": "2025-11-24T05:00:00+07:00",
        "free": 10,
    }
    assert len(body["pickup_slots"]) == 10


@pytest.mark.parametrize(
    ("quantity", "code", "detail"),
    [
        ("0.3", "quantity_off_step", "Ikan Nila is sold in steps of 0.25 kg."),
        ("0.1", "quantity_below_min", "The minimum for Ikan Nila is 0.25 kg."),
        ("0", "quantity_range", "Quantity must be more than 0 and at most 500."),
        ("-2", "quantity_range", "Quantity must be more than 0 and at most 500."),
        ("100000", "quantity_range", "Quantity must be more than 0 and at most 500."),
    ],
)
def test_bad_quantities_are_400_and_change_nothing(client, buyer, market, fish, quantity, code, detail):
    before = snapshot()

    response = put(client, market, fish, quantity=quantity)

    assert (response.status_code, response.json()) == (400, {"detail": detail, "code": code})
    assert snapshot() == before


def test_not_a_number_is_422(client, buyer, market, fish):
    response = put(client, market, fish, quantity="satu")

    assert response.status_code == 422
    assert not CartLine.objects.exists()


def test_a_product_of_another_market_is_refused(client, buyer, other_market, fish):
    before = snapshot()

    response = put(client, other_market, fish, quantity="1")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Ikan Nila is from another market.", "code": "wrong_market"},
    )
    assert snapshot() == before


def test_delete_removes_the_line_and_a_missing_line_is_404(client, buyer, market, fish):
    cart_set(buyer=buyer, product=fish, quantity=Decimal("0.5"))

    assert client.delete(f"/api/v1/cart/{market.slug}/lines/{fish.pk}").status_code == 204
    assert not CartLine.objects.exists()
    again = client.delete(f"/api/v1/cart/{market.slug}/lines/{fish.pk}")
    assert (again.status_code, again.json()) == (404, {"detail": "This product is not in your cart."})


def test_checkout_needs_the_idempotency_key(client, buyer, market, eggs):
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(1))
    before = snapshot()

    response = client.post("/api/v1/checkout", {"market": market.slug, **DELIVERY}, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert snapshot() == before


def test_checkout_replay_returns_the_same_order(client, buyer, market, fish, eggs):
    cart_set(buyer=buyer, product=fish, quantity=Decimal("0.25"), note="ikan dibersihkan")
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(4))

    first = checkout(client, market=market.slug, **DELIVERY)
    again = checkout(client, market=market.slug, **DELIVERY)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    body = first.json()
    order = Order.objects.get()
    assert body["number"] == order.number
    assert (body["state"], body["fulfilment"], body["for_date"]) == ("placed", "delivery", "2025-11-24")
    assert (body["goods_estimate"], body["delivery_fee"], body["goods_total"]) == (19000, 8000, None)
    assert (body["payment_method"], body["payment_state"]) == ("cod", "unpaid")
    assert body["handover_code"] == order.handover_code
    assert [len(part["lines"]) for part in body["parts"]] == [1, 1]
    assert [e["kind"] for e in body["events"]] == ["placed"]
    eggs.refresh_from_db()
    assert eggs.stock == 6


def test_checkout_outside_the_radius_is_400_and_changes_nothing(client, buyer, market, eggs):
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(1))
    before = snapshot()

    response = checkout(client, market=market.slug, **(DELIVERY | {"latitude": -6.8}))

    assert response.status_code == 400
    assert response.json() == {
        "detail": "This address is 12.2 km from the market; it delivers within 5.0 km. Choose pickup instead.",
        "code": "outside_radius",
    }
    assert snapshot() == before


def test_pickup_books_a_slot_and_a_full_slot_is_refused(client, buyer, market, eggs):
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(1))
    nine = "2025-11-24T09:00:00+07:00"
    PickupSlot.objects.create(
        market=market,
        starts_at=datetime(2025, 11, 24, 9, tzinfo=WIB),
        ends_at=datetime(2025, 11, 24, 10, tzinfo=WIB),
        capacity=1,
        booked=1,
    )
    pickup = {"market": market.slug, "fulfilment": "pickup", "payment_method": "qris"}
    before = snapshot()

    full = checkout(client, **pickup, pickup_starts_at=nine)

    assert (full.status_code, full.json()["code"]) == (400, "slot_full")
    assert snapshot() == before

    ten = checkout(client, key="k-2", **pickup, pickup_starts_at="2025-11-24T10:00:00+07:00")
    assert ten.status_code == 201
    assert ten.json()["pickup_slot"] == {
        "starts_at": "2025-11-24T10:00:00+07:00",
        "ends_at": "2025-11-24T11:00:00+07:00",
    }
    assert ten.json()["payment_state"] == "awaiting_weighing"
    assert PickupSlot.objects.count() == 10


def test_cash_on_delivery_with_pickup_is_refused(client, buyer, market, eggs):
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(1))
    before = snapshot()

    response = checkout(
        client, market=market.slug, fulfilment="pickup", payment_method="cod",
        pickup_starts_at="2025-11-24T10:00:00+07:00",
    )  # fmt: skip

    assert (response.status_code, response.json()["code"]) == (400, "cod_pickup")
    assert snapshot() == before


def test_orders_list_and_detail_are_the_buyers_own(client, buyer, market, eggs):
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(1))
    mine = checkout(client, market=market.slug, **DELIVERY).json()
    stranger = factories.user(name="Lain")
    cart_set(buyer=stranger, product=eggs, quantity=Decimal(1))
    client.force_login(stranger)
    theirs = checkout(client, market=market.slug, **DELIVERY).json()
    client.force_login(buyer)

    listed = client.get("/api/v1/orders").json()
    assert (listed["count"], [o["number"] for o in listed["items"]]) == (1, [mine["number"]])
    assert client.get(f"/api/v1/orders/{mine['number']}").status_code == 200
    other = client.get(f"/api/v1/orders/{theirs['number']}")
    assert (other.status_code, other.json()) == (404, {"detail": "Order not found."})


def test_decision_approves_an_over_tolerance_weight(client, buyer, market, fish):
    cart_set(buyer=buyer, product=fish, quantity=Decimal("0.25"))
    number = checkout(client, market=market.slug, **DELIVERY).json()["number"]
    order = Order.objects.get(number=number)
    part = order.parts.get()
    line = part.lines.get()
    trader = fish.stall.trader.user
    part_accept(part_id=part.pk, actor=trader)
    line_weigh(part_id=part.pk, line_id=line.pk, quantity=Decimal("0.4"), amount=14400, actor=trader)
    url = f"/api/v1/orders/{number}/lines/{line.pk}/decision"

    response = client.post(url, {"approve": False}, content_type="application/json")

    assert response.status_code == 200
    decided = response.json()["parts"][0]["lines"][0]
    assert (decided["state"], decided["needs_approval"], decided["amount"]) == ("refused", False, 0)
    before = snapshot()
    again = client.post(url, {"approve": True}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (400, "nothing_to_approve")
    assert snapshot() == before
