"""Reads of carts and orders, always scoped to the buyer who owns them."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects

from pasar.accounts.models import User
from pasar.core.geo import haversine_km
from pasar.markets.models import Market
from pasar.orders import bargain_selectors
from pasar.orders.models import (
    Cart,
    CartLine,
    CartRequest,
    Order,
    OrderEvent,
    OrderLine,
    PickupSlot,
    SearchLine,
    StallOrder,
)
from pasar.orders.pricing import delivery_fee, line_estimate
from pasar.orders.services.slots import SLOT_CAPACITY, slot_plan
from pasar.traders.models import Stall


@dataclass
class CartStall:
    stall: Stall
    lines: list[CartLine] = field(default_factory=list)

    @property
    def estimate(self) -> int:
        return sum(line.estimate for line in self.lines)  # type: ignore[attr-defined]


@dataclass
class CartView:
    """A buyer's cart at one market, lines grouped per stall, with the estimated total."""

    market: Market
    stalls: list[CartStall]
    requests: list[CartRequest] = field(default_factory=list)

    @property
    def lines(self) -> list[CartLine]:
        return [line for group in self.stalls for line in group.lines]

    @property
    def bargaining(self) -> bool:
        """Some line's offer waits for an answer (checkout then asks: wait, or the listed price)."""
        return any(line.bargaining for line in self.lines)

    @property
    def estimate(self) -> int:
        return sum(group.estimate for group in self.stalls)

    @property
    def caps(self) -> int:
        """The most the cari-di-pasar lines can cost."""
        return sum(request.price_cap for request in self.requests)

    @property
    def empty(self) -> bool:
        return not self.stalls and not self.requests

    @property
    def has_weighed(self) -> bool:
        """Weighed lines make the total an estimate: the final price follows the scale."""
        return any(line.product.weighed for line in self.lines)

    @property
    def count(self) -> int:
        return len(self.lines) + len(self.requests)


def cart_detail(*, buyer: User, market: Market) -> CartView:
    """The buyer's cart at ``market`` (empty if none yet: reading never creates one), grouped per stall."""
    lines = list(
        CartLine.objects.filter(cart__buyer=buyer, cart__market=market)
        .select_related("product__stall")
        .order_by("product__stall__block", "product__stall__row", "product__stall__number", "product__name", "pk")
    )
    groups: dict[int, CartStall] = {}
    offers = bargain_selectors.cart_offers(buyer=buyer, lines=lines)
    for line in lines:
        price = line.product.price if line.agreed_price is None else min(line.product.price, line.agreed_price)
        line.estimate = line_estimate(price, line.quantity)  # type: ignore[attr-defined]
        line.offer = offers.get(line.product_id)  # type: ignore[attr-defined]
        groups.setdefault(line.product.stall_id, CartStall(line.product.stall)).lines.append(line)
    requests = list(CartRequest.objects.filter(cart__buyer=buyer, cart__market=market).order_by("pk"))
    return CartView(market=market, stalls=list(groups.values()), requests=requests)


def cart_list(*, buyer: User) -> list[Cart]:
    """The buyer's non-empty carts, one per market, each with ``line_count``; most recently changed first."""
    return list(
        Cart.objects.filter(buyer=buyer)
        .annotate(line_count=Count("lines", distinct=True) + Count("requests", distinct=True))
        .filter(line_count__gt=0)
        .select_related("market")
        .order_by("-updated_at", "pk")
    )


def cart_line_count(*, buyer: User, market: Market) -> int:
    lines = CartLine.objects.filter(cart__buyer=buyer, cart__market=market).count()
    return lines + CartRequest.objects.filter(cart__buyer=buyer, cart__market=market).count()


@dataclass(frozen=True)
class SlotChoice:
    starts_at: datetime
    ends_at: datetime
    free: int


def pickup_slot_choices(*, market: Market, day: date, now: datetime) -> list[SlotChoice]:
    """The day's pickup windows that start after ``now`` and still have room.

    Planned windows without a row yet count as empty (rows are created when the first order books one).
    """
    planned = slot_plan(market, day)
    rows = {
        slot.starts_at: slot
        for slot in PickupSlot.objects.filter(market=market, starts_at__in=[p.starts_at for p in planned])
    }
    choices = []
    for p in planned:
        row = rows.get(p.starts_at)
        free = row.capacity - row.booked if row is not None else SLOT_CAPACITY
        if p.starts_at > now and free > 0:
            choices.append(SlotChoice(p.starts_at, p.ends_at, free))
    return choices


@dataclass(frozen=True)
class DeliveryQuote:
    distance_km: Decimal
    fee: int
    within_radius: bool


def delivery_quote(*, market: Market, latitude: float, longitude: float) -> DeliveryQuote:
    """The fee the checkout will charge for a point (same rounding as placement), and whether it is in range."""
    distance = Decimal(str(round(haversine_km(market.latitude, market.longitude, latitude, longitude), 2)))
    return DeliveryQuote(distance, delivery_fee(market, distance), distance <= market.delivery_radius_km)


@dataclass(frozen=True)
class SavedAddress:
    """A delivery point the buyer used before (remembered from their orders, newest first)."""

    order_id: int
    address: str
    landmark: str
    latitude: float
    longitude: float


def saved_addresses(*, buyer: User, market: Market, limit: int = 3) -> list[SavedAddress]:
    """The buyer's last distinct delivery points within this market's radius: one tap fills the form."""
    seen: set[tuple[str, str]] = set()
    found: list[SavedAddress] = []
    rows = (
        Order.objects.filter(buyer=buyer, fulfilment=Order.Fulfilment.DELIVERY, latitude__isnull=False)
        .exclude(address="")
        .order_by("-created_at", "-pk")
        .values_list("pk", "address", "landmark", "latitude", "longitude")[:50]
    )
    for pk, address, landmark, lat, lng in rows:
        if lat is None or lng is None:
            continue
        key = (" ".join(address.lower().split()), " ".join(landmark.lower().split()))
        if key in seen or haversine_km(market.latitude, market.longitude, lat, lng) > float(market.delivery_radius_km):
            continue
        seen.add(key)
        found.append(SavedAddress(pk, address, landmark, lat, lng))
        if len(found) == limit:
            break
    return found


def order_list(*, buyer: User) -> QuerySet[Order]:
    """The buyer's orders, newest first."""
    return Order.objects.filter(buyer=buyer).select_related("market").order_by("-created_at", "-pk")


def goods_estimate_now(order: Order) -> int:
    """The goods as they stand: weighed and approved amounts, approved substitutes, dropped lines at 0; a
    substitute still waiting for the buyer counts the original until they answer. Reads prefetched parts."""
    total = 0
    for part in order.parts.all():
        if part.state == StallOrder.State.CANCELLED:
            continue
        for line in part.lines.all():
            if line.state == OrderLine.State.SUBSTITUTE_PROPOSED:
                total += line.final_amount if line.final_amount is not None else line.estimate
            elif not (line.substitute_for_id and line.needs_approval):
                total += line.amount
    return total


def order_detail(*, buyer: User, number: str) -> Order | None:
    """One of the buyer's orders with its parts, lines and events prefetched (a fixed number of queries)."""
    lines = OrderLine.objects.select_related("substitute_for").order_by("pk")
    parts = StallOrder.objects.select_related("stall").prefetch_related(Prefetch("lines", queryset=lines))
    order = (
        Order.objects.filter(buyer=buyer, number=number)
        .select_related("market", "pickup_slot")
        .prefetch_related(
            Prefetch("parts", queryset=parts.order_by("pk")),
            Prefetch("events", queryset=OrderEvent.objects.order_by("pk")),
        )
        .first()
    )
    if order is not None:
        _prefetch_search_lines(order)
    return order


def _prefetch_search_lines(order: Order) -> None:
    """Cari-di-pasar lines, read only when the order has some (``search_cap`` is their caps' sum, > 0):
    most orders have none, and the order page polls every 15 s."""
    if order.search_cap:
        prefetch_related_objects([order], Prefetch("search_lines", queryset=SearchLine.objects.order_by("pk")))
    else:
        order._prefetched_objects_cache["search_lines"] = SearchLine.objects.none()  # type: ignore[attr-defined]


TIMELINE = [
    Order.State.PLACED,
    Order.State.CONFIRMED,
    Order.State.READY,
    Order.State.PICKED_UP,
    Order.State.DELIVERED,
]


@dataclass(frozen=True)
class TimelineStep:
    state: str
    label: str
    at: datetime | None
    done: bool


def order_timeline(order: Order) -> list[TimelineStep]:
    """placed → confirmed → ready → picked up → delivered (or → cancelled), with when each happened.

    Read from the order's prefetched events: ``placed``, then ``order_<state>`` rows.
    """
    when: dict[str, datetime] = {}
    for event in order.events.all():
        state = "placed" if event.kind == "placed" else event.kind.removeprefix("order_")
        when.setdefault(state, event.created_at)
    pickup = order.fulfilment == Order.Fulfilment.PICKUP
    states: list[str] = [s for s in TIMELINE if not (pickup and s == Order.State.PICKED_UP)]
    if order.state == Order.State.CANCELLED:
        reached = [s for s in states if s in when]
        states = [*reached, Order.State.CANCELLED]
    rank = states.index(order.state) if order.state in states else 0
    return [
        TimelineStep(state, str(Order.State(state).label), when.get(state), index <= rank)
        for index, state in enumerate(states)
    ]


def order_changes(order: Order) -> list[OrderLine]:
    """Lines that differ from what was ordered: weighed amounts, substitutes, unavailable or refused lines."""
    changed = []
    for part in order.parts.all():
        for line in part.lines.all():
            reweighed = line.final_amount is not None and (
                line.final_quantity != line.quantity or line.final_amount != line.estimate
            )  # weighed exactly as ordered: nothing changed for the buyer
            if (
                reweighed
                or line.substitute_for_id is not None
                or line.state != OrderLine.State.PENDING
                and line.state != OrderLine.State.AVAILABLE
            ):
                changed.append(line)
    return changed
