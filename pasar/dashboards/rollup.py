"""The roll-up of the nightly job: market summary rows summed per kab/kota and per province.

A province of 1,000 markets has ~30,000 market rows and ~140,000 commodity rows per 30 days; its page
reads ~30 and ~2,600 roll-up rows instead. Each region gets rows from the markets it contains: a market
counts in its own region (the kab/kota) and in that region's parent (the province). Rows are rebuilt
from the market rows already written, inside the aggregation's transaction, for the days just
aggregated and the regions those markets lie in, so a one-market re-run refreshes its kab/kota and
province too.
"""

from collections.abc import Collection, Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from pasar.dashboards.models import (
    DailyCommodityStats,
    DailyMarketStats,
    DailyRegionCommodityStats,
    DailyRegionStats,
    MarketAdoptionSnapshot,
    RegionAdoptionSnapshot,
)
from pasar.markets.models import Market

FIGURES = (
    "orders",
    "completed",
    "cancelled",
    "turnover",
    "business_turnover",
    "items_sold",
    "kg_sold",
    "delivery_orders",
    "pickup_orders",
    "courier_trips",
)
COMMODITY_FIGURES = ("items_sold", "kg_sold", "turnover")
ADOPTION_FIGURES = ("registered", "trained", "active", "trained_active")
# The two ways a market belongs to a region: its kab/kota, and the kab/kota's province.
MEMBERSHIP = ("market__region_id", "market__region__parent_id")
# A year of commodity rows at once would hold ~900,000 dicts in memory: the backfill goes a month at a time.
WINDOW_DAYS = 31
GRAM = Decimal("0.001")


def kg_rounded(value: Decimal | float | None) -> Decimal:
    """Kilograms to the gram. SQLite sums decimals as floats: drop the float noise (exact sums have at
    most 6 decimals) before rounding half up, so both databases store the same figure."""
    exact = value if isinstance(value, Decimal) else Decimal(f"{float(value or 0):.9f}")
    return exact.quantize(GRAM, rounding=ROUND_HALF_UP)


def regions_of(market_ids: Collection[int] | None) -> set[int] | None:
    """The kab/kota and provinces the markets lie in (``None``: every region)."""
    if market_ids is None:
        return None
    found: set[int] = set()
    for region_id, parent_id in Market.objects.filter(pk__in=market_ids).values_list("region_id", "region__parent_id"):
        found.add(region_id)
        if parent_id is not None:
            found.add(parent_id)
    return found


def _windows(first: date, last: date) -> Iterator[tuple[date, date]]:
    start = first
    while start <= last:
        end = min(last, start + timedelta(days=WINDOW_DAYS - 1))
        yield start, end
        start = end + timedelta(days=1)


def _summed(
    source: QuerySet[Any], keys: tuple[str, ...], figures: tuple[str, ...], regions: set[int] | None
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """``source`` grouped by (region, *keys) over both memberships, merged where they meet.

    They meet only when a market hangs directly under a province; merging keeps one row per key then.
    """
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for path in MEMBERSHIP:
        rows = source.filter(**{f"{path}__isnull": False})
        if regions is not None:
            rows = rows.filter(**{f"{path}__in": regions})
        grouped = rows.values(*keys, region=F(path)).annotate(n=Count("pk"), **{f: Sum(f) for f in figures})
        for row in grouped:
            key = (row["region"], *(row[k] for k in keys))
            into = merged.setdefault(key, {"region_id": row["region"], **{k: row[k] for k in keys}, "n": 0})
            into["n"] += row["n"]
            for figure in figures:
                into[figure] = into.get(figure, 0) + (row[figure] or 0)
    for row in merged.values():
        if "kg_sold" in row:
            row["kg_sold"] = kg_rounded(row["kg_sold"])
    return merged


def _in_regions(regions: set[int] | None) -> Q:
    return Q() if regions is None else Q(region_id__in=regions)


def rollup_days(first: date, last: date, regions: set[int] | None) -> tuple[int, int]:
    """Rebuild the sales roll-up of ``first``..``last`` for ``regions`` (``None``: all). Call inside the
    aggregation's transaction, after the market rows are written. Returns (region rows, commodity rows)."""
    written = [0, 0]
    for start, end in _windows(first, last):
        days = Q(date__gte=start, date__lte=end)
        DailyRegionStats.objects.filter(days & _in_regions(regions)).delete()
        DailyRegionCommodityStats.objects.filter(days & _in_regions(regions)).delete()
        stats = _summed(DailyMarketStats.objects.filter(days), ("date",), FIGURES, regions)
        region_rows = [DailyRegionStats(markets=row.pop("n"), **row) for row in stats.values()]
        DailyRegionStats.objects.bulk_create(region_rows, batch_size=2000)
        sold = _summed(DailyCommodityStats.objects.filter(days), ("commodity_id", "date"), COMMODITY_FIGURES, regions)
        commodity_rows = []
        for row in sold.values():
            del row["n"]
            commodity_rows.append(DailyRegionCommodityStats(**row))
        DailyRegionCommodityStats.objects.bulk_create(commodity_rows, batch_size=5000)
        written[0] += len(region_rows)
        written[1] += len(commodity_rows)
    return written[0], written[1]


def rollup_adoption(day: date, regions: set[int] | None) -> int:
    """Rebuild the adoption roll-up of ``day`` from the markets' snapshots of that day."""
    RegionAdoptionSnapshot.objects.filter(Q(date=day) & _in_regions(regions)).delete()
    summed = _summed(MarketAdoptionSnapshot.objects.filter(date=day), ("date",), ADOPTION_FIGURES, regions)
    rows = []
    for row in summed.values():
        del row["n"]
        rows.append(RegionAdoptionSnapshot(**row))
    RegionAdoptionSnapshot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
