"""Reads of the summary tables, shared by the pages and the API. A board is a constant number of queries."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, Q, QuerySet

from pasar.accounts.models import User
from pasar.markets.models import Market
from pasar.pricing.aggregation import change_percent
from pasar.pricing.models import (
    CeilingBreach,
    MarketCommodityPrice,
    ReferenceImport,
    ReferencePrice,
    RegionCommodityPrice,
)
from pasar.regions.models import Region

SPARK_DAYS = 14


@dataclass
class BoardRow:
    commodity_id: int
    name: str
    group: str
    unit: str
    price: int
    low: int
    high: int
    count: int  # stalls (market board) or markets (region board)
    prev_day: int | None
    prev_week: int | None
    alert: bool
    ceiling: int | None = None
    above_ceiling: int = 0
    reference: int | None = None  # the day's Bapanas/PIHPS figure imported for this market, if any
    spark: list[int | None] = field(default_factory=list)  # oldest first, None = no data that day

    @property
    def change_day(self) -> float | None:
        return change_percent(self.price, self.prev_day)

    @property
    def change_week(self) -> float | None:
        return change_percent(self.price, self.prev_week)


@dataclass
class Board:
    day: date | None  # None: no data at all (for this day, if one was asked for)
    rows: list[BoardRow]
    spark_start: date | None = None

    @property
    def key(self) -> str:
        """A digest of everything the board shows: the rendered table is cached under it (the template
        costs more than the queries), and any new figure makes a new key, so a cached table is never stale."""
        return hashlib.sha1(repr((self.day, self.spark_start, self.rows)).encode(), usedforsecurity=False).hexdigest()


def _spark(history: dict[int, dict[date, int]], commodity_id: int, start: date, day: date) -> list[int | None]:
    series = history.get(commodity_id, {})
    return [series.get(start + timedelta(days=i)) for i in range((day - start).days + 1)]


def market_board(*, market: Market, day: date | None = None, spark_days: int = SPARK_DAYS) -> Board:
    """The market's prices of ``day`` (default: its latest summarised day), with a short history."""
    rows = MarketCommodityPrice.objects.filter(market=market)
    if day is None:
        day = rows.aggregate(last=Max("date"))["last"]
        if day is None:
            return Board(None, [])
    today_rows = list(rows.filter(date=day).select_related("commodity").order_by("commodity__name"))
    if not today_rows:
        return Board(None, [])
    start = day - timedelta(days=spark_days - 1)
    history: dict[int, dict[date, int]] = defaultdict(dict)
    for commodity_id, on, median in rows.filter(date__range=(start, day)).values_list("commodity_id", "date", "median"):
        history[commodity_id][on] = median
    references = reference_prices_on(market=market, day=day)
    board = [
        BoardRow(
            r.commodity_id,
            r.commodity.name,
            r.commodity.group,
            r.unit,
            r.median,
            r.min,
            r.max,
            r.stalls,
            r.prev_day,
            r.prev_week,
            r.alert,
            r.ceiling,
            r.above_ceiling,
            references.get((r.commodity_id, r.unit)),
            _spark(history, r.commodity_id, start, day),
        )  # fmt: skip
        for r in today_rows
    ]
    return Board(day, board, start)


def region_board(*, region: Region | None, day: date | None = None, spark_days: int = SPARK_DAYS) -> Board:
    """A kab/kota's, a province's or (``region`` None) the whole installation's prices of ``day``."""
    rows = RegionCommodityPrice.objects.filter(region=region) if region else RegionCommodityPrice.objects.filter(
        region__isnull=True
    )  # fmt: skip
    if day is None:
        day = rows.aggregate(last=Max("date"))["last"]
        if day is None:
            return Board(None, [])
    today_rows = list(rows.filter(date=day).select_related("commodity").order_by("commodity__name"))
    if not today_rows:
        return Board(None, [])
    start = day - timedelta(days=spark_days - 1)
    history: dict[int, dict[date, int]] = defaultdict(dict)
    for commodity_id, on, price in rows.filter(date__range=(start, day)).values_list("commodity_id", "date", "price"):
        history[commodity_id][on] = price
    board = [
        BoardRow(
            r.commodity_id,
            r.commodity.name,
            r.commodity.group,
            r.unit,
            r.price,
            r.min,
            r.max,
            r.markets,
            r.prev_day,
            r.prev_week,
            r.alert,
            spark=_spark(history, r.commodity_id, start, day),
        )  # fmt: skip
        for r in today_rows
    ]
    return Board(day, board, start)


def reference_prices_on(*, market: Market, day: date) -> dict[tuple[int, str], int]:
    """The Bapanas/PIHPS figure of ``day`` per (commodity, unit) for the market (its own import first)."""
    found: dict[tuple[int, str], int] = {}
    rows = (
        ReferencePrice.objects.filter(Q(market=market) | Q(market__isnull=True), valid_from=day)
        .exclude(kind=ReferencePrice.Kind.CEILING)
        .order_by("kind")
        .values_list("commodity_id", "unit", "price", "market_id")
    )
    # Installation-wide figures first, so the market's own import overrides them.
    for commodity_id, unit, price, _market in sorted(rows, key=lambda r: r[3] is not None):
        found[(commodity_id, unit)] = price
    return found


@dataclass(frozen=True)
class SeriesPoint:
    day: date
    price: int | None  # None: no data (a missing row; a 0 in the source file was never stored)
    change: float | None  # against the day before; None when either day has no data


def reference_series(*, market: Market, commodity_id: int, kind: str, start: date, end: date) -> list[SeriesPoint]:
    """One imported daily reference series, day by day, with the change against the day before."""
    stored = dict(
        ReferencePrice.objects.filter(
            market=market, commodity_id=commodity_id, kind=kind, valid_from__range=(start, end)
        ).values_list("valid_from", "price")
    )
    points: list[SeriesPoint] = []
    previous: int | None = None
    for i in range((end - start).days + 1):
        day = start + timedelta(days=i)
        price = stored.get(day)
        points.append(SeriesPoint(day, price, change_percent(price, previous)))
        previous = price
    return points


def market_regions(*, market: Market) -> list[Region]:
    """The market's kab/kota and province (for links to their boards)."""
    region = market.region
    return [r for r in (region, region.parent) if r is not None]


def regions_with_prices() -> QuerySet[Region]:
    """Provinces and kab/kota that have at least one market (the region chooser of /harga/)."""
    regency_ids = Market.objects.filter(is_active=True).values("region_id")
    return Region.objects.filter(Q(pk__in=regency_ids) | Q(children__in=regency_ids)).distinct().order_by("code")


def breaches_for_markets(
    *, markets: QuerySet[Market], day: date | None = None, limit: int = 200
) -> list[CeilingBreach]:
    """Listings above their ceiling on ``day`` (default: the latest day found) in ``markets``."""
    found = CeilingBreach.objects.filter(market__in=markets)
    if day is None:
        day = found.aggregate(last=Max("date"))["last"]
        if day is None:
            return []
    return list(
        found.filter(date=day)
        .select_related("market", "product__stall", "commodity")
        .order_by("market__name", "commodity__name", "-price")[:limit]
    )


def recent_imports(*, market: Market, user: User) -> QuerySet[ReferenceImport]:
    return ReferenceImport.objects.filter(market=market, uploaded_by=user).order_by("-created_at")[:5]
