"""Tawar pages: only the buyer proposes and answers a counter, only the stall's trader answers an offer."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pasar.catalog.services import product_set_bargain_from
from pasar.orders.models import CartLine, Offer, Order
from pasar.orders.services import bargain
from pasar.orders.services.cart import cart_set
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def chili(market):
    product = factories.product(stall=factories.stall(market=market), name="Cabai Merah", unit="kg", price=50000)
    product_set_bargain_from(product=product, quantity=Decimal(5))
    return product


@pytest.fixture
def buyer(chili):
    user = factories.user(name="Pembeli")
    cart_set(buyer=user, product=chili, quantity=Decimal(20))
    return user


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_the_cart_offers_bargaining_only_on_eligible_lines(client, market, chili, buyer):
    eggs = factories.product(stall=chili.stall, name="Telur", unit="butir", price=2500)
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(2))
    client.force_login(buyer)
    page = client.get(reverse("orders:cart", kwargs={"slug": market.slug})).content.decode()
    assert f'id="offer-price-{chili.pk}"' in page
    assert f'id="offer-price-{eggs.pk}"' not in page
    assert "Tawar: harga Anda per kg (Rp)" in page


def test_the_buyer_proposes_and_sees_the_offer_waiting(client, market, chili, buyer):
    client.force_login(buyer)
    url = reverse("orders:offer-propose", kwargs={"slug": market.slug, "product_id": chili.pk})
    response = client.post(url, {"price": "42.000"}, follow=True)
    assert "Tawaran terkirim: pedagang menjawab dalam 30 menit." in _messages(response)
    offer = Offer.objects.get()
    assert offer.proposed_price == 42000
    assert f'id="offer-status-{chili.pk}"' in response.content.decode()
    refused = client.post(url, {"price": "empat puluh"}, follow=True)
    assert "Tulis harga per satuan dalam rupiah bulat, misalnya 42000." in _messages(refused)


def test_the_bounds_refusal_is_shown_in_indonesian(client, market, chili, buyer):
    client.force_login(buyer)
    url = reverse("orders:offer-propose", kwargs={"slug": market.slug, "product_id": chili.pk})
    response = client.post(url, {"price": "10000"}, follow=True)
    assert "Tawaran paling sedikit Rp25.000, separuh harga tertera." in _messages(response)
    assert not Offer.objects.exists()


def test_only_the_stalls_trader_answers(client, chili, buyer):
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    url = reverse("orders_staff:trader-offer-answer", kwargs={"offer_id": offer.pk})
    other = factories.stall(market=chili.market).trader.user
    for intruder in (other, buyer):
        client.force_login(intruder)
        assert client.post(url, {"action": "accept"}).status_code == 404
    client.logout()
    assert client.post(url, {"action": "accept"}).status_code == 302  # to the login page
    offer.refresh_from_db()
    assert offer.state == Offer.State.OPEN

    client.force_login(chili.stall.trader.user)
    page = client.get(reverse("orders_staff:trader-offers")).content.decode()
    assert f'id="offer-{offer.pk}"' in page
    response = client.post(url, {"action": "counter", "price": "46000"}, follow=True)
    assert "Tawar balik terkirim." in _messages(response)
    offer.refresh_from_db()
    assert (offer.state, offer.counter_price) == (Offer.State.COUNTERED, 46000)


def test_another_traders_offers_are_not_listed(client, chili, buyer):
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    other = factories.stall(market=chili.market).trader.user
    client.force_login(other)
    assert f'id="offer-{offer.pk}"' not in client.get(reverse("orders_staff:trader-offers")).content.decode()
    client.force_login(buyer)  # not a trader at all
    assert client.get(reverse("orders_staff:trader-offers")).status_code == 404


def test_only_the_buyer_answers_the_counter(client, market, chili, buyer):
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    bargain.offer_answer(offer_id=offer.pk, action="counter", actor=chili.stall.trader.user, price=46000)
    url = reverse("orders:offer-respond", kwargs={"slug": market.slug, "offer_id": offer.pk})
    for intruder in (factories.user(), chili.stall.trader.user):
        client.force_login(intruder)
        assert client.post(url, {"action": "accept"}).status_code == 404
    client.force_login(buyer)
    response = client.post(url, {"action": "accept"}, follow=True)
    assert "Harga disepakati." in _messages(response)
    assert CartLine.objects.get(product=chili).agreed_price == 46000
    assert "Harga sepakat: Rp46.000/kg" in response.content.decode()
    assert 'id="cart-total">Rp920.000<' in response.content.decode()


def test_the_trader_sets_the_threshold_for_their_own_products_only(client, chili):
    url = reverse("orders_staff:trader-offer-threshold", kwargs={"product_id": chili.pk})
    client.force_login(factories.stall(market=chili.market).trader.user)
    assert client.post(url, {"bargain_from": "10"}).status_code == 404
    client.force_login(chili.stall.trader.user)
    response = client.post(url, {"bargain_from": "0"}, follow=True)
    assert "Tawar dimulai dari jumlah di atas 0 dan paling banyak 500." in _messages(response)
    client.post(url, {"bargain_from": "2,5"})
    chili.refresh_from_db()
    assert chili.bargain_from == Decimal("2.5")
    client.post(url, {"bargain_from": ""})
    chili.refresh_from_db()
    assert chili.bargain_from is None


def test_checkout_with_a_waiting_offer_asks_to_wait_or_take_the_listed_price(client, market, chili, buyer):
    bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    client.force_login(buyer)
    url = reverse("orders:checkout", kwargs={"slug": market.slug})
    page = client.get(url)
    assert 'id="waiting-offers"' in page.content.decode()
    data = {
        "action": "place",
        "fulfilment": "delivery",
        "payment_method": "cod",
        "address": "Jl. Cihapit 1",
        "lat": str(market.latitude + 0.01),
        "lng": str(market.longitude),
        "idempotency_key": "k1",
        "prepared_for": page.context["day"].isoformat(),
    }
    refused = client.post(url, data)
    assert "menunggu jawaban pedagang" in refused.content.decode()
    assert not Order.objects.exists()
    placed = client.post(url, data | {"listed_price": "on"})
    assert placed.status_code == 302
    assert Order.objects.get().parts.get().lines.get().unit_price == 50000


def test_an_offer_past_its_deadline_is_not_listed_to_answer(client, time_machine, chili, buyer):
    from datetime import timedelta

    from django.utils import timezone

    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    client.force_login(chili.stall.trader.user)
    time_machine.move_to(timezone.now() + timedelta(minutes=31))
    assert f'id="offer-{offer.pk}"' not in client.get(reverse("orders_staff:trader-offers")).content.decode()
