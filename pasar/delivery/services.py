"""Writes of the courier queue: check in and out, dispatch (expire, discover, plan, offer), accept, decline,
pick up, deliver, and the operator's reassign.

Every write runs in one transaction that first locks the market's ``Pangkalan`` row, so two requests of
one market never plan or answer at the same time (on SQLite the IMMEDIATE transaction already queues
them). Orders are then locked by the orders services, in order-id order: pangkalan → orders, never the
reverse, so no deadlock with the order screens (which never touch this app's rows).

No clock daemon is needed. Offers carry ``expires_at``; ``dispatch`` applies expiries, discovers ready
delivery orders and offers trips. It runs inside every courier or operator action, on the queue pages
when something is due (``dispatch_if_due``: an offer past its time, or an idle courier and a waiting
order; otherwise a page view writes nothing), and from ``pasar dispatch_tick`` / the ``dispatch_tick``
task, which a scheduler (cron, systemd timer) runs every 15-30 s in production.

Jobs are *discovered*, not pushed: orders sits below delivery and must not import it, and a discovery
on every dispatch also catches orders that became ready while a task was lost. A job's ``ready_at`` is
the time of the order's ``order_ready`` event, so waiting times are exact whenever it is discovered.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.delivery import routing
from pasar.delivery.models import CourierShift, Job, Offer, Pangkalan, Trip
from pasar.delivery.notify import offer_tell
from pasar.markets.models import Market, MarketRole
from pasar.orders.models import Order, OrderEvent, StallOrder
from pasar.orders.services import fulfilment

MAX_CAPACITY = 20


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def lock_market(market: Market) -> Pangkalan:
    """The queue's lock: the market's pangkalan row, created on first use."""
    Pangkalan.objects.get_or_create(market=market)
    return Pangkalan.objects.select_for_update().get(market=market)


def takeable_orders(market: Market) -> Q:
    """Ready delivery orders nobody took that may leave the market: cash on delivery, already paid, or with
    cari-di-pasar lines still to buy (the same rule ``courier_take`` applies)."""
    return (
        Q(market=market, state=Order.State.READY, fulfilment=Order.Fulfilment.DELIVERY, courier__isnull=True)
        & fulfilment.takeable_q()
    )


def open_shift(courier: User) -> CourierShift | None:
    return CourierShift.objects.filter(courier=courier, checked_out_at__isnull=True).select_related("market").first()


# Check in and out.


def checkin(*, courier: User, market: Market, capacity: int | None = None, now: datetime | None = None) -> CourierShift:
    """Join the pangkalan's line at the back; checking in again at the same market changes nothing."""
    now = _now(now)
    capacity = capacity or settings.PASAR_DELIVERY_CAPACITY
    if not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(_("Orders per trip must be between 1 and 20."), code="capacity_invalid", field="capacity")
    if not MarketRole.objects.filter(user=courier, market=market, role=MarketRole.Role.COURIER).exists():
        raise DomainError(_("You are not a courier of this market."), code="not_a_courier")
    with transaction.atomic():
        lock_market(market)
        shift = open_shift(courier)
        if shift is not None and shift.market_id != market.pk:
            raise DomainError(
                _("Check out at %(market)s first.") % {"market": shift.market.name}, code="on_duty_elsewhere"
            )
        if shift is None:
            shift = CourierShift.objects.create(
                courier=courier, market=market, capacity=capacity, checked_in_at=now, queued_at=now
            )
        dispatch_locked(market, now)
    return shift


def checkout(*, courier: User, now: datetime | None = None) -> CourierShift:
    """Leave the line; an open offer is withdrawn (its orders go to the next courier); not during a trip."""
    now = _now(now)
    shift = open_shift(courier)
    if shift is None:
        raise DomainError(_("You are not checked in."), code="not_on_duty")
    with transaction.atomic():
        lock_market(shift.market)
        shift.refresh_from_db()
        if shift.checked_out_at is not None:
            return shift
        _finish_trips(shift.market, now)
        if Trip.objects.filter(courier=courier, state=Trip.State.ACTIVE).exists():
            raise DomainError(_("Finish your trip before checking out."), code="on_a_trip")
        for offer in Offer.objects.filter(shift=shift, state=Offer.State.PENDING):
            close_offer(offer, Offer.State.WITHDRAWN, now)
        shift.checked_out_at, shift.queued_at = now, None
        shift.save(update_fields=["checked_out_at", "queued_at"])
        dispatch_locked(shift.market, now)
    return shift


# Dispatch.


def dispatch(market: Market, *, now: datetime | None = None) -> list[Offer]:
    """Apply expiries, discover ready orders, and offer trips to idle couriers; the new offers."""
    now = _now(now)
    with transaction.atomic():
        lock_market(market)
        return dispatch_locked(market, now)


def dispatch_locked(market: Market, now: datetime) -> list[Offer]:
    """``dispatch`` for a caller already holding the market's lock."""
    _expire(market, now)
    _finish_trips(market, now)
    _sync_jobs(market)
    return _offer_trips(market, now)


def is_due(market: Market, *, now: datetime | None = None) -> bool:
    """Whether ``dispatch`` has anything to do: read-only, so a page view writes only when needed."""
    now = _now(now)
    if Offer.objects.filter(trip__market=market, state=Offer.State.PENDING, expires_at__lte=now).exists():
        return True
    if Job.objects.filter(finished_job_orders(), market=market, state=Job.State.ASSIGNED).exists():
        return True  # an order of a trip handed over (or cancelled) outside the trip page
    if not idle_shifts(market).exists():
        return False  # discovering orders with nobody on duty waits for a check-in or the tick
    if Order.objects.filter(takeable_orders(market), delivery_job__isnull=True).exists():
        return True
    if Job.objects.filter(market=market, state=Job.State.WAITING).exclude(takeable_job_orders()).exists():
        return True  # an order that moved on without the queue
    return Job.objects.filter(market=market, state=Job.State.WAITING, trip__isnull=True).exists()


def dispatch_if_due(market: Market, *, now: datetime | None = None) -> list[Offer]:
    """``dispatch`` only when ``is_due``: the periodic tick and page views take the market's lock (a write
    on SQLite) only when there is something to do."""
    if is_due(market, now=now):
        return dispatch(market, now=now)
    return []


def takeable_job_orders() -> Q:
    """Jobs whose order is still ready and untaken (a job whose order moved on is closed)."""
    return Q(order__state=Order.State.READY, order__courier__isnull=True)


def finished_job_orders() -> Q:
    """Jobs of a trip whose order left the courier's hands: handed over or cancelled."""
    return Q(order__state__in=[Order.State.DELIVERED, Order.State.CANCELLED])


def _finish_trips(market: Market, now: datetime) -> None:
    """Close what was handed over by any path (the trip page, ``/kurir/``, the API, the operator): a job
    whose order was delivered is done (cancelled: closed), and a trip with no job left in hand is done,
    its courier back at the end of the line. Orders sit below this app and cannot tell it, so the queue
    looks (on every dispatch, and ``is_due`` notices it)."""
    finished = Job.objects.filter(finished_job_orders(), market=market, state=Job.State.ASSIGNED)
    trip_ids = set(finished.values_list("trip_id", flat=True))
    if not trip_ids:
        return
    finished.filter(order__state=Order.State.DELIVERED).update(state=Job.State.DONE)
    finished.filter(order__state=Order.State.CANCELLED).update(state=Job.State.CLOSED)
    for trip in Trip.objects.filter(pk__in=trip_ids, state=Trip.State.ACTIVE).select_related("courier").order_by("pk"):
        _finish_if_empty(trip, now)


def _finish_if_empty(trip: Trip, now: datetime) -> bool:
    """Close the trip when none of its jobs is still with the courier; the courier re-joins at the back."""
    if trip.jobs.filter(state=Job.State.ASSIGNED).exists():
        return False
    trip.state, trip.finished_at = Trip.State.DONE, now
    trip.save(update_fields=["state", "finished_at"])
    if trip.courier_id is not None:
        shift = open_shift(trip.courier)  # type: ignore[arg-type]
        if shift is not None and shift.market_id == trip.market_id:
            _to_back(shift, now)
    return True


def idle_shifts(market: Market):  # type: ignore[no-untyped-def]  # a QuerySet[CourierShift]
    """Couriers in line without an open offer, longest waiting first."""
    return (
        CourierShift.objects.filter(market=market, checked_out_at__isnull=True, queued_at__isnull=False)
        .exclude(offers__state=Offer.State.PENDING)
        .order_by("queued_at", "pk")
    )


def _dissolve(trip: Trip) -> None:
    trip.state = Trip.State.DISSOLVED
    trip.save(update_fields=["state"])
    trip.jobs.filter(state=Job.State.WAITING).update(trip=None)


def close_offer(offer: Offer, state: str, now: datetime) -> None:
    offer.state, offer.answered_at = state, now
    offer.save(update_fields=["state", "answered_at"])
    _dissolve(offer.trip)


def _expire(market: Market, now: datetime) -> None:
    """Offers past their time: the courier goes to the back (in their previous order), the trip dissolves."""
    expired = list(
        Offer.objects.filter(trip__market=market, state=Offer.State.PENDING, expires_at__lte=now)
        .select_related("trip", "shift")
        .order_by("shift__queued_at", "pk")
    )
    for index, offer in enumerate(expired):
        close_offer(offer, Offer.State.EXPIRED, now)
        _to_back(offer.shift, now + timedelta(microseconds=index))


def _to_back(shift: CourierShift, now: datetime) -> None:
    if shift.checked_out_at is None:
        shift.queued_at = now
        shift.save(update_fields=["queued_at"])


def ready_time(order: Order) -> datetime:
    event = (
        OrderEvent.objects.filter(order=order, kind=f"order_{Order.State.READY}")
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return event or order.updated_at


def _sync_jobs(market: Market) -> None:
    """A job for every takeable ready order; close jobs whose order was cancelled or taken elsewhere."""
    for order in Order.objects.filter(takeable_orders(market), delivery_job__isnull=True).order_by("pk"):
        Job.objects.create(order=order, market=market, ready_at=ready_time(order))
    stale = Job.objects.filter(market=market, state=Job.State.WAITING).exclude(takeable_job_orders())
    for job in stale.select_related("trip"):
        if job.trip is not None and job.trip.state == Trip.State.OFFERED:
            for offer in job.trip.offers.filter(state=Offer.State.PENDING):
                offer.state, offer.answered_at = Offer.State.WITHDRAWN, timezone.now()
                offer.save(update_fields=["state", "answered_at"])
            _dissolve(job.trip)
    stale.update(state=Job.State.CLOSED, trip=None)


def _drop(job: Job, now: datetime) -> routing.Drop:
    order = job.order
    promise = job.ready_at + timedelta(minutes=settings.PASAR_DELIVERY_PROMISE_MINUTES)
    return routing.Drop(
        key=job.pk,
        lat=float(order.latitude or 0),
        lng=float(order.longitude or 0),
        due_s=int((promise - now).total_seconds()),
        age_s=max(0, int((now - job.ready_at).total_seconds())),
    )


def _riders(shifts: list[CourierShift]) -> list[routing.Rider]:
    """The idle couriers in line; ``strict`` for one who was offered a trip while the head already waited
    (offering them again before the head would be "offered twice while another waits longer")."""
    head = shifts[0].queued_at
    last = dict(
        Offer.objects.filter(courier_id__in=[s.courier_id for s in shifts])
        .values("courier_id")
        .annotate(at=Max("offered_at"))
        .values_list("courier_id", "at")
    )
    return [
        routing.Rider(
            key=shift.pk,
            capacity=shift.capacity,
            strict=index > 0
            and head is not None
            and last.get(shift.courier_id) is not None
            and last[shift.courier_id] >= head,
        )
        for index, shift in enumerate(shifts)
    ]


def _offer_trips(market: Market, now: datetime) -> list[Offer]:
    """Plan the waiting jobs over the idle couriers (``routing.fair_plan``) and offer each trip."""
    shifts = list(idle_shifts(market))
    jobs = list(
        Job.objects.filter(market=market, state=Job.State.WAITING, trip__isnull=True)
        .select_related("order")
        .order_by("ready_at", "pk")
    )
    if not shifts or not jobs:
        return []
    plan = routing.fair_plan(
        (market.latitude, market.longitude),
        [_drop(job, now) for job in jobs],
        _riders(shifts),
    )
    by_pk, shift_by_pk = {job.pk: job for job in jobs}, {shift.pk: shift for shift in shifts}
    offers = []
    expires = now + timedelta(seconds=settings.PASAR_DELIVERY_OFFER_SECONDS)
    for route in plan.routes:
        shift = shift_by_pk[route.rider]
        trip = Trip.objects.create(
            market=market,
            stops=[by_pk[key].order_id for key in route.drops],
            duration_s=route.duration_s,
            distance_m=route.distance_m,
        )
        for key in route.drops:
            job = by_pk[key]
            job.trip, job.offers_made = trip, job.offers_made + 1
            job.save(update_fields=["trip", "offers_made"])
        offer = Offer.objects.create(
            trip=trip, courier_id=shift.courier_id, shift=shift, offered_at=now, expires_at=expires
        )
        offer_tell(offer, [by_pk[key].order for key in route.drops])
        offers.append(offer)
    return offers


# The courier's answers and the trip.


def _own_offer(offer_id: int, courier: User) -> Offer:
    offer = Offer.objects.select_related("trip__market", "shift").filter(pk=offer_id).first()
    if offer is None or offer.courier_id != courier.pk:
        raise DomainError(_("This offer is not yours."), code="not_your_offer")
    lock_market(offer.trip.market)
    offer.refresh_from_db()
    return offer


def offer_accept(*, offer_id: int, courier: User, now: datetime | None = None) -> Trip:
    """Take every order of the trip (through the orders service, in order-id order) or none of them."""
    now = _now(now)
    with transaction.atomic():
        offer = _own_offer(offer_id, courier)
        trip = offer.trip
        if offer.state == Offer.State.ACCEPTED:
            return trip  # a double tap
        if offer.state != Offer.State.PENDING:
            raise DomainError(_("This offer is no longer open."), code="offer_closed")
        if offer.expires_at <= now:
            raise DomainError(_("This offer timed out."), code="offer_expired")
        jobs = list(trip.jobs.select_related("order").order_by("order_id"))
        for job in jobs:
            fulfilment.courier_take(order=job.order, courier=courier)
        offer.state, offer.answered_at = Offer.State.ACCEPTED, now
        offer.save(update_fields=["state", "answered_at"])
        trip.state, trip.courier = Trip.State.ACTIVE, courier
        trip.save(update_fields=["state", "courier"])
        trip.jobs.update(state=Job.State.ASSIGNED)
        offer.shift.queued_at = None
        offer.shift.save(update_fields=["queued_at"])
    return trip


def offer_decline(*, offer_id: int, courier: User, now: datetime | None = None) -> Offer:
    """Say no: the courier goes to the back of the line and the orders are offered to the next one."""
    now = _now(now)
    with transaction.atomic():
        offer = _own_offer(offer_id, courier)
        if offer.state != Offer.State.PENDING:
            raise DomainError(_("This offer is no longer open."), code="offer_closed")
        close_offer(offer, Offer.State.DECLINED, now)
        _to_back(offer.shift, now)
        dispatch_locked(offer.trip.market, now)
    return offer


def _own_trip(trip_id: int, courier: User) -> Trip:
    trip = Trip.objects.select_related("market").filter(pk=trip_id).first()
    if trip is None or trip.courier_id != courier.pk:
        raise DomainError(_("This trip is not yours."), code="not_your_trip")
    lock_market(trip.market)
    trip.refresh_from_db()
    if trip.state != Trip.State.ACTIVE:
        raise DomainError(_("This trip is finished."), code="trip_closed")
    return trip


def trip_pick_up(*, trip_id: int, stall_id: int, courier: User) -> list[StallOrder]:
    """Tick off one stall: every ready part of the trip's orders there is picked up."""
    with transaction.atomic():
        trip = _own_trip(trip_id, courier)
        parts = list(
            StallOrder.objects.filter(
                order__delivery_job__trip=trip, stall_id=stall_id, state=StallOrder.State.READY
            ).order_by("order_id", "pk")
        )
        if not parts:
            raise DomainError(_("Nothing to pick up at this stall."), code="nothing_here")
        for part in parts:
            fulfilment.courier_pick_up(order=part.order, part_id=part.pk, courier=courier)
    return parts


def trip_deliver(
    *, trip_id: int, order_id: int, code: str, cash: int | None, courier: User, now: datetime | None = None
) -> Trip:
    """Hand one order over; after the last one the courier re-joins the line at the back."""
    now = _now(now)
    with transaction.atomic():
        trip = _own_trip(trip_id, courier)
        job = trip.jobs.select_related("order").filter(order_id=order_id).first()
        if job is None:
            raise DomainError(_("This order is not part of your trip."), code="not_in_trip")
        fulfilment.courier_deliver(order=job.order, code=code, cash=cash, courier=courier)
        job.state = Job.State.DONE
        job.save(update_fields=["state"])
        _finish_trips(trip.market, now)  # also closes jobs of the trip handed over elsewhere
        trip.refresh_from_db()
        if trip.state == Trip.State.ACTIVE:
            _finish_if_empty(trip, now)
        if trip.state == Trip.State.DONE:
            dispatch_locked(trip.market, now)
    return trip


# The operator.


def reassign(*, market: Market, job_id: int, courier: User, now: datetime | None = None) -> Offer:
    """Offer one waiting order to a chosen idle courier out of turn (e.g. the buyer's neighbour)."""
    now = _now(now)
    with transaction.atomic():
        lock_market(market)
        _expire(market, now)
        job = Job.objects.select_related("trip", "order").filter(pk=job_id, market=market).first()
        if job is None or job.state != Job.State.WAITING:
            raise DomainError(_("This order is no longer waiting for a courier."), code="job_not_waiting")
        shift = idle_shifts(market).filter(courier=courier).first()
        if shift is None:
            raise DomainError(_("Choose a courier who is on duty and free."), code="courier_busy")
        if job.trip is not None:
            for offer in job.trip.offers.filter(state=Offer.State.PENDING):
                close_offer(offer, Offer.State.WITHDRAWN, now)  # not their fault: they keep their place
            job.refresh_from_db()
        trip = Trip.objects.create(market=market, stops=[job.order_id])
        job.trip, job.offers_made = trip, job.offers_made + 1
        job.save(update_fields=["trip", "offers_made"])
        expires = now + timedelta(seconds=settings.PASAR_DELIVERY_OFFER_SECONDS)
        return Offer.objects.create(trip=trip, courier=courier, shift=shift, offered_at=now, expires_at=expires)
