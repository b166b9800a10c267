"""Reads of the courier queue, shared by the pages and the API."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from pasar.accounts.models import User
from pasar.delivery.models import CourierShift, ExternalDispatch, Job, Offer, Trip
from pasar.delivery.routing import layout_key
from pasar.delivery.services import ready_time, takeable_orders
from pasar.markets.models import Market
from pasar.orders.models import Order, SearchLine, StallOrder
from pasar.orders.staff_selectors import courier_delivered, market_today
from pasar.payments.services.ledger import delivery_operator_share
from pasar.traders.models import Stall


def queue(market: Market) -> QuerySet[CourierShift]:
    """Couriers in line at the pangkalan, longest waiting first (riding couriers are not in line)."""
    return (
        CourierShift.objects.filter(market=market, checked_out_at__isnull=True, queued_at__isnull=False)
        .select_related("courier")
        .order_by("queued_at", "pk")
    )


def on_duty(market: Market) -> QuerySet[CourierShift]:
    return (
        CourierShift.objects.filter(market=market, checked_out_at__isnull=True)
        .select_related("courier")
        .order_by("checked_in_at", "pk")
    )


@dataclass
class Stop:
    """A stall to pick up at (with the trip's parts there) or an order to drop off."""

    stall: Stall | None = None
    parts: list[StallOrder] = field(default_factory=list)
    order: Order | None = None
    form: Any = None  # the handover form, set by the page

    @property
    def picked_up(self) -> bool:
        return all(part.state == StallOrder.State.PICKED_UP for part in self.parts)

    @property
    def maps_url(self) -> str:
        assert self.order is not None
        return (
            f"https://www.google.com/maps/dir/?api=1&destination={self.order.latitude:.6f},{self.order.longitude:.6f}"
        )

    @property
    def cash_due(self) -> int:
        assert self.order is not None
        order = self.order
        return (order.goods_total or 0) + int(getattr(order, "bought_total", 0) or 0) + order.delivery_fee

    @property
    def fee_kept(self) -> int:
        """What the courier keeps of this order's delivery fee (the operator's share taken off)."""
        assert self.order is not None
        return self.order.delivery_fee - delivery_operator_share(self.order.delivery_fee)

    @property
    def to_buy(self) -> list[SearchLine]:
        """The order's cari-di-pasar lines, bought by the courier with their own cash."""
        assert self.order is not None
        return list(self.order.search_lines.all())


def trip_orders(trip: Trip) -> list[Order]:
    """The trip's orders in route order, each with its parts and stalls."""
    orders = {
        order.pk: order
        for order in Order.objects.filter(pk__in=trip.stops)
        .select_related("buyer")
        .prefetch_related(
            Prefetch("parts", queryset=StallOrder.objects.select_related("stall").order_by("pk")),
            Prefetch("search_lines", queryset=SearchLine.objects.order_by("pk")),
        )
    }
    return [orders[pk] for pk in trip.stops if pk in orders]


def pickups(orders: list[Order]) -> list[Stop]:
    """One stop per stall, in market-layout order (block, row, number), with every part to collect there."""
    stops: dict[int, Stop] = {}
    for order in orders:
        for part in order.parts.all():
            if part.state == StallOrder.State.CANCELLED:
                continue
            stops.setdefault(part.stall_id, Stop(stall=part.stall)).parts.append(part)
    return sorted(stops.values(), key=lambda s: layout_key(s.stall.block, s.stall.row, s.stall.number))  # type: ignore[union-attr]


def dropoffs(orders: list[Order]) -> list[Stop]:
    return [Stop(order=order) for order in orders]


@dataclass
class Earnings:
    deliveries: int
    fees: int
    cash: int


def earnings_today(*, courier: User, market: Market, day: date | None = None) -> Earnings:
    """Orders handed over today, what the courier keeps of their fees, and the cash they hold."""
    delivered = courier_delivered(courier=courier, day=day or market_today(market))
    kept = sum(order.delivery_fee - delivery_operator_share(order.delivery_fee) for order in delivered.orders)
    return Earnings(deliveries=len(delivered.orders), fees=kept, cash=delivered.cash)


@dataclass
class CourierScreen:
    shift: CourierShift | None
    position: int | None
    offer: Offer | None
    seconds_left: int
    trip: Trip | None
    orders: list[Order]
    pickups: list[Stop]
    dropoffs: list[Stop]

    @property
    def km(self) -> Decimal:
        shown = self.trip or (self.offer.trip if self.offer else None)
        return (Decimal(shown.distance_m) / 1000).quantize(Decimal("0.1")) if shown else Decimal(0)

    @property
    def fees(self) -> int:
        """What the courier earns for the shown trip (their share of the delivery fees)."""
        return sum(stop.fee_kept for stop in self.dropoffs)

    @property
    def cash(self) -> int:
        """Cash to collect on the shown trip (cash-on-delivery orders, before cari-di-pasar purchases)."""
        return sum(stop.cash_due for stop in self.dropoffs if stop.order and stop.order.payment_method == "cod")

    @property
    def buys(self) -> int:
        """How many cari-di-pasar lines the courier buys on the shown trip."""
        return sum(len(stop.to_buy) for stop in self.dropoffs)

    @property
    def minutes(self) -> int:
        shown = self.trip or (self.offer.trip if self.offer else None)
        return round(shown.duration_s / 60) if shown else 0


def courier_screen(*, courier: User, now: datetime | None = None) -> CourierScreen:
    """What the courier's phone shows: their place in line, the open offer, the trip in hand."""
    now = now or timezone.now()
    shift = CourierShift.objects.filter(courier=courier, checked_out_at__isnull=True).select_related("market").first()
    position = None
    if shift is not None and shift.queued_at is not None:
        position = 1 + queue(shift.market).filter(queued_at__lt=shift.queued_at).count()
    offer = (
        Offer.objects.filter(courier=courier, state=Offer.State.PENDING, expires_at__gt=now)
        .select_related("trip")
        .first()
    )
    trip = Trip.objects.filter(courier=courier, state=Trip.State.ACTIVE).select_related("market").first()
    shown = trip or (offer.trip if offer else None)
    orders = trip_orders(shown) if shown else []
    return CourierScreen(
        shift=shift,
        position=position,
        offer=offer,
        seconds_left=max(0, int((offer.expires_at - now).total_seconds())) if offer else 0,
        trip=trip,
        orders=orders,
        pickups=pickups(orders),
        dropoffs=dropoffs(orders),
    )


@dataclass
class Waiting:
    """An order waiting for a courier: its job once discovered, when it became ready, whom it is offered to."""

    order: Order
    job: Job | None
    ready_at: datetime
    offered_to: list[str]

    def minutes(self, now: datetime) -> int:
        return max(0, int((now - self.ready_at).total_seconds() // 60))


def waiting(market: Market) -> list[Waiting]:
    """Jobs waiting, and ready orders not discovered yet (nobody on duty): read-only, oldest first."""
    jobs = (
        Job.objects.filter(market=market, state=Job.State.WAITING)
        .select_related("order", "trip")
        .prefetch_related(
            Prefetch("trip__offers", queryset=Offer.objects.filter(state=Offer.State.PENDING).select_related("courier"))
        )
    )
    rows = [
        Waiting(
            order=job.order,
            job=job,
            ready_at=job.ready_at,
            offered_to=[offer.courier.name for offer in job.trip.offers.all()] if job.trip else [],
        )
        for job in jobs
    ]
    for order in Order.objects.filter(takeable_orders(market), delivery_job__isnull=True):
        rows.append(Waiting(order=order, job=None, ready_at=ready_time(order), offered_to=[]))
    return sorted(rows, key=lambda row: (row.ready_at, row.order.pk))


def operator_board(market: Market) -> dict[str, Any]:
    """The operator's live view: the line, who is on duty or riding, waiting orders, external bookings."""
    return {
        "line": list(queue(market)),
        "on_duty": list(on_duty(market)),
        "waiting": waiting(market),
        "riding": list(
            Trip.objects.filter(market=market, state=Trip.State.ACTIVE).select_related("courier").order_by("pk")
        ),
        "external": list(
            ExternalDispatch.objects.filter(job__market=market)
            .exclude(state__in=[ExternalDispatch.State.DELIVERED, ExternalDispatch.State.CANCELLED])
            .select_related("job__order")
        ),
    }
