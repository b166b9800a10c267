"""The kab/kota and province roll-up says exactly what the market rows say, and follows every re-run."""

import random
from datetime import date, timedelta

import pytest

from pasar.dashboards import selectors
from pasar.dashboards.aggregation import aggregate_day, aggregate_days
from pasar.dashboards.models import DailyRegionCommodityStats, DailyRegionStats, RegionAdoptionSnapshot
from pasar.dashboards.periods import Period
from pasar.dashboards.tests import builders
from pasar.markets.access import markets_in_region
from pasar.orders.models import Order
from pasar.regions.models import Region

DAY = date(2025, 3, 10)
DAYS = [DAY - timedelta(days=n) for n in range(5)]
PERIOD = Period("custom", DAYS[-1], DAY)


def both_ways(region: Region) -> tuple[selectors.Scope, selectors.Scope]:
    """The region read from its roll-up, and the same markets read from their own rows."""
    return selectors.Scope.of_region(region), selectors.Scope(markets_in_region(region))


@pytest.fixture
def two_regencies(db):
    rng = random.Random(11)
    world = builders.world(rng, markets=4, stalls=2, regency_codes=("32.73", "32.04"))
    builders.orders(rng, world, days=DAYS, n=60)
    return world


@pytest.mark.parametrize("code", ["32", "32.73", "32.04"])
def test_region_figures_equal_the_sum_of_their_markets(two_regencies, code):
    aggregate_days(DAYS[-1], DAY)
    region = Region.objects.get(code=code)
    rolled, direct = both_ways(region)

    assert selectors.totals(rolled, PERIOD) == selectors.totals(direct, PERIOD)
    assert selectors.trend(rolled, PERIOD) == selectors.trend(direct, PERIOD)
    assert selectors.commodities(rolled, PERIOD, limit=0) == selectors.commodities(direct, PERIOD, limit=0)
    assert selectors.adoption(rolled, PERIOD) == selectors.adoption(direct, PERIOD)
    totals = selectors.totals(rolled, PERIOD)
    assert totals is not None
    assert totals["turnover"] > 0  # the data exercised sales, not only zeros


def test_province_breakdown_lists_each_regency_once(two_regencies):
    aggregate_days(DAYS[-1], DAY)
    province = Region.objects.get(code="32")

    rows = selectors.per_region(province, PERIOD)

    assert sorted(r["code"] for r in rows) == ["32.04", "32.73"]
    for row in rows:
        direct = selectors.totals(selectors.Scope(markets_in_region(Region.objects.get(code=row["code"]))), PERIOD)
        assert direct is not None
        assert {k: row[k] for k in selectors.FIGURES} == {k: direct[k] for k in selectors.FIGURES}
    province_rows = DailyRegionStats.objects.filter(region=province, date=DAY)
    assert province_rows.get().markets == len({o.market_id for o in Order.objects.filter(for_date=DAY)})


def test_rerun_for_one_market_refreshes_its_regency_and_province(two_regencies):
    aggregate_day(DAY)
    market = two_regencies.markets[0]
    regency, province = market.region, market.region.parent
    rows_before = DailyRegionStats.objects.count(), DailyRegionCommodityStats.objects.count()
    Order.objects.filter(market=market, for_date=DAY).delete()

    aggregate_day(DAY, [market.pk])

    day = Period("custom", DAY, DAY)
    for region in (regency, province):
        rolled, direct = both_ways(region)
        assert selectors.totals(rolled, day) == selectors.totals(direct, day)
        assert selectors.commodities(rolled, day, limit=0) == selectors.commodities(direct, day, limit=0)
    assert DailyRegionStats.objects.count() <= rows_before[0]  # replaced, never added twice
    assert DailyRegionCommodityStats.objects.count() <= rows_before[1]
    assert RegionAdoptionSnapshot.objects.filter(date=DAY).count() == 3  # two regencies and their province


def test_a_backfill_in_monthly_windows_equals_one_pass(two_regencies, monkeypatch):
    aggregate_days(DAYS[-1], DAY)
    one_pass = sorted(DailyRegionCommodityStats.objects.values_list("region_id", "commodity_id", "date", "turnover"))
    monkeypatch.setattr("pasar.dashboards.rollup.WINDOW_DAYS", 2)

    aggregate_days(DAYS[-1], DAY)

    windows = sorted(DailyRegionCommodityStats.objects.values_list("region_id", "commodity_id", "date", "turnover"))
    assert windows == one_pass
    assert len({row[2] for row in windows}) > 2  # more days than one window
