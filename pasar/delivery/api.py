"""The courier queue over JSON (session auth, CSRF header on writes), through the same services as the pages.

401 without a login; 404 for someone who is not a courier of a market (or not its operator), and for an
offer or trip that is not the caller's (same answer as a missing one). A refusal by the service (offer
timed out, wrong handover code, on a trip, ...) is 400 with ``{"detail", "code"}``.
"""

from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params.functions import Path
from ninja.responses import Status
from ninja.security import django_auth

from pasar.core.api import MAX_ID, SlugPath, not_found
from pasar.core.errors import DomainError
from pasar.core.schemas import ErrorOut, ValidationErrorOut
from pasar.delivery import access, selectors, services
from pasar.delivery.models import CourierShift, Trip
from pasar.delivery.schemas import CheckinIn, DeliverIn, OperatorQueueOut, QueueOut
from pasar.markets.access import market_for_operator_or_404
from pasar.orders.api_support import acting_user, refused
from pasar.orders.models import Order
from pasar.orders.schemas import RefusalOut

router = Router(tags=["delivery"], auth=django_auth)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
ERRORS = {400: RefusalOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _courier(request: HttpRequest):  # type: ignore[no-untyped-def]
    try:
        return access.courier_or_404(acting_user(request))
    except Http404:
        raise not_found(_("You are not a courier of any market.")) from None


def _trip_out(trip: Trip | None, screen: selectors.CourierScreen) -> dict[str, object] | None:
    if trip is None:
        return None
    return {
        "id": trip.pk,
        "state": trip.state,
        "distance_m": trip.distance_m,
        "duration_s": trip.duration_s,
        "pickups": [
            {
                "stall_id": stop.stall.pk,
                "stall": stop.stall.name,
                "location": stop.stall.location,
                "bags": len(stop.parts),
                "picked_up": stop.picked_up,
            }
            for stop in screen.pickups
            if stop.stall is not None
        ],
        "dropoffs": [
            {
                "order_id": stop.order.pk,
                "number": stop.order.number,
                "address": stop.order.address,
                "latitude": stop.order.latitude,
                "longitude": stop.order.longitude,
                "maps_url": stop.maps_url,
                "state": stop.order.state,
                "cash_due": stop.cash_due if stop.order.payment_method == Order.PaymentMethod.COD else None,
            }
            for stop in screen.dropoffs
            if stop.order is not None
        ],
    }


def _queue(request: HttpRequest) -> dict[str, object]:
    courier, markets = _courier(request)
    shift = services.open_shift(courier)
    if shift is not None:
        services.dispatch_if_due(shift.market)
    screen = selectors.courier_screen(courier=courier)
    earnings = selectors.earnings_today(courier=courier, market=shift.market if shift else markets[0])
    offer = screen.offer if screen.trip is None else None
    return {
        "on_duty": shift is not None,
        "market": shift.market.slug if shift else None,
        "capacity": shift.capacity if shift else None,
        "position": screen.position,
        "offer": {
            "id": offer.pk,
            "expires_at": offer.expires_at,
            "seconds_left": screen.seconds_left,
            "trip": _trip_out(offer.trip, screen),
        }
        if offer
        else None,
        "trip": _trip_out(screen.trip, screen),
        "earned_today": earnings.fees,
        "cash_today": earnings.cash,
    }


def _act(request: HttpRequest, action) -> dict[str, object] | Status[RefusalOut]:  # type: ignore[no-untyped-def]
    try:
        action()
    except DomainError as exc:
        return refused(exc)
    return _queue(request)


@router.get("/courier/queue", response={200: QueueOut, **ERRORS}, operation_id="courier_queue", summary="My queue")
def courier_queue(request: HttpRequest) -> dict[str, object]:
    """Place in line, the open offer (with seconds left), the trip in hand, today's earnings."""
    return _queue(request)


@router.post("/courier/queue/check-in", response={200: QueueOut, **ERRORS}, operation_id="courier_check_in")
def courier_check_in(request: HttpRequest, data: CheckinIn) -> dict[str, object] | Status[RefusalOut]:
    """Join the line at the back of the market's pangkalan."""
    courier, markets = _courier(request)
    market = next((m for m in markets if m.slug == data.market), None)
    if market is None:
        raise not_found(_("You are not a courier of this market."))
    return _act(request, lambda: services.checkin(courier=courier, market=market, capacity=data.capacity))


@router.post("/courier/queue/check-out", response={200: QueueOut, **ERRORS}, operation_id="courier_check_out")
def courier_check_out(request: HttpRequest) -> dict[str, object] | Status[RefusalOut]:
    """Leave the line (not during a trip); an open offer goes to the next courier."""
    courier, _markets = _courier(request)
    return _act(request, lambda: services.checkout(courier=courier))


def _offer(request: HttpRequest, offer_id: int):  # type: ignore[no-untyped-def]
    courier, _markets = _courier(request)
    try:
        return courier, access.offer_for_courier_or_404(user=courier, offer_id=offer_id)
    except Http404:
        raise not_found(_("Offer not found.")) from None


@router.post("/courier/offers/{offer_id}/accept", response={200: QueueOut, **ERRORS}, operation_id="offer_accept")
def offer_accept(request: HttpRequest, offer_id: Id) -> dict[str, object] | Status[RefusalOut]:
    """Take every order of the offered trip (all or none); 400 `offer_expired` after the countdown."""
    courier, offer = _offer(request, offer_id)
    return _act(request, lambda: services.offer_accept(offer_id=offer.pk, courier=courier))


@router.post("/courier/offers/{offer_id}/decline", response={200: QueueOut, **ERRORS}, operation_id="offer_decline")
def offer_decline(request: HttpRequest, offer_id: Id) -> dict[str, object] | Status[RefusalOut]:
    """Say no: back to the end of the line."""
    courier, offer = _offer(request, offer_id)
    return _act(request, lambda: services.offer_decline(offer_id=offer.pk, courier=courier))


def _trip(request: HttpRequest, trip_id: int):  # type: ignore[no-untyped-def]
    courier, _markets = _courier(request)
    try:
        return courier, access.trip_for_courier_or_404(user=courier, trip_id=trip_id)
    except Http404:
        raise not_found(_("Trip not found.")) from None


@router.post(
    "/courier/trips/{trip_id}/stalls/{stall_id}/pick-up",
    response={200: QueueOut, **ERRORS},
    operation_id="trip_pick_up",
)
def trip_pick_up(request: HttpRequest, trip_id: Id, stall_id: Id) -> dict[str, object] | Status[RefusalOut]:
    """Tick off one stall: every bag of the trip there."""
    courier, trip = _trip(request, trip_id)
    return _act(request, lambda: services.trip_pick_up(trip_id=trip.pk, stall_id=stall_id, courier=courier))


@router.post(
    "/courier/trips/{trip_id}/orders/{order_id}/deliver",
    response={200: QueueOut, **ERRORS},
    operation_id="trip_deliver",
)
def trip_deliver(
    request: HttpRequest, trip_id: Id, order_id: Id, data: DeliverIn
) -> dict[str, object] | Status[RefusalOut]:
    """Hand one order over against the buyer's code (and the exact cash on delivery)."""
    courier, trip = _trip(request, trip_id)
    return _act(
        request,
        lambda: services.trip_deliver(
            trip_id=trip.pk, order_id=order_id, code=data.code, cash=data.cash, courier=courier
        ),
    )


@router.get("/operator/markets/{slug}/queue", response={200: OperatorQueueOut, **ERRORS}, operation_id="operator_queue")
def operator_queue(request: HttpRequest, slug: SlugPath) -> dict[str, object]:
    """The market's line, couriers on duty and orders waiting for a courier."""
    try:
        market = market_for_operator_or_404(user=acting_user(request), slug=slug)
    except Http404:
        raise not_found(_("Market not found.")) from None
    services.dispatch_if_due(market)
    board = selectors.operator_board(market)

    def line(shift: CourierShift) -> dict[str, object]:
        return {"courier": shift.courier.name, "capacity": shift.capacity, "queued_at": shift.queued_at}

    return {
        "line": [line(s) for s in board["line"]],
        "on_duty": [line(s) for s in board["on_duty"]],
        "waiting": [
            {"order_id": w.order.pk, "number": w.order.number, "ready_at": w.ready_at, "offered_to": w.offered_to}
            for w in board["waiting"]
        ],
    }
