import io
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from pasar.dashboards.aggregation import KG_PER_UNIT, aggregate_day, aggregate_days
from pasar.dashboards.models import DailyCommodityStats, DailyMarketStats, DailyStallStats, MarketAdoptionSnapshot
from pasar.dashboards.rollup import GRAM
from pasar.dashboards.tests import builders
from pasar.orders.models import DROPPED_LINE_STATES, Order, OrderLine, StallOrder
from pasar.testing import factories
from pasar.traders.models import Trader

DAY = date(2025, 3, 10)
Figures = defaultdict[int, defaultdict[str, Decimal]]
COMPLETED = {Order.State.DELIVERED, Order.State.PICKED_UP}


def expected_for(day):
    """The figures recomputed in Python, line by line, from the raw orders."""
    markets: Figures = defaultdict(lambda: defaultdict(Decimal))
    stalls: Figures = defaultdict(lambda: defaultdict(Decimal))
    commodities: defaultdict[tuple[int, int], defaultdict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for order in Order.objects.filter(for_date=day):
        m = markets[order.market_id]
        m["orders"] += 1
        m["completed"] += order.state in COMPLETED
        m["cancelled"] += order.state == Order.State.CANCELLED
        m["delivery_orders"] += order.fulfilment == Order.Fulfilment.DELIVERY
        m["pickup_orders"] += order.fulfilment == Order.Fulfilment.PICKUP
        m["courier_trips"] += (
            order.state == Order.State.DELIVERED
            and order.fulfilment == Order.Fulfilment.DELIVERY
            and order.courier_id is not None
        )
        for part in order.parts.all():
            s = stalls[part.stall_id]
            s["orders"] += 1
            s["completed"] += order.state in COMPLETED and part.state != StallOrder.State.CANCELLED
            if order.state not in COMPLETED or part.state == StallOrder.State.CANCELLED:
                continue
            for line in OrderLine.objects.filter(part=part).select_related("product"):
                if line.state in DROPPED_LINE_STATES:
                    continue
                amount = line.final_amount if line.final_amount is not None else line.estimate
                kg = KG_PER_UNIT.get(line.unit, Decimal(0)) * (line.final_quantity or line.quantity)
                targets = [m, s]
                if line.product.commodity_id:
                    targets.append(commodities[(order.market_id, line.product.commodity_id)])
                for t in targets:
                    t["turnover"] += amount
                    t["items_sold"] += 1
                    t["kg_sold"] += kg
    return markets, stalls, commodities


def rounded(figures):
    """Kilograms are stored to the gram, rounded half up."""
    return {k: v.quantize(GRAM, rounding=ROUND_HALF_UP) if k == "kg_sold" else v for k, v in figures.items()}


def as_dict(row, names):
    return {name: Decimal(getattr(row, name)) for name in names}


MARKET_FIGURES = ["orders", "completed", "cancelled", "turnover", "items_sold", "kg_sold"]
MARKET_FIGURES += ["delivery_orders", "pickup_orders", "courier_trips"]
STALL_FIGURES = ["orders", "completed", "turnover", "items_sold", "kg_sold"]


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aggregation_matches_a_python_recomputation(seed):
    rng = random.Random(seed)
    world = builders.world(rng, markets=2, stalls=3)
    builders.orders(rng, world, days=[DAY, DAY - timedelta(days=1)], n=25)

    result = aggregate_day(DAY)

    markets, stalls, commodities = expected_for(DAY)
    got = {r.market_id: as_dict(r, MARKET_FIGURES) for r in DailyMarketStats.objects.filter(date=DAY)}
    want = {k: rounded({f: Decimal(v.get(f, 0)) for f in MARKET_FIGURES}) for k, v in markets.items()}
    assert got == want
    got = {r.stall_id: as_dict(r, STALL_FIGURES) for r in DailyStallStats.objects.filter(date=DAY)}
    want = {k: rounded({f: Decimal(v.get(f, 0)) for f in STALL_FIGURES}) for k, v in stalls.items()}
    assert got == want
    got_commodities = {
        (r.market_id, r.commodity_id): as_dict(r, ["turnover", "items_sold", "kg_sold"])
        for r in DailyCommodityStats.objects.filter(date=DAY)
    }
    want_commodities = {
        k: rounded({f: Decimal(v[f]) for f in ["turnover", "items_sold", "kg_sold"]}) for k, v in commodities.items()
    }
    assert got_commodities == want_commodities
    assert result.markets == len(markets)
    assert sum(v["turnover"] for v in markets.values()) > 0  # the data exercised sales, not only zeros


@pytest.mark.django_db
def test_rerun_replaces_the_day_instead_of_adding():
    rng = random.Random(7)
    world = builders.world(rng, markets=1, stalls=2)
    builders.orders(rng, world, days=[DAY], n=10)
    aggregate_day(DAY)
    first = list(DailyMarketStats.objects.filter(date=DAY).values(*MARKET_FIGURES))

    aggregate_day(DAY)
    out = io.StringIO()
    call_command("dashboards_aggregate", "--date", DAY.isoformat(), stdout=out)
    assert out.getvalue().startswith(f"{DAY}..{DAY}: 1 market-days")

    assert list(DailyMarketStats.objects.filter(date=DAY).values(*MARKET_FIGURES)) == first
    assert DailyStallStats.objects.filter(date=DAY).count() == len({s.stall_id for s in StallOrder.objects.all()})
    assert MarketAdoptionSnapshot.objects.filter(date=DAY).count() == 1


@pytest.mark.django_db
def test_rerun_for_one_market_leaves_the_others():
    rng = random.Random(9)
    world = builders.world(rng, markets=2, stalls=2)
    builders.orders(rng, world, days=[DAY], n=20)
    aggregate_day(DAY)
    other = world.markets[1]
    before = list(DailyMarketStats.objects.filter(date=DAY, market=other).values(*MARKET_FIGURES))
    Order.objects.filter(market=world.markets[0], for_date=DAY).delete()

    aggregate_day(DAY, [world.markets[0].pk])

    assert not DailyMarketStats.objects.filter(date=DAY, market=world.markets[0]).exists()
    assert list(DailyMarketStats.objects.filter(date=DAY, market=other).values(*MARKET_FIGURES)) == before


@pytest.mark.django_db
def test_adoption_counts_registered_trained_and_digitally_active(market):
    today = timezone.localdate()
    registered = factories.stall(market=market)
    trained = factories.stall(market=market)
    Trader.objects.filter(pk=trained.trader_id).update(status=Trader.Status.TRAINED)
    active = factories.stall(market=market)
    Trader.objects.filter(pk=active.trader_id).update(status=Trader.Status.ACTIVE)
    fresh = factories.product(stall=active)
    fresh.price_updated_at = timezone.now() - timedelta(days=2)  # a price changed lately: digitally active
    fresh.save()
    stale = factories.product(stall=registered)
    stale.price_updated_at = timezone.now() - timedelta(days=40)
    stale.save()
    factories.stall(market=market, trader_obj=active.trader)  # a second stall counts the trader once

    aggregate_day(today)

    snap = MarketAdoptionSnapshot.objects.get(market=market, date=today)
    assert (snap.registered, snap.trained, snap.active, snap.trained_active) == (3, 2, 1, 1)


@pytest.mark.django_db
def test_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("dashboards_aggregate", "--date", "kemarin")


@pytest.mark.django_db
def test_a_backfill_in_one_pass_equals_day_by_day_runs():
    rng = random.Random(13)
    world = builders.world(rng, markets=2, stalls=2)
    days = builders.day_list(DAY - timedelta(days=3), 4)
    builders.orders(rng, world, days=days, n=30)
    for day in days:
        aggregate_day(day)
    one_by_one = sorted(DailyStallStats.objects.values_list("stall_id", "date", "orders", "turnover", "kg_sold"))

    aggregate_days(days[0], days[-1])

    assert (
        sorted(DailyStallStats.objects.values_list("stall_id", "date", "orders", "turnover", "kg_sold")) == one_by_one
    )
    assert len({d for _s, d, *_rest in one_by_one}) == 4


@pytest.mark.django_db
def test_courier_trips_count_rides_not_orders():
    from pasar.delivery.models import Job, Trip

    rng = random.Random(17)
    world = builders.world(rng, markets=1, stalls=2)
    made = builders.orders(rng, world, days=[DAY], n=20)
    Order.objects.filter(pk__in=[o.pk for o in made]).update(state=Order.State.CONFIRMED, courier=None)
    market = world.markets[0]
    delivered = [o for o in made if o.fulfilment == Order.Fulfilment.DELIVERY][:4]
    assert len(delivered) == 4
    Order.objects.filter(pk__in=[o.pk for o in delivered]).update(state=Order.State.DELIVERED, courier=world.courier)
    trip = Trip.objects.create(market=market, courier=world.courier, state=Trip.State.DONE)
    for order in delivered[:3]:  # one queue trip carries three orders; the fourth went alone (no trip)
        Job.objects.create(order=order, market=market, state=Job.State.DONE, ready_at=timezone.now(), trip=trip)

    aggregate_day(DAY)

    assert DailyMarketStats.objects.get(market=market, date=DAY).courier_trips == 2


@pytest.mark.django_db
def test_adoption_of_a_past_day_counts_what_stood_then(market):
    from pasar.traders.models import Stall
    from pasar.traders.services import trader_set_status

    today = timezone.localdate()
    past = today - timedelta(days=10)
    old = factories.stall(market=market)
    trained_then = factories.stall(market=market)
    trained_later = factories.stall(market=market)
    newcomer = factories.stall(market=market)
    long_ago = timezone.now() - timedelta(days=60)
    Stall.objects.exclude(pk=newcomer.pk).update(created_at=long_ago)
    trader_set_status(trader=trained_then.trader, status=Trader.Status.TRAINED, at=long_ago)
    trader_set_status(trader=trained_later.trader, status=Trader.Status.TRAINED)
    assert old.trader.status == Trader.Status.REGISTERED

    aggregate_day(past)
    aggregate_day(today)

    then = MarketAdoptionSnapshot.objects.get(market=market, date=past)
    now = MarketAdoptionSnapshot.objects.get(market=market, date=today)
    assert (then.registered, then.trained) == (3, 1)  # the newcomer came, the second training happened, later
    assert (now.registered, now.trained) == (4, 2)
