"""Queue guarantees under real concurrency (PostgreSQL): threads with their own connections.

Every queue write locks the market's pangkalan row first, then the orders (by id) through the orders
services; these races check that the lock, not luck, decides.
"""

from collections import Counter

import pytest
from django.db import connection

from pasar.core.errors import DomainError
from pasar.delivery import services
from pasar.delivery.models import Job, Offer, Trip
from pasar.delivery.tests.scenarios import couriers, product, ready_order
from pasar.orders.models import Order
from pasar.testing.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")


def _outcome(result):
    kind, value = result
    if kind == "ok":
        return "won"
    assert isinstance(value, DomainError), value  # a refusal, never a crash or a deadlock
    return value.code


def test_two_couriers_accepting_the_same_offer_exactly_one_wins(market):
    """The offer's courier and a rival who replays its id: the holder's accept wins, the rival is refused."""
    holder, rival = couriers(market, 2)
    eggs = product(market)
    orders = [ready_order(market, eggs), ready_order(market, eggs, north=0.012)]
    offer = services.dispatch(market)[0]
    assert offer.courier == holder
    riders = [holder, rival] * 4  # each accepts four times at once: double taps and the rival's attempts

    results = race(len(riders), lambda i: services.offer_accept(offer_id=offer.pk, courier=riders[i]))

    outcomes = [_outcome(r) for r in results]
    assert Counter(outcomes) == Counter({"won": 4, "not_your_offer": 4})
    assert all(outcomes[i] == "won" for i in range(0, 8, 2))
    trip = Trip.objects.get(pk=offer.trip_id)
    assert trip.state == Trip.State.ACTIVE
    assert trip.courier == holder
    assert set(Order.objects.filter(pk__in=[o.pk for o in orders]).values_list("courier_id", flat=True)) == {holder.pk}
    assert Offer.objects.get(pk=offer.pk).state == Offer.State.ACCEPTED


def test_an_accept_racing_the_timeout_ends_in_exactly_one_outcome(market):
    """The holder accepts while the tick expires the offer and hands the order to the next courier."""
    holder, nxt = couriers(market, 2)
    order = ready_order(market, product(market))
    offer = services.dispatch(market)[0]
    Offer.objects.filter(pk=offer.pk).update(expires_at=offer.offered_at + (offer.expires_at - offer.offered_at) / 60)
    offer.refresh_from_db()
    moment = offer.expires_at

    def work(i):
        if i == 0:
            return services.offer_accept(
                offer_id=offer.pk, courier=holder, now=moment - (moment - offer.offered_at) / 2
            )
        return services.dispatch(market, now=moment)

    results = race(2, work)

    assert [kind for kind, _ in results] in (["ok", "ok"], ["error", "ok"])
    order.refresh_from_db()
    offer.refresh_from_db()
    if offer.state == Offer.State.ACCEPTED:  # the accept came first: the tick found nothing to expire
        assert order.courier == holder
        assert not Offer.objects.filter(courier=nxt, state=Offer.State.PENDING).exists()
    else:  # the tick came first: the holder is refused, the next courier has the order
        assert offer.state == Offer.State.EXPIRED
        assert order.courier is None
        assert Offer.objects.get(courier=nxt, state=Offer.State.PENDING).trip.stops == [order.pk]
    assert Job.objects.get(order=order).state in {Job.State.ASSIGNED, Job.State.WAITING}


def test_many_page_views_dispatching_at_once_offer_each_order_once(market):
    couriers(market, 4)
    eggs = product(market)
    orders = [ready_order(market, eggs, north=0.01 * (i + 1)) for i in range(3)]

    race(6, lambda i: services.dispatch(market))

    assert Job.objects.count() == 3
    offered = [pk for trip in Trip.objects.filter(state=Trip.State.OFFERED) for pk in trip.stops]
    assert sorted(offered) == sorted(o.pk for o in orders)
    assert Offer.objects.filter(state=Offer.State.PENDING).count() == Trip.objects.filter(state="offered").count()
