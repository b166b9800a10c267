"""The shopping-list pages: preview, into the cart, caps in the cart, the courier's price, the buyer's answer."""

from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pasar.catalog.models import Commodity
from pasar.orders.models import CartLine, CartRequest, Order, SearchLine
from pasar.orders.services import fulfilment, search
from pasar.orders.services.placement import Checkout, order_place
from pasar.orders.tests import staff_scenarios as sc
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def buyer(client):
    user = factories.user(name="Sari")
    client.force_login(user)
    return user


@pytest.fixture
def tempe(vocabulary, stall):
    commodity = Commodity.objects.get(name="Tempe")
    return factories.product(stall=stall, name="Tempe Murni", unit="papan", price=5000, commodity_obj=commodity)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_preview_shows_each_line_and_writes_nothing(client, buyer, market, tempe):
    url = f"/keranjang/{market.slug}/daftar/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "tempe 2 papan\nkemangi 3rb\n😀", "action": "preview"})
    assert response.status_code == 200
    kinds = [line.kind for line in response.context["result"].lines]
    assert kinds == ["product", "search", "flagged"]
    assert "Tempe Murni" in response.text
    assert 'name="cap-1" inputmode="numeric" size="8"\n               value="3000"' in response.text
    assert "Not an item (a greeting, thanks or heading)" in response.text  # an emoji alone is chatter
    assert not CartLine.objects.exists()
    assert not CartRequest.objects.exists()


def test_put_in_the_cart_with_the_buyers_cap_and_an_unticked_line(client, buyer, market, tempe):
    url = f"/keranjang/{market.slug}/daftar/"
    data = {"text": "tempe 2 papan\nkemangi 3rb\npetai 1 papan", "action": "add", "take-0": "1", "take-1": "1",
            "cap-1": "4.500"}  # fmt: skip
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == f"/keranjang/{market.slug}/"
    assert messages_of(response) == ["2 lines are in your cart."]
    assert CartLine.objects.get().quantity == 2
    assert list(CartRequest.objects.values_list("text", "price_cap")) == [("kemangi", 4500)]
    assert "at most Rp4.500" in response.text


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "The list is empty"), ("tempe 1\n" * 10_000, "This list is too long"), ("kemangi 2 ikat", "Set the most")],
)
def test_bad_lists_get_a_clear_message_and_nothing_is_written(client, buyer, market, tempe, text, message):
    response = client.post(f"/keranjang/{market.slug}/daftar/", {"text": text, "action": "add", "take-0": "1"})
    assert response.status_code == 200
    assert message in response.context["error"]
    assert not CartLine.objects.exists()
    assert not CartRequest.objects.exists()


def test_the_buyer_changes_a_cap_and_only_their_own(client, buyer, market):
    request = search.cart_request_add(buyer=buyer, market=market, text="Kemangi", price_cap=5000)
    response = client.post(f"/keranjang/{market.slug}/cari/{request.pk}/", {"cap": "7.000"}, follow=True)
    assert messages_of(response) == ["Cart updated."]
    assert CartRequest.objects.get().price_cap == 7000
    response = client.post(f"/keranjang/{market.slug}/cari/{request.pk}/", {"cap": "nol"}, follow=True)
    assert "Set a price cap" in messages_of(response)[0]
    client.force_login(factories.user(name="Lain"))
    client.post(f"/keranjang/{market.slug}/cari/{request.pk}/", {"remove": "1"})
    assert CartRequest.objects.exists()


def _receipt():
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return SimpleUploadedFile("struk.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_courier_records_the_price_and_the_buyer_approves_it(client, buyer, market, media_root):
    search.cart_request_add(buyer=buyer, market=market, text="Kemangi", quantity="2 ikat", price_cap=5000)
    checkout = Checkout(
        market=market,
        fulfilment="delivery",
        payment_method="cod",
        idempotency_key="v1",
        address="Jl. Cihapit 1",
        latitude=market.latitude + 0.01,
        longitude=market.longitude,
    )
    order = order_place(buyer=buyer, checkout=checkout)
    line = order.search_lines.get()
    rider = sc.courier(market)
    client.force_login(rider)
    page = client.get("/kurir/")
    assert [o.number for o in page.context["available"]] == [order.number]
    client.post("/kurir/", {"action": "take", "order": order.pk}, follow=True)
    response = client.post(
        "/kurir/", {"action": "bought", "order": order.pk, "line": line.pk, f"b{line.pk}-amount": "6.000",
                    f"b{line.pk}-receipt": _receipt()}, follow=True,
    )  # fmt: skip
    assert messages_of(response) == ["Price saved: the buyer approves it on their order page."]
    line.refresh_from_db()
    assert line.state == SearchLine.State.BOUGHT
    assert line.bought_amount == 6000
    assert str(line.receipt_photo.name).endswith(".webp")

    client.force_login(buyer)
    page = client.get(order.get_absolute_url())
    assert "over your cap" in page.text
    response = client.post(f"/pesanan/{order.number}/cari/{line.pk}/keputusan/", {"approve": "1"}, follow=True)
    assert messages_of(response) == ["Thank you: the courier sees your answer."]
    order.refresh_from_db()
    assert order.bought_total == 6000
    assert order.state == Order.State.PICKED_UP
    fulfilment.courier_deliver(order=order, code=order.handover_code, cash=order.total, courier=rider)
    assert Order.objects.get(pk=order.pk).state == Order.State.DELIVERED


def test_another_buyer_cannot_answer_for_a_line(client, buyer, market):
    search.cart_request_add(buyer=buyer, market=market, text="Kemangi", price_cap=5000)
    checkout = Checkout(
        market=market,
        fulfilment="delivery",
        payment_method="cod",
        idempotency_key="v2",
        address="Jl. Cihapit 1",
        latitude=market.latitude + 0.01,
        longitude=market.longitude,
    )
    order = order_place(buyer=buyer, checkout=checkout)
    client.force_login(factories.user(name="Lain"))
    response = client.post(f"/pesanan/{order.number}/cari/{order.search_lines.get().pk}/keputusan/", {"approve": "1"})
    assert response.status_code == 404
