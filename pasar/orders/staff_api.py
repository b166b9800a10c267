"""The trader's, courier's and operator's order actions over JSON, through the same services as the pages.

Authentication is the Django session (ninja's ``django_auth``); writes need the CSRF token (``X-CSRFToken``
header, from the ``csrftoken`` cookie). Anonymous requests get 401. A part of another stall, an order of
another market, or a screen of a role the user does not hold is 404, like a missing one. A refusal by the
service (wrong state, price off the weight, wrong handover code, ...) is 400 with ``{"detail", "code"}``;
a courier who lost the race for an order gets 409.
"""

from datetime import date
from typing import Annotated

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.params.functions import Path
from ninja.responses import Status
from ninja.security import django_auth

from pasar.catalog.models import Product
from pasar.core.api import MAX_ID, BlankIsNone, Pagination, SlugPath, not_found
from pasar.core.errors import DomainError
from pasar.core.schemas import ErrorOut, ValidationErrorOut
from pasar.markets.access import market_for_operator_or_404
from pasar.markets.models import Market
from pasar.orders import staff_access, staff_selectors
from pasar.orders.api_support import acting_user, refused
from pasar.orders.models import Order, OrderLine, StallOrder
from pasar.orders.pricing import line_estimate
from pasar.orders.schemas import RefusalOut
from pasar.orders.services import fulfilment, search
from pasar.orders.staff_schemas import (
    BoughtIn,
    CancelIn,
    CourierBoardOut,
    CourierOwnOrderOut,
    DeliverIn,
    MarkIn,
    OperatorOrderOut,
    SubstituteIn,
    TraderPartOut,
    WeighIn,
)

router = Router(tags=["orders-staff"], auth=django_auth)

PartId = Annotated[int, Path(ge=1, le=MAX_ID, description="The id of the order's part (one stall's share).")]
LineId = Annotated[int, Path(ge=1, le=MAX_ID, description="The order line's id.")]
OrderId = Annotated[int, Path(ge=1, le=MAX_ID, description="The order's id.")]

ERRORS = {400: RefusalOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


# Trader.


def _part(request: HttpRequest, part_id: int) -> StallOrder:
    try:
        return staff_access.part_for_trader_or_404(user=acting_user(request), part_id=part_id)
    except Http404:
        raise not_found(_("Order part not found.")) from None


def _part_out(part_id: int) -> StallOrder:
    return staff_selectors.part_with_lines(part_id=part_id)


@router.get(
    "/trader/parts",
    response={200: list[TraderPartOut], **READ_ERRORS},
    operation_id="trader_parts_list",
    summary="The parts of orders the trader's stalls prepare on one market day",
    description="Pending parts first. `day` defaults to today at the market; 404 for someone without a stall.",
)
def trader_parts_list(
    request: HttpRequest,
    day: Annotated[date | None, BlankIsNone, Query(None, description="A market day, e.g. `2025-03-01`.")],
) -> QuerySet[StallOrder]:
    try:
        stalls = staff_access.trader_stalls_or_404(acting_user(request))
    except Http404:
        raise not_found(_("You hold no stall.")) from None
    chosen = day or staff_selectors.market_today(stalls[0].market)
    return staff_selectors.trader_parts(stalls=stalls, day=chosen).prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk"))
    )


@router.get(
    "/trader/parts/{part_id}",
    response={200: TraderPartOut, **READ_ERRORS},
    operation_id="trader_part_detail",
    summary="One part of an order, with every line",
)
def trader_part_detail(request: HttpRequest, part_id: PartId) -> StallOrder:
    return _part_out(_part(request, part_id).pk)


@router.post(
    "/trader/parts/{part_id}/accept",
    response={200: TraderPartOut, **ERRORS},
    operation_id="trader_part_accept",
    summary="Accept the part (when every stall has, the order is confirmed)",
)
def trader_part_accept(request: HttpRequest, part_id: PartId) -> StallOrder | Status[RefusalOut]:
    part = _part(request, part_id)
    try:
        fulfilment.part_accept(part_id=part.pk, actor=acting_user(request))
    except DomainError as exc:
        return refused(exc)
    return _part_out(part.pk)


@router.post(
    "/trader/parts/{part_id}/lines/{line_id}/mark",
    response={200: TraderPartOut, **ERRORS},
    operation_id="trader_line_mark",
    summary="Mark a line available or not available",
)
def trader_line_mark(
    request: HttpRequest, part_id: PartId, line_id: LineId, payload: MarkIn
) -> StallOrder | Status[RefusalOut]:
    part = _part(request, part_id)
    try:
        fulfilment.line_mark(part_id=part.pk, line_id=line_id, available=payload.available, actor=acting_user(request))
    except DomainError as exc:
        return refused(exc)
    return _part_out(part.pk)


@router.post(
    "/trader/parts/{part_id}/lines/{line_id}/weigh",
    response={200: TraderPartOut, **ERRORS},
    operation_id="trader_line_weigh",
    summary="Enter the weighed quantity and price of a weighed line",
    description="Beyond ±10 % of the line's estimate the line gets `needs_approval` and the buyer decides.",
)
def trader_line_weigh(
    request: HttpRequest, part_id: PartId, line_id: LineId, payload: WeighIn
) -> StallOrder | Status[RefusalOut]:
    part = _part(request, part_id)
    amount = payload.amount
    if amount is None:
        line = part.lines.filter(pk=line_id).first()
        amount = line_estimate(line.unit_price, payload.quantity) if line is not None else 1
    try:
        fulfilment.line_weigh(
            part_id=part.pk, line_id=line_id, quantity=payload.quantity, amount=amount, actor=acting_user(request)
        )
    except DomainError as exc:
        return refused(exc)
    return _part_out(part.pk)


@router.post(
    "/trader/parts/{part_id}/lines/{line_id}/substitute",
    response={200: TraderPartOut, **ERRORS},
    operation_id="trader_line_substitute",
    summary="Propose another product of the stall instead of a line",
    description="The substitute is a new line with `substitute_for` set and `needs_approval` true until the "
    "buyer approves or refuses it.",
)
def trader_line_substitute(
    request: HttpRequest, part_id: PartId, line_id: LineId, payload: SubstituteIn
) -> StallOrder | Status[RefusalOut]:
    part = _part(request, part_id)
    # Only the stall's own products are looked up, so another stall's product id reveals nothing.
    product = Product.objects.filter(pk=payload.product_id, stall_id=part.stall_id).first()
    try:
        if product is None:
            raise DomainError(_("Propose another product of your own stall."), code="substitute_foreign")
        fulfilment.line_substitute(
            part_id=part.pk, line_id=line_id, product=product, quantity=payload.quantity, actor=acting_user(request)
        )
    except DomainError as exc:
        return refused(exc)
    return _part_out(part.pk)


@router.post(
    "/trader/parts/{part_id}/ready",
    response={200: TraderPartOut, **ERRORS},
    operation_id="trader_part_ready",
    summary="Mark the part ready (when every part is, the order is ready with its final total)",
)
def trader_part_ready(request: HttpRequest, part_id: PartId) -> StallOrder | Status[RefusalOut]:
    part = _part(request, part_id)
    try:
        fulfilment.part_ready(part_id=part.pk, actor=acting_user(request))
    except DomainError as exc:
        return refused(exc)
    return _part_out(part.pk)


# Courier.


def _courier_markets(request: HttpRequest) -> list[Market]:
    try:
        return staff_access.courier_or_404(acting_user(request))[1]
    except Http404:
        raise not_found(_("You are not a courier of any market.")) from None


def _courier_order(request: HttpRequest, order_id: int, *, own: bool) -> Order:
    try:
        return staff_access.order_for_courier_or_404(user=acting_user(request), order_id=order_id, own=own)
    except Http404:
        raise not_found(_("Order not found.")) from None


@router.get(
    "/courier/orders",
    response={200: CourierBoardOut, **READ_ERRORS},
    operation_id="courier_board",
    summary="Orders to take, the courier's current orders, and today's deliveries with fees",
)
def courier_board(request: HttpRequest) -> dict[str, object]:
    markets = _courier_markets(request)
    courier = acting_user(request)
    delivered = staff_selectors.courier_delivered(courier=courier, day=staff_selectors.market_today(markets[0]))
    return {
        "available": list(staff_selectors.courier_available(markets=markets)),
        "current": list(staff_selectors.courier_current(courier=courier)),
        "delivered_today": delivered.orders,
        "fees_today": delivered.fees,
        "cash_today": delivered.cash,
    }


@router.post(
    "/courier/orders/{order_id}/take",
    response={200: CourierOwnOrderOut, 409: RefusalOut, **ERRORS},
    operation_id="courier_order_take",
    summary="Take a ready delivery order",
    description="First come: when two couriers race, one gets 200 and the other 409 (`already_taken`). "
    "Taking an order one already holds answers 200 again. 400 when it is not ready or not yet paid.",
)
def courier_order_take(request: HttpRequest, order_id: OrderId) -> Order | Status[RefusalOut]:
    _courier_markets(request)
    order = _courier_order(request, order_id, own=False)
    try:
        fulfilment.courier_take(order=order, courier=acting_user(request))
    except DomainError as exc:
        return refused(exc, 409 if exc.code == "already_taken" else 400)
    return staff_selectors.courier_order(order_id=order.pk)


@router.post(
    "/courier/orders/{order_id}/parts/{part_id}/pick-up",
    response={200: CourierOwnOrderOut, **ERRORS},
    operation_id="courier_part_pick_up",
    summary="Tick off one stall's part as picked up (the last one puts the order on its way)",
)
def courier_part_pick_up(request: HttpRequest, order_id: OrderId, part_id: PartId) -> Order | Status[RefusalOut]:
    order = _courier_order(request, order_id, own=True)
    try:
        fulfilment.courier_pick_up(order=order, part_id=part_id, courier=acting_user(request))
    except DomainError as exc:
        return refused(exc)
    return staff_selectors.courier_order(order_id=order.pk)


@router.post(
    "/courier/orders/{order_id}/deliver",
    response={200: CourierOwnOrderOut, **ERRORS},
    operation_id="courier_order_deliver",
    summary="Hand the order over against the buyer's code (and the exact cash for cash on delivery)",
    description=(
        "A wrong code (`bad_code`) or cash amount (`cash_mismatch`) is 400 and changes nothing (a wrong code is "
        "recorded: after 5 in 15 minutes every code is refused with `code_locked` for 15 minutes)."
    ),
)
def courier_order_deliver(request: HttpRequest, order_id: OrderId, payload: DeliverIn) -> Order | Status[RefusalOut]:
    order = _courier_order(request, order_id, own=True)
    try:
        fulfilment.courier_deliver(order=order, code=payload.code, cash=payload.cash, courier=acting_user(request))
    except DomainError as exc:
        return refused(exc)
    return staff_selectors.courier_order(order_id=order.pk)


SearchLineId = Annotated[int, Path(ge=1, le=MAX_ID, description="The cari-di-pasar line's id.")]


@router.post(
    "/courier/orders/{order_id}/search-lines/{line_id}/bought",
    response={200: CourierOwnOrderOut, **ERRORS},
    operation_id="courier_search_line_bought",
    summary="Record the price paid for a cari-di-pasar line (the buyer then approves or refuses it)",
    description="May exceed the cap: the buyer decides. A receipt photo can be added on the courier page.",
)
def courier_search_line_bought(
    request: HttpRequest, order_id: OrderId, line_id: SearchLineId, payload: BoughtIn
) -> Order | Status[RefusalOut]:
    order = _courier_order(request, order_id, own=True)
    try:
        search.search_bought(order=order, line_id=line_id, amount=payload.amount, courier=acting_user(request))
    except DomainError as exc:
        return refused(exc)
    return staff_selectors.courier_order(order_id=order.pk)


@router.post(
    "/courier/orders/{order_id}/search-lines/{line_id}/not-found",
    response={200: CourierOwnOrderOut, **ERRORS},
    operation_id="courier_search_line_not_found",
    summary="Say a cari-di-pasar line was not found in the market: it drops, nothing is paid for it",
)
def courier_search_line_not_found(
    request: HttpRequest, order_id: OrderId, line_id: SearchLineId
) -> Order | Status[RefusalOut]:
    order = _courier_order(request, order_id, own=True)
    try:
        search.search_not_found(order=order, line_id=line_id, courier=acting_user(request))
    except DomainError as exc:
        return refused(exc)
    return staff_selectors.courier_order(order_id=order.pk)


# Operator.


def _operated(request: HttpRequest, slug: str) -> Market:
    try:
        return market_for_operator_or_404(user=acting_user(request), slug=slug)
    except Http404:
        raise not_found(_("Market not found.")) from None


@router.get(
    "/operator/markets/{slug}/orders",
    response={200: list[OperatorOrderOut], **READ_ERRORS},
    operation_id="operator_orders_list",
    summary="Every order of a market the user operates, newest first, each with its parts",
    description="Filter by `state` and by market `day` (both optional: every state, every day).",
)
@paginate(Pagination)
def operator_orders_list(
    request: HttpRequest,
    slug: SlugPath,
    state: Annotated[Order.State | None, BlankIsNone, Query(None, description="Only orders in this state.")],
    day: Annotated[date | None, BlankIsNone, Query(None, description="Only orders for this market day.")],
) -> QuerySet[Order]:
    market = _operated(request, slug)
    chosen = staff_selectors.OrderFilter(state=state, day=day)
    return staff_selectors.operator_orders(market=market, chosen=chosen)


@router.post(
    "/operator/markets/{slug}/orders/{order_id}/cancel",
    response={200: OperatorOrderOut, **ERRORS},
    operation_id="operator_order_cancel",
    summary="Cancel an order with a reason: its stock and pickup slot go back",
    description="400 when it can no longer be cancelled (picked up, delivered, cancelled, or already paid).",
)
def operator_order_cancel(
    request: HttpRequest, slug: SlugPath, order_id: OrderId, payload: CancelIn
) -> Order | Status[RefusalOut]:
    market = _operated(request, slug)
    try:
        order = staff_access.order_for_operator_or_404(market=market, order_id=order_id)
    except Http404:
        raise not_found(_("Order not found.")) from None
    try:
        fulfilment.order_cancel(order=order, reason=payload.reason, actor=acting_user(request))
    except DomainError as exc:
        return refused(exc)
    return staff_selectors.operator_orders(market=market, chosen=staff_selectors.OrderFilter()).get(pk=order.pk)
