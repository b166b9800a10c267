"""Reads of the dashboards: every figure comes from the summary tables (a few rows per market and day).

Each function is one query, whatever the size of the scope, so a dashboard page costs a constant
number of queries. A region's figures come from the nightly roll-up (one row per region and day), a
market's from its own rows. ``None`` means "no data in this period" (the page says so), never zero.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from pasar.catalog.models import Product
from pasar.dashboards.aggregation import ACTIVE_WINDOW_DAYS, TRAINED
from pasar.dashboards.models import (
    DailyCommodityStats,
    DailyMarketStats,
    DailyRegionCommodityStats,
    DailyRegionStats,
    DailyStallStats,
    MarketAdoptionSnapshot,
    RegionAdoptionSnapshot,
)
from pasar.dashboards.periods import Period
from pasar.dashboards.rollup import FIGURES
from pasar.markets.access import markets_in_region
from pasar.markets.models import Market
from pasar.orders.models import StallOrder
from pasar.payments.models import Account, Posting
from pasar.regions.models import Region
from pasar.traders.models import Stall, Trader

__all__ = ["FIGURES", "SALES", "Scope"]
SALES = ("orders", "completed", "turnover", "items_sold", "kg_sold")


@dataclass(frozen=True)
class Scope:
    """What a dashboard sums: a region (read from its roll-up rows) or a set of markets (their own rows)."""

    markets: QuerySet[Market]
    region: Region | None = None

    @classmethod
    def of_region(cls, region: Region) -> "Scope":
        return cls(markets_in_region(region), region)

    def daily(self) -> QuerySet[Any]:
        if self.region is not None:
            return DailyRegionStats.objects.filter(region=self.region)
        return DailyMarketStats.objects.filter(market__in=self.markets)

    def sold(self) -> QuerySet[Any]:
        if self.region is not None:
            return DailyRegionCommodityStats.objects.filter(region=self.region)
        return DailyCommodityStats.objects.filter(market__in=self.markets)

    def snapshots(self) -> QuerySet[Any]:
        if self.region is not None:
            return RegionAdoptionSnapshot.objects.filter(region=self.region)
        return MarketAdoptionSnapshot.objects.filter(market__in=self.markets)


def _sums(names: tuple[str, ...]) -> dict[str, Any]:
    return {name: Sum(name) for name in names}


def _in_period(qs: QuerySet[Any], period: Period) -> QuerySet[Any]:
    return qs.filter(date__gte=period.start, date__lte=period.end)


def totals(scope: Scope, period: Period) -> dict[str, Any] | None:
    stats = _in_period(scope.daily(), period)
    found = stats.aggregate(rows=Count("pk"), **_sums(FIGURES))
    if not found.pop("rows"):
        return None
    found["delivery_share"] = _share(found["delivery_orders"], found["orders"])
    found["household_turnover"] = (found["turnover"] or 0) - (found["business_turnover"] or 0)
    return found


def receivables(scope: Scope) -> int:
    """What businesses owe the scope's markets for tempo orders now: the receivable accounts' balance
    (read from the ledger, which is already one row per posting; no summary table needed)."""
    found = Posting.objects.filter(account__kind=Account.Kind.RECEIVABLE, account__market__in=scope.markets).aggregate(
        total=Sum("amount")
    )["total"]
    return int(found or 0)


def trend(scope: Scope, period: Period) -> list[dict[str, Any]]:
    """One row per day of the period (days without data included, as ``None``)."""
    stats = _in_period(scope.daily(), period)
    by_day = {row["date"]: row for row in stats.values("date").annotate(**_sums(FIGURES)).order_by("date")}
    return [by_day.get(day, {"date": day, **dict.fromkeys(FIGURES)}) for day in period.dates()]


def per_market(markets: QuerySet[Market], period: Period) -> list[dict[str, Any]]:
    """Sales per market in the period, largest turnover first, with each market's adoption."""
    stats = _in_period(DailyMarketStats.objects.filter(market__in=markets), period)
    rows = list(
        stats.values("market_id", name=F("market__name"), slug=F("market__slug"))
        .annotate(**_sums(FIGURES))
        .order_by("-turnover", "name")
    )
    return rows


def per_region(province: Region, period: Period) -> list[dict[str, Any]]:
    """Sales per kab/kota of a province in the period (from the roll-up)."""
    stats = _in_period(DailyRegionStats.objects.filter(region__parent=province), period)
    return list(
        stats.values(code=F("region__code"), name=F("region__name"))
        .annotate(**_sums(FIGURES))
        .order_by("-turnover", "name")
    )


def per_stall(market: Market, period: Period) -> list[dict[str, Any]]:
    stats = _in_period(DailyStallStats.objects.filter(market=market), period)
    return list(
        stats.values("stall_id", name=F("stall__name"), trader=F("stall__trader__user__name"))
        .annotate(**_sums(SALES))
        .order_by("-turnover", "name")
    )


def stall_totals(stall: Stall, period: Period) -> dict[str, Any] | None:
    stats = _in_period(DailyStallStats.objects.filter(stall=stall), period)
    found = stats.aggregate(rows=Count("pk"), **_sums(SALES))
    return found if found["rows"] else None


def stall_trend(stall: Stall, period: Period) -> list[dict[str, Any]]:
    stats = _in_period(DailyStallStats.objects.filter(stall=stall), period)
    by_day = {row["date"]: row for row in stats.values("date", *SALES)}
    return [by_day.get(day, {"date": day, **dict.fromkeys(SALES)}) for day in period.dates()]


def commodities(scope: Scope, period: Period, limit: int = 10) -> list[dict[str, Any]]:
    stats = _in_period(scope.sold(), period)
    rows = (
        stats.values("commodity_id", name=F("commodity__name"))
        .annotate(turnover=Sum("turnover"), kg_sold=Sum("kg_sold"), items_sold=Sum("items_sold"))
        .order_by("-turnover", "name")
    )
    return list(rows[:limit] if limit else rows)


def adoption(scope: Scope, period: Period) -> dict[str, Any] | None:
    """Registered → trained → active traders on the last snapshot day of the period."""
    snapshots = scope.snapshots().filter(date__lte=period.end)
    last = snapshots.aggregate(day=Max("date"))["day"]
    if last is None or last < period.start - timedelta(days=ACTIVE_WINDOW_DAYS):
        return None
    found = snapshots.filter(date=last).aggregate(
        registered=Sum("registered"), trained=Sum("trained"), active=Sum("active"), trained_active=Sum("trained_active")
    )
    found["date"] = last
    found["active_share"] = _share(found["active"], found["registered"])
    found["conversion"] = _share(found["trained_active"], found["trained"])
    return found


def adoption_per_market(markets: QuerySet[Market], day: date) -> dict[int, dict[str, Any]]:
    rows = MarketAdoptionSnapshot.objects.filter(market__in=markets, date=day)
    return {r["market_id"]: dict(r) for r in rows.values("market_id", "registered", "trained", "active")}


def trained_not_live(markets: QuerySet[Market], limit: int | None = 100) -> list[Trader]:
    """Trained traders who never received an order and changed no price in the last 30 days.

    The field officer's list for next week's visits; newest training first.
    """
    since = timezone.now() - timedelta(days=ACTIVE_WINDOW_DAYS)
    stalls = Stall.objects.filter(market__in=markets)
    first_stall = Stall.objects.filter(trader=OuterRef("pk"), market__in=markets).order_by("pk")
    traders = (
        Trader.objects.filter(pk__in=stalls.values("trader_id"), status__in=TRAINED)
        .exclude(Exists(StallOrder.objects.filter(stall__trader=OuterRef("pk"))))
        .exclude(Exists(Product.objects.filter(stall__trader=OuterRef("pk"), price_updated_at__gte=since)))
        .annotate(
            last_training=Max("attendances__event__date"),
            stall_id=Subquery(first_stall.values("pk")[:1]),
            stall_name=Subquery(first_stall.values("name")[:1]),
            market_name=Subquery(first_stall.values("market__name")[:1]),
        )
        .select_related("user")
        .order_by(F("last_training").desc(nulls_last=True), "user__name")
    )
    return list(traders[:limit] if limit else traders)


def _share(part: int | Decimal | None, whole: int | Decimal | None) -> float | None:
    if not whole:
        return None
    return float(part or 0) / float(whole)
