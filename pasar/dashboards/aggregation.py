"""The nightly aggregation: one market day of orders, lines and adoption into the summary tables.

Every figure is a GROUP BY in the database; Python only merges a few rows per market. A re-run for
the same day replaces that day's rows in one transaction, so it is idempotent and a page never sees a
half-written day.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Case, Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from pasar.catalog.models import Product
from pasar.dashboards.models import DailyCommodityStats, DailyMarketStats, DailyStallStats, MarketAdoptionSnapshot
from pasar.dashboards.rollup import kg_rounded, regions_of, rollup_adoption, rollup_days
from pasar.markets.models import Market
from pasar.orders.models import DROPPED_LINE_STATES, Order, OrderLine, StallOrder
from pasar.traders.models import Stall, Trader

JAKARTA = ZoneInfo("Asia/Jakarta")
ACTIVE_WINDOW_DAYS = 30
COMPLETED = (Order.State.DELIVERED, Order.State.PICKED_UP)
TRAINED = (Trader.Status.TRAINED, Trader.Status.ACTIVE)
KG = DecimalField(max_digits=14, decimal_places=3)
# Weighed units that are masses, as a factor to kilograms (liters are not kilograms).
KG_PER_UNIT = {"kg": Decimal(1), "ons": Decimal("0.1"), "gram": Decimal("0.001")}


def kg_expression(prefix: str = "") -> Case:
    quantity = Coalesce(f"{prefix}final_quantity", f"{prefix}quantity")
    return Case(
        *[When(**{f"{prefix}unit": unit}, then=quantity * Value(factor)) for unit, factor in KG_PER_UNIT.items()],
        default=Value(Decimal(0)),
        output_field=KG,
    )


DayRange = tuple[date, date]


@dataclass(frozen=True)
class DayResult:
    day: date
    markets: int
    stalls: int
    commodities: int
    snapshots: int
    region_days: int = 0  # roll-up rows per kab/kota and province
    region_commodities: int = 0


def _sold_lines(days: DayRange, market_ids: Collection[int] | None) -> QuerySet[OrderLine]:
    """Kept lines of the days' completed orders (dropped lines and cancelled parts sold nothing)."""
    lines = OrderLine.objects.filter(
        part__order__for_date__gte=days[0], part__order__for_date__lte=days[1], part__order__state__in=COMPLETED
    ).exclude(state__in=DROPPED_LINE_STATES)
    lines = lines.exclude(part__state=StallOrder.State.CANCELLED)
    if market_ids is not None:
        lines = lines.filter(part__order__market_id__in=market_ids)
    return lines


SALES = {
    "turnover": Coalesce(Sum(Coalesce("final_amount", "estimate")), 0),
    "items_sold": Count("pk"),
    "kg_sold": Coalesce(Sum(kg_expression()), Value(Decimal(0)), output_field=KG),
}


def _sales_of(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    return {
        "turnover": row.get("turnover", 0),
        "items_sold": row.get("items_sold", 0),
        "kg_sold": kg_rounded(row.get("kg_sold")),
    }


def _courier_trips() -> dict[str, Any]:
    """Rides, not orders: a queue trip carrying three orders is one trip; an order a courier took
    outside the queue (no trip) is a ride of its own."""
    delivered = Q(state=Order.State.DELIVERED, fulfilment=Order.Fulfilment.DELIVERY, courier__isnull=False)
    return {
        "trips_pooled": Count("delivery_job__trip", distinct=True, filter=delivered),
        "trips_alone": Count("pk", filter=delivered & Q(delivery_job__trip__isnull=True)),
    }


def _market_rows(days: DayRange, market_ids: Collection[int] | None) -> list[DailyMarketStats]:
    orders = Order.objects.filter(for_date__gte=days[0], for_date__lte=days[1])
    if market_ids is not None:
        orders = orders.filter(market_id__in=market_ids)
    counts = (
        orders.values("market_id", date=F("for_date"))
        .annotate(
            orders=Count("pk"),
            completed=Count("pk", filter=Q(state__in=COMPLETED)),
            cancelled=Count("pk", filter=Q(state=Order.State.CANCELLED)),
            delivery_orders=Count("pk", filter=Q(fulfilment=Order.Fulfilment.DELIVERY)),
            pickup_orders=Count("pk", filter=Q(fulfilment=Order.Fulfilment.PICKUP)),
        )
        .annotate(**_courier_trips())
    )
    grouped = _sold_lines(days, market_ids).values(
        market_id=F("part__order__market_id"), date=F("part__order__for_date")
    )
    sales = {(row["market_id"], row["date"]): dict(row) for row in grouped.annotate(**SALES)}
    # Hotels, restaurants and warung (orders placed for a business) apart from households.
    business = {
        (row["market_id"], row["date"]): row["turnover"]
        for row in grouped.filter(part__order__business__isnull=False).annotate(turnover=SALES["turnover"])
    }
    rows = []
    for found in counts:
        row: dict[str, Any] = dict(found)
        row["courier_trips"] = row.pop("trips_pooled") + row.pop("trips_alone")
        row["business_turnover"] = business.get((row["market_id"], row["date"]), 0)
        rows.append(DailyMarketStats(**row, **_sales_of(sales.get((row["market_id"], row["date"])))))
    return rows


def _stall_rows(days: DayRange, market_ids: Collection[int] | None) -> list[DailyStallStats]:
    parts = StallOrder.objects.filter(order__for_date__gte=days[0], order__for_date__lte=days[1])
    if market_ids is not None:
        parts = parts.filter(order__market_id__in=market_ids)
    counts = parts.values("stall_id", market_id=F("order__market_id"), date=F("order__for_date")).annotate(
        orders=Count("pk"),
        completed=Count("pk", filter=Q(order__state__in=COMPLETED) & ~Q(state=StallOrder.State.CANCELLED)),
    )
    grouped = _sold_lines(days, market_ids).values(stall_id=F("part__stall_id"), date=F("part__order__for_date"))
    sales = {(row["stall_id"], row["date"]): dict(row) for row in grouped.annotate(**SALES)}
    return [DailyStallStats(**row, **_sales_of(sales.get((row["stall_id"], row["date"])))) for row in counts]


def _commodity_rows(days: DayRange, market_ids: Collection[int] | None) -> list[DailyCommodityStats]:
    grouped = (
        _sold_lines(days, market_ids)
        .filter(product__commodity__isnull=False)
        .values(
            market_id=F("part__order__market_id"),
            commodity_id=F("product__commodity_id"),
            date=F("part__order__for_date"),
        )
        .annotate(**SALES)
    )
    rows: list[dict[str, Any]] = [dict(row) for row in grouped]
    return [DailyCommodityStats(**{**row, "kg_sold": kg_rounded(row["kg_sold"])}) for row in rows]


def day_end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=JAKARTA)


def active_stall_condition(day: date) -> Q:
    """A stall is digitally active on ``day`` if a price changed or an order came in during the last 30 days."""
    end = day_end(day)
    start = end - timedelta(days=ACTIVE_WINDOW_DAYS)
    priced = Product.objects.filter(stall=OuterRef("pk"), price_updated_at__gte=start, price_updated_at__lt=end)
    ordered = StallOrder.objects.filter(stall=OuterRef("pk"), order__created_at__gte=start, order__created_at__lt=end)
    return Q(Exists(priced)) | Q(Exists(ordered))


def trained_by(day: date) -> Q:
    """Trained on or before ``day``; a trained status without a date (set by hand in the database)
    counts as trained all along."""
    undated = Q(trader__trained_at__isnull=True, trader__status__in=TRAINED)
    return Q(trader__trained_at__lt=day_end(day)) | undated


def _snapshot_rows(day: date, market_ids: Collection[int] | None) -> list[MarketAdoptionSnapshot]:
    """Adoption as it stood at the end of ``day``: a backfill of past days does not count the stalls
    registered, or the trainings held, after them."""
    stalls = Stall.objects.filter(created_at__lt=day_end(day))
    if market_ids is not None:
        stalls = stalls.filter(market_id__in=market_ids)
    active = active_stall_condition(day)
    trained = trained_by(day)
    grouped = stalls.values("market_id").annotate(
        registered=Count("trader_id", distinct=True),
        trained=Count("trader_id", distinct=True, filter=trained),
        active=Count("trader_id", distinct=True, filter=active),
        trained_active=Count("trader_id", distinct=True, filter=trained & active),
    )
    return [MarketAdoptionSnapshot(date=day, **row) for row in grouped]


def aggregate_day(day: date, market_ids: Collection[int] | None = None) -> DayResult:
    """Replace the summary rows of ``day`` (for ``market_ids``, or every market) in one transaction."""
    return aggregate_days(day, day, market_ids)


def aggregate_days(first: date, last: date, market_ids: Collection[int] | None = None) -> DayResult:
    """Replace the sales rows of ``first``..``last`` in one pass (a backfill groups by day too) and the
    adoption snapshot of ``last`` (adoption is "as of" a day: the nightly run takes yesterday)."""
    markets = None if market_ids is None else sorted(set(market_ids))
    days = (first, last)
    market_rows = _market_rows(days, markets)
    stall_rows = _stall_rows(days, markets)
    commodity_rows = _commodity_rows(days, markets)
    snapshots = _snapshot_rows(last, markets)
    with transaction.atomic():
        for model in (DailyMarketStats, DailyStallStats, DailyCommodityStats):
            old = model._default_manager.filter(date__gte=first, date__lte=last)
            if markets is not None:
                old = old.filter(market_id__in=markets)
            old.delete()
        old_snapshots = MarketAdoptionSnapshot.objects.filter(date=last)
        if markets is not None:
            old_snapshots = old_snapshots.filter(market_id__in=markets)
        old_snapshots.delete()
        DailyMarketStats.objects.bulk_create(market_rows, batch_size=2000)
        DailyStallStats.objects.bulk_create(stall_rows, batch_size=2000)
        DailyCommodityStats.objects.bulk_create(commodity_rows, batch_size=2000)
        MarketAdoptionSnapshot.objects.bulk_create(snapshots, batch_size=2000)
        regions = regions_of(markets)
        region_days, region_commodities = rollup_days(first, last, regions)
        rollup_adoption(last, regions)
    return DayResult(
        last, len(market_rows), len(stall_rows), len(commodity_rows), len(snapshots), region_days, region_commodities
    )


def all_market_ids() -> list[int]:
    return list(Market.objects.values_list("pk", flat=True))
