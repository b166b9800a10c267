"""Offline saves of the trader's prices: a queued write applies once per key and a replay gets the first
answer; only the changed rows are sent; a price changed elsewhere is reported, never overwritten."""

import pytest

from pasar.catalog.models import Product
from pasar.runtime.models import IdempotencyRecord
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def trader_client(client, roles, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(roles.trader)
    return client


def _send(client, key, data):
    return client.post("/pedagang/harga/", data, headers={"X-Idempotency-Key": key})


def test_a_key_is_applied_once_and_a_replay_gets_the_first_answer(trader_client, product):
    first = _send(
        trader_client,
        "k-0001-abcdef",
        {
            "partial": "1",
            f"price-{product.pk}": "4.500",
            f"was-price-{product.pk}": str(product.price),
            f"available-{product.pk}": "on",
        },
    )
    Product.objects.filter(pk=product.pk).update(price=4600)  # changed again after the first save

    replay = _send(
        trader_client,
        "k-0001-abcdef",
        {"partial": "1", f"price-{product.pk}": "4.500", f"available-{product.pk}": "on"},
    )

    assert first.status_code == replay.status_code == 302
    assert replay["Location"] == first["Location"] == "/pedagang/harga/"
    assert replay["X-Idempotent-Replay"] == "1"
    assert Product.objects.get(pk=product.pk).price == 4600  # the replay wrote nothing
    assert IdempotencyRecord.objects.count() == 1


def test_a_partial_save_leaves_the_other_rows_alone(trader_client, product, stall):
    other = factories.product(stall=stall, name="Tomat", price=12000)
    other.available = True
    other.save(update_fields=["available"])

    _send(
        trader_client,
        "k-0002-abcdef",
        {
            "partial": "1",
            f"price-{product.pk}": "4500",
            f"was-price-{product.pk}": str(product.price),
            f"available-{product.pk}": "on",
        },
    )

    assert Product.objects.get(pk=product.pk).price == 4500
    other.refresh_from_db()
    assert (other.price, other.available) == (12000, True)  # not in the post: not "unticked"


def test_a_price_changed_elsewhere_is_reported_not_overwritten(trader_client, product):
    read = product.price
    Product.objects.filter(pk=product.pk).update(price=read + 1000)  # the operator's page, another phone

    response = _send(
        trader_client,
        "k-0003-abcdef",
        {
            "partial": "1",
            f"price-{product.pk}": "4500",
            f"was-price-{product.pk}": str(read),
            f"available-{product.pk}": "on",
        },
    )

    assert Product.objects.get(pk=product.pk).price == read + 1000
    page = trader_client.get(response["Location"])
    assert "the price was changed elsewhere" in page.text


def test_without_a_key_the_page_works_as_before(trader_client, product):
    response = trader_client.post("/pedagang/harga/", {f"price-{product.pk}": "4500", f"available-{product.pk}": "on"})

    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).price == 4500
    assert not IdempotencyRecord.objects.exists()


def test_the_service_worker_and_fragments_vary_on_hx_request(client):
    sw = client.get("/sw.js")

    assert sw.status_code == 200
    assert sw["Content-Type"].startswith("text/javascript")
    assert sw["Service-Worker-Allowed"] == "/"
    assert '"/pedagang/"' in sw.text
    assert "HX-Request" in client.get("/")["Vary"]
