"""The shopping-list and cari-di-pasar API: preview, into the cart, the courier's price, the buyer's answer."""

import pytest

from pasar.catalog.models import Commodity
from pasar.orders.models import CartLine, CartRequest, Order, SearchLine
from pasar.orders.services import fulfilment, search
from pasar.orders.services.placement import Checkout, order_place
from pasar.orders.tests import staff_scenarios as sc
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def buyer(client):
    user = factories.user(name="Sari")
    client.force_login(user)
    return user


@pytest.fixture
def tempe(vocabulary, stall):
    commodity = Commodity.objects.get(name="Tempe")
    return factories.product(stall=stall, name="Tempe Murni", unit="papan", price=5000, commodity_obj=commodity)


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_preview_then_put_in_the_cart(client, buyer, market, tempe):
    url = f"/api/v1/cart/{market.slug}/list"
    response = _post(client, url, {"text": "tempe 2 papan\nkemangi 3rb\n5 kg", "preview": True})
    assert response.status_code == 200
    body = response.json()
    assert [(line["kind"], line["raw"]) for line in body["lines"]] == [
        ("product", "tempe 2 papan"), ("search", "kemangi 3rb"), ("flagged", "5 kg"),
    ]  # fmt: skip
    assert body["lines"][0]["product"]["id"] == tempe.pk
    assert body["lines"][0]["quantity"] == "2"
    assert body["lines"][1]["cap"] == 3000
    assert body["estimate"] == 13000
    assert body["written"] is False
    assert not CartLine.objects.exists()

    response = _post(client, url, {"text": "tempe 2 papan\nkemangi 3rb\n5 kg", "caps": {"1": 4000}})
    assert response.status_code == 200
    assert response.json()["written"] is True
    assert CartLine.objects.get().quantity == 2
    assert CartRequest.objects.get().price_cap == 4000


def test_a_list_too_long_is_400_and_writes_nothing(client, buyer, market, tempe):
    response = _post(client, f"/api/v1/cart/{market.slug}/list", {"text": "tempe 1\n" * 300})
    assert response.status_code == 400
    assert response.json()["code"] == "list_too_long"
    assert not CartLine.objects.exists()


def test_courier_price_and_buyer_decision_over_the_api(client, buyer, market):
    search.cart_request_add(buyer=buyer, market=market, text="Kemangi", price_cap=5000)
    checkout = Checkout(
        market=market,
        fulfilment="delivery",
        payment_method="cod",
        idempotency_key="a1",
        address="Jl. Cihapit 1",
        latitude=market.latitude + 0.01,
        longitude=market.longitude,
    )
    order = order_place(buyer=buyer, checkout=checkout)
    line = order.search_lines.get()
    rider = sc.courier(market)
    fulfilment.courier_take(order=order, courier=rider)
    client.force_login(rider)
    url = f"/api/v1/courier/orders/{order.pk}/search-lines/{line.pk}/bought"
    assert _post(client, url, {"amount": 0}).status_code == 422
    response = _post(client, url, {"amount": 4500})
    assert response.status_code == 200
    assert response.json()["search_lines"][0]["state"] == "bought"
    assert response.json()["search_lines"][0]["bought_amount"] == 4500

    client.force_login(buyer)
    response = _post(client, f"/api/v1/orders/{order.number}/search-lines/{line.pk}/decision", {"approve": True})
    assert response.status_code == 200
    body = response.json()
    assert body["bought_total"] == 4500
    assert body["search_lines"][0]["amount"] == 4500
    assert body["state"] == Order.State.PICKED_UP
    again = _post(client, f"/api/v1/orders/{order.number}/search-lines/{line.pk}/decision", {"approve": False})
    assert again.status_code == 400
    assert again.json()["code"] == "nothing_to_approve"
    assert SearchLine.objects.get().state == SearchLine.State.APPROVED


def test_chatter_lines_are_flagged_and_marked(client, buyer, market, tempe):
    body = _post(
        client, f"/api/v1/cart/{market.slug}/list", {"text": "Bu, titip ya\ntempe 2 papan\nmakasih 🙏", "preview": True}
    ).json()

    assert [(line["raw"], line["kind"], line["chatter"]) for line in body["lines"]] == [
        ("Bu", "flagged", True), ("titip ya", "flagged", True), ("tempe 2 papan", "product", False),
        ("makasih 🙏", "flagged", True),
    ]  # fmt: skip
    assert body["lines"][0]["item"] is None
