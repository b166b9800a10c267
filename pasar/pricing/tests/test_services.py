"""Services around the daily job: ceilings, the task and command, PIHPS import scope, the demo history."""

import gzip
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from pasar.catalog.models import Commodity
from pasar.pricing import tasks
from pasar.pricing.models import CeilingBreach, MarketCommodityPrice, ReferencePrice, RegionCommodityPrice
from pasar.pricing.services import prices_aggregate_day, prices_backfill_demo, reference_import_prepare
from pasar.pricing.tests.test_published_data import PIHPS_EGGS, _need
from pasar.regions.models import Region
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def _listing(market, commodity, price, unit=None):
    return factories.product(
        stall=factories.stall(market=market), name=commodity.name, unit=unit or commodity.unit, price=price,
        commodity_obj=commodity,
    )  # fmt: skip


def _ceiling(commodity, price, *, market=None, unit="kg", start=date(2025, 1, 1), until=None):
    return ReferencePrice.objects.create(
        kind=ReferencePrice.Kind.CEILING, market=market, commodity=commodity, valid_from=start, valid_until=until,
        unit=unit, price=price,
    )  # fmt: skip


def test_installation_ceiling_applies_to_every_market_and_a_market_ceiling_overrides_it(market, other_market):
    rawit = factories.commodity()
    _listing(market, rawit, 50_000)
    _listing(other_market, rawit, 50_000)
    _ceiling(rawit, 45_000)
    _ceiling(rawit, 55_000, market=other_market)

    result = prices_aggregate_day()

    assert result.breaches == 1
    assert CeilingBreach.objects.get().market == market
    rows = dict(MarketCommodityPrice.objects.values_list("market_id", "above_ceiling"))
    assert rows == {market.pk: 1, other_market.pk: 0}


def test_a_ceiling_in_another_unit_or_out_of_its_dates_is_not_compared(market):
    rawit = factories.commodity()
    _listing(market, rawit, 50_000)
    _ceiling(rawit, 4_000, unit="ons")
    yesterday = timezone.localdate() - timedelta(days=1)
    _ceiling(rawit, 1_000, start=date(2025, 1, 1), until=yesterday, market=market)

    prices_aggregate_day()

    assert not CeilingBreach.objects.exists()
    assert MarketCommodityPrice.objects.get().ceiling is None


def test_task_and_command_summarise_a_day(market):
    _listing(market, factories.commodity(), 40_000)
    day = timezone.localdate() - timedelta(days=1)

    out = StringIO()
    call_command("prices_aggregate", "--date", day.isoformat(), stdout=out)
    tasks.prices_aggregate_day.enqueue(None)

    assert "1 market rows" in out.getvalue()
    assert set(MarketCommodityPrice.objects.values_list("date", flat=True)) == {day, timezone.localdate()}


def test_pihps_table_keeps_only_the_markets_province(vocabulary):
    Region.objects.create(code="32", name="Jawa Barat", level=Region.Level.PROVINCE, kind=Region.Kind.PROVINSI)
    market = factories.market(name="Pasar Kosambi", regency_code="32.73")
    operator = factories.user()

    upload = reference_import_prepare(
        market=market, by=operator, kind="pihps", filename=PIHPS_EGGS.name, data=_need(PIHPS_EGGS).read_bytes()
    )

    usable = [r for r in upload.rows if not r["problems"] and not r["notes"]]
    assert [(r["province"], r["price_value"], r["day"]) for r in usable] == [("Jawa Barat", 25_900, "2020-07-20")]
    assert sum(1 for r in upload.rows if r["notes"] and r["notes"][0]["code"] == "other_province") == 33
    assert usable[0]["commodity_id"] == Commodity.objects.get(name="Telur Ayam Ras").pk


def test_demo_history_has_gaps_but_never_a_zero(market, vocabulary):
    for name in ("Telur Ayam Ras", "Bawang Merah", "Cabai Rawit Merah", "Minyakita"):
        commodity = Commodity.objects.get(name=name)
        _listing(market, commodity, 20_000)

    written = prices_backfill_demo(days=30, seed=1)

    assert written == MarketCommodityPrice.objects.count()
    assert 4 * 25 <= written <= 4 * 30
    assert MarketCommodityPrice.objects.filter(date=timezone.localdate()).count() == 4
    assert not MarketCommodityPrice.objects.filter(median__lte=0).exists()
    assert RegionCommodityPrice.objects.filter(region__isnull=True).count() >= 25
    assert CeilingBreach.objects.filter(commodity__name="Minyakita").count() == 1  # Rp20.000 > HET Rp15.700


def test_board_page_is_light_with_sixty_commodities(client, market):
    for index in range(60):
        _listing(market, factories.commodity(name=f"Komoditas {index:02d}"), 10_000 + index * 150)
    today = timezone.localdate()
    for back in range(14):
        prices_aggregate_day(day=today - timedelta(days=back))

    response = client.get(f"/harga/{market.slug}/")

    html = response.content
    assert html.count(b'class="spark"') == 60
    assert len(gzip.compress(html, 6)) < 10_000  # + CSS and htmx (~18 KB): well under the 40 KB bar
    assert b"http://" not in html
    assert b"https://" not in html  # no CDN
