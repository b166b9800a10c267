"""The buyer's pages: add to cart, carts per market, checkout, the order page."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pasar.catalog.models import Product
from pasar.orders.models import CartLine, Order, OrderLine, PickupSlot
from pasar.orders.services.cart import cart_set
from pasar.orders.services.fulfilment import line_weigh, part_accept
from pasar.orders.services.placement import Checkout, order_place
from pasar.testing import factories

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
SUNDAY_NOON = datetime(2025, 11, 23, 12, 0, tzinfo=WIB)  # after the 11.00 cut-off: prepared on Monday


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: SUNDAY_NOON)
    return SUNDAY_NOON


@pytest.fixture
def buyer(client):
    user = factories.user(name="Sari")
    client.force_login(user)
    return user


def weighed(stall, name="Ikan Nila", price=36000, step="0.25"):
    product = factories.product(stall=stall, name=name, unit="kg", price=price)
    product.quantity_step = product.quantity_min = Decimal(step)
    product.save(update_fields=["quantity_step", "quantity_min"])
    return product


@pytest.fixture
def fish(market):
    return weighed(factories.stall(market=market))


@pytest.fixture
def eggs(market):
    return factories.product(stall=factories.stall(market=market), name="Telur", unit="butir", price=2500, stock=10)


def snapshot():
    return (
        list(CartLine.objects.order_by("pk").values()),
        list(Order.objects.values()),
        list(PickupSlot.objects.values()),
        list(Product.objects.order_by("pk").values_list("pk", "stock")),
    )


# Add to cart


def test_product_and_stall_pages_show_the_add_form(client, fish):
    product_page = client.get(f"/produk/{fish.pk}/")
    stall_page = client.get(f"/lapak/{fish.stall_id}/")

    for page in (product_page, stall_page):
        assert f'action="/keranjang/tambah/{fish.pk}/"' in page.text
        assert f'hx-post="/keranjang/tambah/{fish.pk}/"' in page.text
        assert 'value="0,25"' in page.text  # the minimum, written the Indonesian way
        assert "In steps of 0,25 kg." in page.text
        assert 'name="note"' in page.text


def test_adding_puts_the_quantity_and_note_in_the_cart_and_comes_back(client, buyer, fish):
    response = client.post(
        f"/keranjang/tambah/{fish.pk}/",
        {"quantity": "0,75", "note": "ikan dibersihkan", "next": f"/lapak/{fish.stall_id}/"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/lapak/{fish.stall_id}/"
    line = CartLine.objects.get()
    assert (line.cart.buyer, line.cart.market, line.product, line.quantity, line.note) == (
        buyer,
        fish.market,
        fish,
        Decimal("0.750"),
        "ikan dibersihkan",
    )


def test_htmx_add_answers_with_the_cart_badge(client, buyer, fish, eggs):
    client.post(f"/keranjang/tambah/{eggs.pk}/", {"quantity": "2"})
    response = client.post(f"/keranjang/tambah/{fish.pk}/", {"quantity": "0.5"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.strip() == (f'<a class="badge" href="/keranjang/{fish.market.slug}/">✓ 2 items in cart</a>')


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0,3", "Ikan Nila is sold in steps of 0.25 kg."),
        ("0,1", "The minimum for Ikan Nila is 0.25 kg."),
        ("-1", "Quantity must be more than 0 and at most 500."),
        ("satu", "Write the quantity as a number, e.g. 1 or 0,25."),
    ],
)
def test_a_bad_quantity_is_refused_and_changes_nothing(client, buyer, fish, quantity, message):
    before = snapshot()

    response = client.post(f"/keranjang/tambah/{fish.pk}/", {"quantity": quantity}, headers={"HX-Request": "true"})

    assert response.text.strip() == f'<span class="errorlist">{message}</span>'
    assert snapshot() == before


def test_anonymous_add_goes_to_login_and_back(client, fish):
    response = client.post(f"/keranjang/tambah/{fish.pk}/", {"quantity": "1", "next": f"/produk/{fish.pk}/"})

    assert response.status_code == 302
    assert response["Location"] == f"/akun/masuk/?next=/produk/{fish.pk}/"
    assert not CartLine.objects.exists()


def test_next_to_another_site_is_ignored(client, buyer, eggs):
    response = client.post(f"/keranjang/tambah/{eggs.pk}/", {"quantity": "1", "next": "https://evil.example/"})

    assert response["Location"] == f"/produk/{eggs.pk}/"


# Carts


def test_cart_page_groups_lines_per_stall_with_an_estimate(client, buyer, fish, eggs):
    cart_set(buyer=buyer, product=fish, quantity=Decimal("0.25"), note="ikan dibersihkan")
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(4))

    response = client.get(f"/keranjang/{fish.market.slug}/")

    cart = response.context["cart"]
    assert [[line.product for line in group.lines] for group in cart.stalls] == [[fish], [eggs]] or [
        [line.product for line in group.lines] for group in cart.stalls
    ] == [[eggs], [fish]]
    assert cart.estimate == 9000 + 10000
    assert '<span class="price" id="cart-total">Rp19.000</span>' in response.text
    assert "Estimate — the final price follows the weighing." in response.text
    assert 'value="ikan dibersihkan"' in response.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in response.text


def test_cart_without_weighed_goods_shows_a_plain_total(client, buyer, eggs):
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(2))

    response = client.get(f"/keranjang/{eggs.market.slug}/")

    assert "Estimate — the final price follows the weighing." not in response.text
    assert "Total: " in response.text


def count_queries(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(captured)


def test_cart_page_queries_stay_constant(client, buyer, market):
    def add(n):
        for _ in range(n):
            stall = factories.stall(market=market)
            for name in ("Bayam", "Kangkung"):
                cart_set(buyer=buyer, product=factories.product(stall=stall, name=name), quantity=Decimal(1))

    add(2)
    few = count_queries(client, f"/keranjang/{market.slug}/")
    add(4)
    many = count_queries(client, f"/keranjang/{market.slug}/")

    assert few == many <= 10


def test_switching_market_keeps_both_carts(client, buyer, fish, other_market):
    elsewhere = factories.product(stall=factories.stall(market=other_market), name="Tempe")
    cart_set(buyer=buyer, product=fish, quantity=Decimal("0.5"))
    cart_set(buyer=buyer, product=elsewhere, quantity=Decimal(3))

    response = client.get("/keranjang/")

    assert sorted((c.market.slug, c.line_count) for c in response.context["carts"]) == [
        (fish.market.slug, 1),
        (other_market.slug, 1),
    ]


def test_cart_line_changes_and_removal(client, buyer, fish):
    cart_set(buyer=buyer, product=fish, quantity=Decimal("0.25"))
    url = f"/keranjang/{fish.market.slug}/baris/{fish.pk}/"

    client.post(url, {"quantity": "1,5", "note": "potong kecil"}, follow=True)
    assert CartLine.objects.values_list("quantity", "note").get() == (Decimal("1.500"), "potong kecil")

    before = snapshot()
    refused = client.post(url, {"quantity": "1,3"}, follow=True)
    assert [str(m) for m in refused.context["messages"]] == ["Ikan Nila is sold in steps of 0.25 kg."]
    assert snapshot() == before

    client.post(url, {"remove": "1"})
    assert not CartLine.objects.exists()


def test_a_product_of_another_market_is_not_in_this_markets_cart(client, buyer, fish, other_market):
    assert client.post(f"/keranjang/{other_market.slug}/baris/{fish.pk}/", {"quantity": "1"}).status_code == 404


# Checkout


@pytest.fixture
def filled(buyer, fish, eggs):
    cart_set(buyer=buyer, product=fish, quantity=Decimal("0.25"), note="ikan dibersihkan")
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(4))
    return fish.market


def checkout_form(response, **data):
    form = response.context["form"]
    return {
        "idempotency_key": form["idempotency_key"].value(),
        "prepared_for": str(form["prepared_for"].value()),
        "fulfilment": "delivery",
        "payment_method": "cod",
        "address": "Jl. Cihapit 12",
        "lat": "-6.9007",
        "lng": "107.6227",
        "action": "place",
    } | data


def test_checkout_tells_the_day_before_paying_and_writes_nothing(client, now, filled):
    before = snapshot()

    response = client.get(f"/keranjang/{filled.slug}/checkout/")

    assert response.status_code == 200
    assert "Orders after 11.00 are prepared on the next market day (Monday, 24 Nov)." in response.text
    assert "Place order for Monday, 24 Nov" in response.text
    assert [s.starts_at.astimezone(WIB).hour for s in response.context["slots"]] == list(range(4, 14))
    assert {s.free for s in response.context["slots"]} == {10}
    assert len(response.context["form"]["idempotency_key"].value()) == 32
    assert snapshot() == before


def test_before_the_cut_off_the_order_is_for_today(client, monkeypatch, filled):
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2025, 11, 23, 9, 30, tzinfo=WIB))

    response = client.get(f"/keranjang/{filled.slug}/checkout/")

    assert "Your order is prepared today (Sunday, 23 Nov)." in response.text
    assert [s.starts_at.astimezone(WIB).hour for s in response.context["slots"]] == [10, 11, 12, 13]


def test_checking_the_fee_shows_it_and_places_nothing(client, now, filled):
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    before = snapshot()

    response = client.post(
        page.request["PATH_INFO"], checkout_form(page, action="quote", lat="-6.9407", payment_method="")
    )

    # 8000 + 1.45 km × 1500 beyond the free 2 km = 10175, rounded to Rp500.
    assert response.context["quote"].fee == 10000
    assert response.context["quote"].distance_km == Decimal("3.45")
    assert '<span class="price">Rp10.000</span>' in response.text
    assert snapshot() == before


def test_an_address_outside_the_radius_is_refused(client, now, filled):
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    before = snapshot()

    response = client.post(page.request["PATH_INFO"], checkout_form(page, lat="-6.8"))

    message = "This address is 12.2 km from the market; it delivers within 5.0 km. Choose pickup instead."
    assert response.context["outside_message"] == message
    assert response.context["form"].non_field_errors() == [message]
    assert snapshot() == before


def test_delivery_with_cash_places_one_order_even_when_tapped_twice(client, now, buyer, filled, eggs):
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    data = checkout_form(page)

    first = client.post(page.request["PATH_INFO"], data)
    second = client.post(page.request["PATH_INFO"], data)

    order = Order.objects.get()
    assert first["Location"] == second["Location"] == f"/pesanan/{order.number}/"
    assert (order.fulfilment, order.payment_method, order.delivery_fee, order.goods_estimate) == (
        "delivery",
        "cod",
        8000,
        19000,
    )
    assert order.for_date.isoformat() == "2025-11-24"
    assert order.parts.count() == 2
    assert not CartLine.objects.exists()
    eggs.refresh_from_db()
    assert eggs.stock == 6


def test_pickup_creates_the_days_slots_and_books_one(client, now, filled):
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    nine = page.context["slots"][5]

    client.post(
        page.request["PATH_INFO"],
        checkout_form(page, fulfilment="pickup", payment_method="transfer", pickup_at=nine.starts_at.isoformat()),
    )

    order = Order.objects.get()
    assert order.pickup_slot is not None
    assert order.pickup_slot.starts_at.astimezone(WIB).hour == 9
    assert PickupSlot.objects.count() == 10
    assert list(PickupSlot.objects.filter(booked=1).values_list("pk", flat=True)) == [order.pickup_slot_id]
    assert order.payment_state == Order.PaymentState.AWAITING_WEIGHING


def test_a_full_slot_is_refused_and_changes_nothing(client, now, filled):
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    nine = page.context["slots"][5]
    PickupSlot.objects.create(market=filled, starts_at=nine.starts_at, ends_at=nine.ends_at, capacity=1, booked=1)
    before = snapshot()

    response = client.post(
        page.request["PATH_INFO"],
        checkout_form(page, fulfilment="pickup", payment_method="qris", pickup_at=nine.starts_at.isoformat()),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["pickup_at"] == [
        f"Select a valid choice. {nine.starts_at.isoformat()} is not one of the available choices."
    ]
    assert snapshot() == before


def test_a_slot_that_fills_while_choosing_is_refused_and_changes_nothing(client, now, filled):
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    nine = page.context["slots"][5]
    data = checkout_form(page, fulfilment="pickup", payment_method="qris", pickup_at=nine.starts_at.isoformat())
    PickupSlot.objects.create(market=filled, starts_at=nine.starts_at, ends_at=nine.ends_at, capacity=2, booked=1)
    # Another buyer takes the last place between this buyer's page load and their tap.
    from pasar.orders.selectors import pickup_slot_choices

    assert [s.free for s in pickup_slot_choices(market=filled, day=nine.starts_at.date(), now=now)][5] == 1
    PickupSlot.objects.filter(starts_at=nine.starts_at).update(booked=2)
    before = snapshot()

    response = client.post(page.request["PATH_INFO"], data)

    assert response.status_code == 200
    assert "pickup_at" in response.context["form"].errors
    assert snapshot() == before


def test_cash_on_delivery_is_refused_for_pickup(client, now, filled):
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    before = snapshot()

    response = client.post(
        page.request["PATH_INFO"],
        checkout_form(page, fulfilment="pickup", pickup_at=page.context["slots"][0].starts_at.isoformat()),
    )

    assert response.context["form"].non_field_errors() == [
        "Cash on delivery needs delivery; at pickup pay by transfer or QRIS."
    ]
    assert snapshot() == before


def test_when_the_cut_off_passes_before_confirming_the_buyer_is_told_again(client, monkeypatch, filled):
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2025, 11, 23, 10, 59, tzinfo=WIB))
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2025, 11, 23, 11, 1, tzinfo=WIB))
    before = snapshot()

    response = client.post(page.request["PATH_INFO"], checkout_form(page))

    assert response.context["form"].non_field_errors() == [
        "The cut-off has passed: your order is now prepared on Monday, 24 Nov. Check and confirm again."
    ]
    assert 'name="prepared_for" value="2025-11-24"' in response.text
    assert snapshot() == before
    again = client.post(page.request["PATH_INFO"], checkout_form(response))
    assert again.status_code == 302
    assert Order.objects.get().for_date.isoformat() == "2025-11-24"


# Orders


def place(buyer, market, key="k1", **extra):
    data = {
        "market": market,
        "fulfilment": Order.Fulfilment.DELIVERY,
        "payment_method": Order.PaymentMethod.COD,
        "idempotency_key": key,
        "address": "Jl. Cihapit 12",
        "latitude": market.latitude + 0.01,
        "longitude": market.longitude,
    }
    return order_place(buyer=buyer, checkout=Checkout(**(data | extra)))


def test_order_page_shows_the_timeline_code_and_lines(client, now, buyer, filled):
    order = place(buyer, filled)

    response = client.get(f"/pesanan/{order.number}/")

    assert response.status_code == 200
    assert [(s.state, s.done) for s in response.context["timeline"]] == [
        ("placed", True),
        ("confirmed", False),
        ("ready", False),
        ("picked_up", False),
        ("delivered", False),
    ]
    assert f'<p class="code" id="handover-code">{order.handover_code}</p>' in response.text
    assert 'hx-trigger="every 15s"' in response.text
    assert "“ikan dibersihkan”" in response.text
    assert 'Estimated total: <span class="price">Rp27.000</span>' in response.text
    assert f'<a href="/pesanan/{order.number}/">Reload</a>' in response.text


def test_order_page_polling_gets_only_the_status_fragment(client, now, buyer, filled):
    order = place(buyer, filled)

    response = client.get(f"/pesanan/{order.number}/", headers={"HX-Request": "true"})

    text = response.text.strip()
    assert text.startswith('<div id="order-status" hx-get=')
    assert "<html" not in text


def test_order_page_queries_stay_constant(client, now, buyer, market):
    def order_with(stalls, key):
        for _ in range(stalls):
            stall = factories.stall(market=market)
            for name in ("Bayam", "Kangkung"):
                cart_set(buyer=buyer, product=factories.product(stall=stall, name=name), quantity=Decimal(1))
        return place(buyer, market, key=key)

    small, big = order_with(1, "a"), order_with(4, "b")

    assert count_queries(client, f"/pesanan/{small.number}/") == count_queries(client, f"/pesanan/{big.number}/")
    assert count_queries(client, f"/pesanan/{big.number}/") <= 10
    assert count_queries(client, "/pesanan/") <= 10


def test_weighed_beyond_tolerance_waits_for_the_buyers_approval(client, now, buyer, filled, fish):
    order = place(buyer, filled)
    part = order.parts.get(stall=fish.stall)
    line = part.lines.get()
    part_accept(part_id=part.pk, actor=fish.stall.trader.user)
    line_weigh(part_id=part.pk, line_id=line.pk, quantity=Decimal("0.4"), amount=14400, actor=fish.stall.trader.user)

    page = client.get(f"/pesanan/{order.number}/")
    assert "Ikan Nila weighed 0,4 kg (ordered 0,25): Rp14.400" in page.text
    assert f'action="/pesanan/{order.number}/baris/{line.pk}/keputusan/"' in page.text

    response = client.post(f"/pesanan/{order.number}/baris/{line.pk}/keputusan/", {"approve": "1"})

    assert response["Location"] == f"/pesanan/{order.number}/"
    line.refresh_from_db()
    assert (line.needs_approval, line.state, line.final_amount) == (False, OrderLine.State.AVAILABLE, 14400)
    assert order.events.last().kind == "buyer_decided"
    page = client.get(f"/pesanan/{order.number}/")  # the estimate follows the approved weight at once
    assert page.context["estimated_due"] == order.goods_estimate - line.estimate + 14400 + order.delivery_fee


def test_a_weight_exactly_as_ordered_is_not_listed_as_a_change(client, now, buyer, filled, fish):
    order = place(buyer, filled)
    part = order.parts.get(stall=fish.stall)
    line = part.lines.get()
    part_accept(part_id=part.pk, actor=fish.stall.trader.user)
    line_weigh(
        part_id=part.pk, line_id=line.pk, quantity=line.quantity, amount=line.estimate, actor=fish.stall.trader.user
    )

    page = client.get(f"/pesanan/{order.number}/")

    assert page.context["changes"] == []


def test_deciding_a_line_without_a_question_changes_nothing(client, now, buyer, filled):
    order = place(buyer, filled)
    line = OrderLine.objects.filter(part__order=order).order_by("pk")[0]
    before = list(OrderLine.objects.values()), order.events.count()

    response = client.post(f"/pesanan/{order.number}/baris/{line.pk}/keputusan/", {"approve": "1"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Nothing to approve on this line."]
    assert (list(OrderLine.objects.values()), order.events.count()) == before


def test_transfer_panel_shows_the_exact_amount_with_its_unique_code(client, now, buyer, filled, settings):
    settings.PASAR_BANK_ACCOUNT = "BRI 0123-01-000123-30-1 a.n. Koperasi Pasar Cihapit"
    order = place(buyer, filled, payment_method=Order.PaymentMethod.TRANSFER)
    Order.objects.filter(pk=order.pk).update(
        goods_total=19000, unique_code=123, amount_due=27123, payment_state=Order.PaymentState.AWAITING_PAYMENT
    )

    response = client.get(f"/pesanan/{order.number}/")

    assert '<p class="code" id="amount-due">Rp27.123</p>' in response.text
    assert "unique code <mark>123</mark>" in response.text
    assert "BRI 0123-01-000123-30-1 a.n. Koperasi Pasar Cihapit" in response.text
    assert 'Final amount: <span class="price">Rp27.000</span>' in response.text


def test_another_buyers_order_is_404_and_hidden_from_the_list(client, now, buyer, filled, fish):
    stranger = factories.user(name="Orang Lain")
    cart_set(buyer=stranger, product=fish, quantity=Decimal("0.25"))
    theirs = place(stranger, filled, key="x")
    line = OrderLine.objects.get(part__order=theirs)

    assert client.get(f"/pesanan/{theirs.number}/").status_code == 404
    assert client.post(f"/pesanan/{theirs.number}/baris/{line.pk}/keputusan/", {"approve": "1"}).status_code == 404
    assert list(client.get("/pesanan/").context["orders"]) == []
