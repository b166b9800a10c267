"""The operator's day: live reads of one market's today (small: one market, one day, indexed)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from pasar.catalog.models import Product
from pasar.markets.models import Market
from pasar.orders.models import Order, StallOrder
from pasar.traders.models import Stall

LATE_AFTER = timedelta(hours=3)
OPEN_STATES = (Order.State.PLACED, Order.State.CONFIRMED)


@dataclass(frozen=True)
class Day:
    by_state: list[tuple[str, int]]
    late: list[Order]
    no_prices_today: Sequence[Stall]
    idle_this_month: Sequence[Stall]


def late_condition(market: Market, now: datetime) -> Q:
    """Not ready yet although the cut-off passed, its pickup slot began, or it was placed > 3 h ago."""
    local = now.astimezone(ZoneInfo(market.timezone))
    cutoff = datetime.combine(local.date(), market.order_cutoff, tzinfo=ZoneInfo(market.timezone))
    late = Q(created_at__lte=now - LATE_AFTER) | Q(pickup_slot__starts_at__lte=now)
    if local >= cutoff:
        late |= Q(created_at__lte=cutoff)
    return Q(state__in=OPEN_STATES) & late


def operator_day(market: Market, now: datetime | None = None) -> Day:
    now = now or timezone.now()
    tz = ZoneInfo(market.timezone)
    local = now.astimezone(tz)
    today_start = datetime.combine(local.date(), datetime.min.time(), tzinfo=tz)
    month_start = today_start.replace(day=1)
    orders = Order.objects.filter(market=market, for_date=local.date())
    labels = dict(Order.State.choices)
    by_state = [
        (str(labels[row["state"]]), row["n"])
        for row in orders.values("state").annotate(n=Count("pk")).order_by("state")
    ]
    late = list(orders.filter(late_condition(market, now)).select_related("buyer").order_by("created_at")[:100])
    stalls = Stall.objects.filter(market=market).select_related("trader__user")
    no_prices = list(
        stalls.annotate(last_price=Max("products__price_updated_at"))
        .filter(Q(last_price__lt=today_start) | Q(last_price__isnull=True))
        .order_by("block", "row", "number")
    )
    priced = Product.objects.filter(stall=OuterRef("pk"), price_updated_at__gte=month_start)
    ordered = StallOrder.objects.filter(stall=OuterRef("pk"), order__created_at__gte=month_start)
    idle = list(stalls.exclude(Exists(priced)).exclude(Exists(ordered)).order_by("block", "row", "number"))
    return Day(by_state=by_state, late=late, no_prices_today=no_prices, idle_this_month=idle)


def day_context(market: Market) -> dict[str, Any]:
    day = operator_day(market)
    return {"day": day, "market": market, "queue_url": f"/pengelola/{market.slug}/antrian/"}
