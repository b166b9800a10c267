"""Complaints over JSON (session auth), through the same services as the pages.

The buyer complains about a line of their own order; the trader of the line's stall answers; the
market's operator decides. Another person's order or complaint, or a role one does not hold, is 404;
a refusal by the service (after the window, a refund above the line, a second answer, ...) is 400 with
``{"detail", "code"}`` and changes nothing. Every write is idempotent: a replay returns the complaint.
"""

from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params.functions import Path
from ninja.responses import Status
from ninja.security import django_auth

from pasar.complaints import access, selectors, services
from pasar.complaints.models import Complaint
from pasar.complaints.schemas import AnswerIn, ComplaintIn, ComplaintOut, DecideIn
from pasar.core.api import MAX_ID, SlugPath, not_found
from pasar.core.errors import DomainError
from pasar.core.schemas import ErrorOut, ValidationErrorOut
from pasar.markets.access import market_for_operator_or_404
from pasar.orders.api_support import acting_user, refused
from pasar.orders.schemas import RefusalOut

router = Router(tags=["complaints"], auth=django_auth)

OrderNumber = Annotated[str, Path(max_length=20, description="The order's number.")]
ComplaintId = Annotated[int, Path(ge=1, le=MAX_ID, description="The complaint's id.")]
WRITE = {200: ComplaintOut, 400: RefusalOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
READ = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _missing() -> Exception:
    return not_found(_("Complaint not found."))


@router.get(
    "/orders/{number}/complaints", response={200: list[ComplaintOut], **READ}, operation_id="complaints_of_order"
)
def complaints_of_order(request: HttpRequest, number: OrderNumber) -> list[Complaint]:
    try:
        order = access.order_for_complainer_or_404(user=acting_user(request), number=number)
    except Http404 as exc:
        raise _missing() from exc
    return list(selectors.complaints_of_order(order).values())


@router.post(
    "/orders/{number}/complaints",
    response=WRITE,
    operation_id="complaints_open",
    summary="Complain about one line of a delivered order, within the market's window",
    description="400: `window_closed`, `not_delivered`, `amount_range`, `unknown_line`, ... A second complaint "
    "about the same line returns the first.",
)
def complaints_open(request: HttpRequest, number: OrderNumber, payload: ComplaintIn) -> Complaint | Status[RefusalOut]:
    buyer = acting_user(request)
    try:
        order = access.order_for_complainer_or_404(user=buyer, number=number)
    except Http404 as exc:
        raise _missing() from exc
    data = services.ComplaintInput(
        line_id=payload.line_id,
        reason=payload.reason,
        remedy=payload.remedy,
        amount=payload.amount,
        description=payload.description,
    )
    try:
        return services.complaint_open(buyer=buyer, order=order, data=data)
    except DomainError as exc:
        return refused(exc)


@router.post(
    "/trader/complaints/{complaint_id}/answer",
    response=WRITE,
    operation_id="complaints_answer",
    summary="The stall's trader agrees (remedy granted) or disagrees (the operator decides)",
)
def complaints_answer(
    request: HttpRequest, complaint_id: ComplaintId, payload: AnswerIn
) -> Complaint | Status[RefusalOut]:
    trader = acting_user(request)
    try:
        complaint = access.complaint_for_trader_or_404(user=trader, complaint_id=complaint_id)
    except Http404 as exc:
        raise _missing() from exc
    try:
        return services.complaint_answer(complaint=complaint, trader=trader, agree=payload.agree, note=payload.note)
    except DomainError as exc:
        return refused(exc)


@router.get(
    "/operator/markets/{market_slug}/complaints",
    response={200: list[ComplaintOut], **READ},
    operation_id="complaints_of_market",
)
def complaints_of_market(request: HttpRequest, market_slug: SlugPath) -> list[Complaint]:
    try:
        market = market_for_operator_or_404(user=acting_user(request), slug=market_slug)
    except Http404 as exc:
        raise _missing() from exc
    return list(selectors.complaints_for_operator(market=market)[:200])


@router.post(
    "/operator/markets/{market_slug}/complaints/{complaint_id}/decide",
    response=WRITE,
    operation_id="complaints_decide",
    summary="The operator grants a refund (whole or partial) or rejects (amount 0)",
    description="Only after the trader disagreed or their deadline passed (400 `trader_may_answer`); a refund above "
    "what the line cost is 400 `refund_above_paid`.",
)
def complaints_decide(
    request: HttpRequest, market_slug: SlugPath, complaint_id: ComplaintId, payload: DecideIn
) -> Complaint | Status[RefusalOut]:
    operator = acting_user(request)
    try:
        market = market_for_operator_or_404(user=operator, slug=market_slug)
        complaint = access.complaint_for_operator_or_404(market=market, complaint_id=complaint_id)
    except Http404 as exc:
        raise _missing() from exc
    try:
        return services.complaint_decide(
            complaint=complaint,
            operator=operator,
            refund=payload.amount,
            method=payload.method or "",
            note=payload.note,
        )
    except DomainError as exc:
        return refused(exc)
