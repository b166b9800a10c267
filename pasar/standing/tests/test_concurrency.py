"""Two schedulers settling the same standing orders at once: one order per standing order and date."""

import pytest
from django.db import IntegrityError, connection, transaction

from pasar.orders.models import Order
from pasar.standing.models import Run
from pasar.standing.placing import run_settle, runs_settle
from pasar.standing.tests.scenarios import THURSDAY, at, mon_thu, restaurant
from pasar.testing.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WEDNESDAY = at(THURSDAY, 10).replace(day=2)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")


def test_schedulers_racing_place_each_date_once():
    r = restaurant()
    standings = [mon_thu(r, now=WEDNESDAY, ayam=1) for _ in range(3)]
    results = race(4, lambda i: runs_settle(now=at(THURSDAY, 11, 5)))
    assert [kind for kind, _value in results] == ["ok"] * 4, results
    assert Order.objects.filter(buyer=r.buyer).count() == 3
    for standing in standings:
        run = Run.objects.get(standing=standing, date=THURSDAY)
        assert run.state == Run.State.PLACED
    # Stock conserved: 10 chickens, three orders of one each.
    r.ayam.refresh_from_db()
    assert r.ayam.stock == 7
    # Each standing order has its next draft once, whatever the race planned.
    assert Run.objects.filter(state=Run.State.DRAFT).count() == 3


def test_the_same_run_settled_twice_at_once_gives_one_order():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    run = Run.objects.get(standing=standing, date=THURSDAY)
    results = race(2, lambda i: run_settle(run_id=run.pk, now=at(THURSDAY, 11)))
    assert sorted(value for _kind, value in results) == ["placed", "placed"]
    assert Order.objects.filter(buyer=r.buyer).count() == 1


def test_the_database_refuses_a_second_run_for_a_date():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Run.objects.create(standing=standing, market=r.market, date=THURSDAY)
    placed = Run.objects.get(standing=standing, date=THURSDAY)
    run_settle(run_id=placed.pk, now=at(THURSDAY, 11))
    placed.refresh_from_db()
    other = mon_thu(r, now=WEDNESDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Run.objects.filter(standing=other).update(state=Run.State.PLACED, order=placed.order)
