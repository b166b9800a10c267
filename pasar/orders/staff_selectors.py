"""Reads for the staff's order screens: a trader's parts, a courier's orders, a market's orders by state."""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.markets.models import Market
from pasar.orders.models import Order, OrderLine, SearchLine, StallOrder
from pasar.orders.services.fulfilment import takeable_q
from pasar.traders.models import Stall

PS = StallOrder.State
# Pending parts first: they wait for the trader; finished and cancelled ones last.
PART_RANK = Case(
    When(state=PS.PENDING, then=Value(0)),
    When(state=PS.ACCEPTED, then=Value(1)),
    When(state=PS.READY, then=Value(2)),
    When(state=PS.PICKED_UP, then=Value(3)),
    default=Value(4),
    output_field=IntegerField(),
)
ORIGINAL_LINES = Q(lines__substitute_for__isnull=True)


def market_today(market: Market) -> date:
    """The calendar day at the market (WIB, WITA or WIT)."""
    return timezone.now().astimezone(ZoneInfo(market.timezone)).date()


def trader_parts(*, stalls: list[Stall], day: date, upcoming: bool = False) -> QuerySet[StallOrder]:
    """The stalls' parts for ``day`` (or, with ``upcoming``, for the days after it), pending first."""
    when = Q(order__for_date__gt=day) if upcoming else Q(order__for_date=day)
    return (
        StallOrder.objects.filter(when, stall__in=stalls)
        .select_related("order__pickup_slot", "stall")
        .annotate(
            rank=PART_RANK,
            line_count=Count("lines", filter=ORIGINAL_LINES),
            estimate=Sum("lines__estimate", filter=ORIGINAL_LINES),
        )
        .order_by("rank", "order__for_date", "order__created_at", "pk")
    )


def part_lines(*, part: StallOrder) -> list[OrderLine]:
    """The part's ordered lines, each with its proposed substitute (if any) attached."""
    return list(part.lines.filter(substitute_for__isnull=True).select_related("product", "substitute").order_by("pk"))


def part_with_lines(*, part_id: int) -> StallOrder:
    """One part with its stall, order and every line (substitutes included), for the API."""
    return (
        StallOrder.objects.select_related("stall", "order__pickup_slot")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .get(pk=part_id)
    )


def substitute_choices(*, part: StallOrder) -> QuerySet[Product]:
    """The stall's own products that are available today: what a trader may propose instead."""
    return Product.objects.filter(stall_id=part.stall_id, available=True).order_by("name")


def courier_available(*, markets: list[Market]) -> QuerySet[Order]:
    """Ready delivery orders of the markets that no courier has taken: cash on delivery, already paid, or
    with cari-di-pasar lines to buy (their amount follows the courier's purchases)."""
    takeable = takeable_q()
    return (
        Order.objects.filter(
            takeable,
            market__in=markets,
            state=Order.State.READY,
            fulfilment=Order.Fulfilment.DELIVERY,
            courier__isnull=True,
        )
        .select_related("market")
        .prefetch_related(Prefetch("parts", queryset=StallOrder.objects.select_related("stall")))
        .order_by("for_date", "created_at", "pk")
    )


def courier_current(*, courier: User) -> QuerySet[Order]:
    """The courier's orders on their way: taken, not yet handed over."""
    return (
        Order.objects.filter(courier=courier, state__in=[Order.State.READY, Order.State.PICKED_UP])
        .select_related("market", "buyer")
        .prefetch_related(
            Prefetch("parts", queryset=StallOrder.objects.select_related("stall").order_by("pk")),
            Prefetch("search_lines", queryset=SearchLine.objects.order_by("pk")),
        )
        .order_by("for_date", "created_at", "pk")
    )


def courier_trip_order_ids(*, courier: User) -> set[int]:
    """The courier's orders riding on a queue trip: their page is the trip page (``/kurir/antrian/``).

    Looked up by the delivery app's related name (no import: delivery sits above orders)."""
    return set(
        Order.objects.filter(
            courier=courier, delivery_job__trip__state="active", delivery_job__trip__courier=courier
        ).values_list("pk", flat=True)
    )


def courier_order(*, order_id: int) -> Order:
    """One order as a courier sees it: market, buyer, the stalls to pick up from, the lines to buy."""
    return (
        Order.objects.select_related("market", "buyer")
        .prefetch_related(
            Prefetch("parts", queryset=StallOrder.objects.select_related("stall").order_by("pk")),
            Prefetch("search_lines", queryset=SearchLine.objects.order_by("pk")),
        )
        .get(pk=order_id)
    )


@dataclass(frozen=True)
class Delivered:
    orders: list[Order]
    fees: int
    cash: int


def courier_delivered(*, courier: User, day: date) -> Delivered:
    """Orders the courier handed over on ``day``, the delivery fees earned and the cash collected."""
    orders = list(
        Order.objects.filter(
            courier=courier,
            state=Order.State.DELIVERED,
            events__kind=f"order_{Order.State.DELIVERED}",
            events__created_at__date=day,
        ).order_by("-updated_at", "pk")
    )
    return Delivered(
        orders=orders,
        fees=sum(order.delivery_fee for order in orders),
        cash=sum(order.cash_collected or 0 for order in orders),
    )


@dataclass(frozen=True)
class OrderFilter:
    state: str | None = None
    day: date | None = None


def operator_orders(*, market: Market, chosen: OrderFilter) -> QuerySet[Order]:
    """Every order of the market on the chosen day and state, newest first, each with its parts."""
    orders = Order.objects.filter(market=market)
    if chosen.day is not None:
        orders = orders.filter(for_date=chosen.day)
    if chosen.state:
        orders = orders.filter(state=chosen.state)
    return (
        orders.select_related("market", "buyer", "courier", "pickup_slot")
        .prefetch_related(Prefetch("parts", queryset=StallOrder.objects.select_related("stall").order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def operator_state_counts(*, market: Market, day: date | None) -> dict[str, int]:
    """How many orders of the market are in each state (on ``day``), for the filter chips."""
    orders = Order.objects.filter(market=market)
    if day is not None:
        orders = orders.filter(for_date=day)
    # ``order_by()`` drops the model's default ordering, which would otherwise split the groups.
    counts = {row["state"]: row["n"] for row in orders.order_by().values("state").annotate(n=Count("pk"))}
    return {state: counts.get(state, 0) for state in Order.State.values}
