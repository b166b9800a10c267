"""The aggregation method: median per market, mean rounded to Rp 50 upwards, change without false -100 %."""

from datetime import timedelta
from fractions import Fraction
from statistics import median

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from pasar.pricing.aggregation import (
    change_percent,
    is_alert,
    market_groups,
    median_rupiah,
    rollup_price,
    round_half_up,
)
from pasar.pricing.models import MarketCommodityPrice, RegionCommodityPrice
from pasar.pricing.services import prices_aggregate_day
from pasar.testing import factories

prices = st.lists(st.integers(min_value=1, max_value=100_000_000), min_size=1, max_size=40)


@given(prices)
def test_median_rupiah_is_the_statistical_median_rounded_half_up(values):
    exact = (
        Fraction(median(values)) if len(values) % 2 else Fraction(sum(sorted(values)[len(values) // 2 - 1 :][:2]), 2)
    )
    got = median_rupiah(values)
    assert abs(Fraction(got) - exact) <= Fraction(1, 2)
    assert got == int(exact) + (1 if exact - int(exact) >= Fraction(1, 2) else 0)


def test_median_examples():
    assert median_rupiah([3000]) == 3000
    assert median_rupiah([2500, 3000]) == 2750
    assert median_rupiah([2500, 2502, 3000, 1]) == 2501
    assert median_rupiah([1, 2]) == 2  # 1.5 rounds half up
    with pytest.raises(ValueError, match="no prices"):
        median_rupiah([])


def test_rollup_rounds_the_mean_to_the_nearest_50_halves_up():
    assert rollup_price([26_000, 26_050]) == 26_050  # mean 26,025: a half step rounds up
    assert rollup_price([26_000, 26_048]) == 26_000  # mean 26,024
    assert rollup_price([10_000, 10_000, 10_049]) == 10_000
    assert round_half_up(Fraction(75), 50) == 100


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (15750, 16000, -1.5625),
        (110, 100, 10.0),
        (0, 16000, None),
        (16000, 0, None),
        (None, 100, None),
        (100, None, None),
    ],
)
def test_change_is_none_without_data_on_either_side(current, previous, expected):
    assert change_percent(current, previous) == expected


def test_alert_by_day_or_by_week():
    assert is_alert(110, 100, None, day=10, week=20)
    assert not is_alert(109, 100, 100, day=10, week=20)
    assert is_alert(121, 115, 100, day=10, week=20)
    assert not is_alert(0, 100, 100, day=10, week=20)  # no data today is not a -100 % alert


def _stall_with(market, commodity, price, unit=None, available=True):
    stall = factories.stall(market=market)
    return factories.product(
        stall=stall, name=commodity.name, unit=unit or commodity.unit, price=price, commodity_obj=commodity,
        available=available,
    )  # fmt: skip


@pytest.mark.django_db
def test_market_groups_count_only_available_listings_in_the_commodity_unit(market):
    rawit = factories.commodity()
    for price in (40_000, 45_000, 60_000):
        _stall_with(market, rawit, price)
    _stall_with(market, rawit, 1_000, unit="ons")  # per ons: not comparable with per kg
    _stall_with(market, rawit, 99_000, available=False)
    factories.product(stall=factories.stall(market=market), name="Kangkung", price=3000)  # no commodity

    for in_sql in [False, True] if connection.vendor == "postgresql" else [False]:
        (group,) = market_groups(in_sql=in_sql)
        assert (group.median, group.min, group.max, group.listings, group.stalls) == (45_000, 40_000, 60_000, 3, 3)


class TestSqlEqualsPython(TestCase):
    """PostgreSQL's percentile_cont path and the portable Python path give the same rows (and the reference)."""

    @settings(max_examples=25, deadline=None)
    @given(
        st.lists(
            st.lists(st.integers(min_value=1, max_value=5_000_000), min_size=1, max_size=9), min_size=1, max_size=4
        )
    )
    def test_groups(self, markets_prices):
        commodity = factories.commodity()
        expected = {}
        for index, values in enumerate(markets_prices):
            market = factories.market(name=f"Pasar H{index}")
            stall = factories.stall(market=market)
            for price in values:
                factories.product(stall=stall, name="Rawit", unit="kg", price=price, commodity_obj=commodity)
            expected[market.pk] = (median_rupiah(values), min(values), max(values), len(values), 1)
        portable = {g.market_id: (g.median, g.min, g.max, g.listings, g.stalls) for g in market_groups(in_sql=False)}
        assert portable == expected
        if connection.vendor == "postgresql":
            in_sql = {g.market_id: (g.median, g.min, g.max, g.listings, g.stalls) for g in market_groups(in_sql=True)}
            assert in_sql == expected


@pytest.mark.django_db
def test_rollup_through_regency_province_and_installation():
    rawit = factories.commodity()
    bandung = factories.market(name="Pasar A", regency_code="32.73")
    cimahi = factories.market(name="Pasar B", regency_code="32.77")
    cimahi2 = factories.market(name="Pasar C", regency_code="32.77")
    jogja = factories.market(name="Pasar D", regency_code="34.71")
    for market, price in ((bandung, 40_000), (cimahi, 50_000), (cimahi2, 50_100), (jogja, 30_000)):
        _stall_with(market, rawit, price)
    day = timezone.localdate()

    result = prices_aggregate_day(day=day)

    assert result.market_rows == 4
    prices = {
        (r.level, r.region.code if r.region else None): (r.price, r.markets)
        for r in RegionCommodityPrice.objects.select_related("region")
    }
    assert prices == {
        (2, "32.73"): (40_000, 1),
        (2, "32.77"): (50_050, 2),  # mean 50,050
        (2, "34.71"): (30_000, 1),
        (1, "32"): (45_050, 3),  # mean of kab/kota 40,000 and 50,050 = 45,025 → 45,050
        (1, "34"): (30_000, 1),
        (0, None): (37_550, 4),  # mean of provinces 45,050 and 30,000 = 37,525 → 37,550
    }


@pytest.mark.django_db
def test_rerunning_a_day_replaces_its_rows_and_changes_follow_yesterday_and_last_week(market, settings):
    settings.PASAR_PRICE_ALERT_DAY_PERCENT = 10
    rawit = factories.commodity()
    product = _stall_with(market, rawit, 40_000)
    today = timezone.localdate()
    for back, price in ((7, 30_000), (1, 40_000)):
        product.price = price
        product.save()
        prices_aggregate_day(day=today - timedelta(days=back))
    product.price = 44_000
    product.save()

    prices_aggregate_day(day=today)
    prices_aggregate_day(day=today)

    row = MarketCommodityPrice.objects.get(date=today)
    assert MarketCommodityPrice.objects.count() == 3
    assert RegionCommodityPrice.objects.filter(date=today).count() == 3
    assert (row.median, row.prev_day, row.prev_week, row.alert) == (44_000, 40_000, 30_000, True)


@pytest.mark.django_db
def test_a_day_without_data_gives_no_change_the_day_after(market):
    rawit = factories.commodity()
    product = _stall_with(market, rawit, 40_000)
    today = timezone.localdate()
    prices_aggregate_day(day=today - timedelta(days=2))
    product.available = False  # nobody sells it yesterday: no row, not a price of 0
    product.save()
    prices_aggregate_day(day=today - timedelta(days=1))
    product.available = True
    product.save()

    prices_aggregate_day(day=today)

    assert not MarketCommodityPrice.objects.filter(date=today - timedelta(days=1)).exists()
    row = MarketCommodityPrice.objects.get(date=today)
    assert row.prev_day is None
    assert change_percent(row.median, row.prev_day) is None
    assert not row.alert


@pytest.mark.django_db
def test_future_day_is_refused(market):
    from pasar.core.errors import DomainError

    with pytest.raises(DomainError):
        prices_aggregate_day(day=timezone.localdate() + timedelta(days=2))
