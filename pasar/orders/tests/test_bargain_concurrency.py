"""Tawar under real concurrency: an answer racing the expiry job, or a second answer, ends in one outcome."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection

from pasar.catalog.services import product_set_bargain_from
from pasar.core.errors import DomainError
from pasar.orders.models import CartLine, Offer, OfferEvent
from pasar.orders.services import bargain
from pasar.orders.services.cart import cart_set
from pasar.testing import factories
from pasar.testing.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offer(market):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL row locks")
    chili = factories.product(stall=factories.stall(market=market), name="Cabai Merah", unit="kg", price=50000)
    product_set_bargain_from(product=chili, quantity=Decimal(5))
    buyer = factories.user(name="Pembeli")
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    return bargain.offer_propose(buyer=buyer, product=chili, price=42000)


def _outcome(kind, value):
    return "ok" if kind == "ok" else value.code if isinstance(value, DomainError) else repr(value)


def test_accept_racing_the_expiry_job_ends_in_exactly_one_outcome(offer):
    trader = offer.product.stall.trader.user
    late = offer.expires_at + timedelta(seconds=1)  # the job's run is due after the deadline

    def work(i):
        if i == 0:
            return bargain.offer_answer(offer_id=offer.pk, action="accept", actor=trader).state
        return bargain.offers_expire(now=late)

    results = race(2, work)
    offer.refresh_from_db()
    line = CartLine.objects.get(product=offer.product)
    kinds = list(OfferEvent.objects.filter(offer=offer).exclude(kind="offered").values_list("kind", flat=True))
    if offer.state == Offer.State.ACCEPTED:
        assert results == [("ok", "accepted"), ("ok", 0)]
        assert (kinds, line.agreed_price, line.bargaining) == (["accepted"], 42000, False)
    else:
        assert offer.state == Offer.State.EXPIRED
        assert _outcome(*results[0]) == "offer_expired"
        assert results[1] == ("ok", 1)
        assert (kinds, line.agreed_price, line.bargaining) == (["expired"], None, False)


def test_two_answers_at_once_leave_exactly_one(offer):
    trader = offer.product.stall.trader.user
    actions = ["accept", "refuse", "accept", "counter"]

    def work(i):
        return bargain.offer_answer(offer_id=offer.pk, action=actions[i], actor=trader, price=46000).state

    results = race(len(actions), work)
    outcomes = Counter(_outcome(*r) for r in results)
    assert outcomes == {"ok": 1, "offer_answered": 3}
    offer.refresh_from_db()
    assert OfferEvent.objects.filter(offer=offer).exclude(kind="offered").count() == 1
    line = CartLine.objects.get(product=offer.product)
    assert (line.agreed_price is not None) == (offer.state == Offer.State.ACCEPTED)
    assert line.bargaining == (offer.state == Offer.State.COUNTERED)
