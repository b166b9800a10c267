"""The buyer's cart, checkout and orders over JSON, through the same services as the pages.

Authentication is the Django session (log in on the site; ninja's ``django_auth``): the session cookie
identifies the buyer, and writes need the CSRF token (``X-CSRFToken`` header, from the ``csrftoken``
cookie). Anonymous requests get 401; another buyer's order is 404, like a missing one.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Router, Status
from ninja.pagination import paginate
from ninja.params.functions import Path
from ninja.security import django_auth

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.core.api import MAX_ID, Pagination, SlugPath, not_found
from pasar.core.errors import DomainError
from pasar.core.schemas import ErrorOut, ValidationErrorOut
from pasar.markets.models import Market
from pasar.markets.selectors import market_by_slug
from pasar.orders import selectors
from pasar.orders.access import order_for_buyer_or_404
from pasar.orders.api_support import acting_user, refused
from pasar.orders.models import CartLine, Order
from pasar.orders.pricing import line_estimate, market_day
from pasar.orders.schemas import (
    CartLineIn,
    CartLineOut,
    CartOut,
    CheckoutIn,
    DecisionIn,
    OrderOut,
    OrderSummaryOut,
    RefusalOut,
    ShoppingListIn,
    ShoppingListOut,
)
from pasar.orders.services.cart import cart_set
from pasar.orders.services.fulfilment import buyer_decide
from pasar.orders.services.placement import Checkout, order_place
from pasar.orders.services.search import search_decide
from pasar.orders.services.shopping_list import shopping_list_match, shopping_list_to_cart
from pasar.orders.services.slots import order_place_at_slot

router = Router(tags=["orders"], auth=django_auth)

ProductId = Annotated[int, Path(ge=1, le=MAX_ID, description="The product's id.")]
LineId = Annotated[int, Path(ge=1, le=MAX_ID, description="The order line's id.")]
OrderNumber = Annotated[str, Path(max_length=20, description="The order's number, e.g. `251124-3FA09C`.")]
IdempotencyKey = Annotated[
    str,
    Header(
        ...,
        alias="Idempotency-Key",
        min_length=1,
        max_length=64,
        description="A fresh random key per order (e.g. a UUID); resending it returns the same order.",
    ),
]

AUTH_ERRORS = {401: ErrorOut, 422: ValidationErrorOut}


def _market(slug: str) -> Market:
    market = market_by_slug(slug)
    if market is None:
        raise not_found(_("Market not found."))
    return market


def _cart(buyer: User, market: Market) -> CartOut:
    cart = selectors.cart_detail(buyer=buyer, market=market)
    now = timezone.now()
    day = market_day(market, now)
    return CartOut(
        market=market,  # type: ignore[arg-type]
        lines=cart.lines,  # type: ignore[arg-type]
        estimate=cart.estimate,
        has_weighed=cart.has_weighed,
        prepared_for=day,
        order_cutoff=market.order_cutoff,
        pickup_slots=selectors.pickup_slot_choices(market=market, day=day, now=now),  # type: ignore[arg-type]
    )


def _line(buyer: User, market: Market, product_id: int) -> CartLine:
    line = (
        CartLine.objects.filter(cart__buyer=buyer, cart__market=market, product_id=product_id)
        .select_related("product__stall")
        .first()
    )
    if line is None:
        raise not_found(_("This product is not in your cart."))
    line.estimate = line_estimate(line.product.price, line.quantity)  # type: ignore[attr-defined]
    return line


@router.get(
    "/cart/{market_slug}",
    response={200: CartOut, 404: ErrorOut, **AUTH_ERRORS},
    operation_id="cart_detail",
    summary="The buyer's cart at one market",
    description="One cart per market (never emptied by shopping elsewhere), with the day an order placed now "
    "is prepared on and the pickup windows that still have room.",
)
def cart_detail(request: HttpRequest, market_slug: SlugPath) -> CartOut:
    return _cart(acting_user(request), _market(market_slug))


@router.get(
    "/cart/{market_slug}/lines/{product_id}",
    response={200: CartLineOut, 404: ErrorOut, **AUTH_ERRORS},
    operation_id="cart_line_detail",
    summary="One line of the cart",
)
def cart_line_detail(request: HttpRequest, market_slug: SlugPath, product_id: ProductId) -> CartLine:
    return _line(acting_user(request), _market(market_slug), product_id)


@router.put(
    "/cart/{market_slug}/lines/{product_id}",
    response={200: CartLineOut, 400: RefusalOut, 404: ErrorOut, **AUTH_ERRORS},
    operation_id="cart_line_set",
    summary="Put a quantity of a product in the cart (replaces the line)",
    description="The quantity must follow the product's steps (e.g. 0.25 kg) and minimum; a product of "
    "another market is refused (400, `wrong_market`).",
)
def cart_line_set(
    request: HttpRequest, market_slug: SlugPath, product_id: ProductId, payload: CartLineIn
) -> CartLine | Status[RefusalOut]:
    buyer, market = acting_user(request), _market(market_slug)
    product = Product.objects.filter(pk=product_id).select_related("stall", "market").first()
    if product is None:
        raise not_found(_("Product not found."))
    try:
        if product.market_id != market.pk:
            raise DomainError(_("%(name)s is from another market.") % {"name": product.name}, code="wrong_market")
        if payload.quantity <= 0:
            raise DomainError(_("Quantity must be more than 0 and at most 500."), code="quantity_range")
        cart_set(buyer=buyer, product=product, quantity=payload.quantity, note=payload.note)
    except DomainError as exc:
        return refused(exc)
    return _line(buyer, market, product_id)


@router.delete(
    "/cart/{market_slug}/lines/{product_id}",
    response={204: None, 404: ErrorOut, **AUTH_ERRORS},
    operation_id="cart_line_delete",
    summary="Remove a product from the cart",
)
def cart_line_delete(request: HttpRequest, market_slug: SlugPath, product_id: ProductId) -> Status[None]:
    buyer, market = acting_user(request), _market(market_slug)
    line = _line(buyer, market, product_id)
    cart_set(buyer=buyer, product=line.product, quantity=Decimal(0))
    return Status(204, None)


@router.post(
    "/checkout",
    response={200: OrderOut, 201: OrderOut, 400: RefusalOut, 404: ErrorOut, **AUTH_ERRORS},
    operation_id="checkout",
    summary="Place an order from the cart at one market",
    description="201 with the new order; 200 with the same order when the `Idempotency-Key` was already used "
    "(a retried or doubled request never makes a second order). Transfer and QRIS amounts are issued after "
    "weighing (`payment_state` `awaiting_weighing`). 400 for every refusal: empty cart, outside the delivery "
    "radius, a full pickup window, cash on delivery with pickup, not enough stock.",
)
def checkout(request: HttpRequest, payload: CheckoutIn, key: IdempotencyKey) -> Status[Order] | Status[RefusalOut]:
    buyer, market = acting_user(request), _market(payload.market)
    replay = Order.objects.filter(buyer=buyer, idempotency_key=key.strip()).exists()
    checkout = Checkout(
        market=market,
        fulfilment=payload.fulfilment,
        payment_method=payload.payment_method,
        idempotency_key=key,
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
        note=payload.note,
    )
    try:
        if payload.fulfilment == Order.Fulfilment.PICKUP and not replay:
            order = _place_pickup(buyer, checkout, payload.pickup_starts_at)
        else:
            order = order_place(buyer=buyer, checkout=checkout)
    except DomainError as exc:
        return refused(exc)
    return Status(200 if replay else 201, order_for_buyer_or_404(user=buyer, number=order.number))


def _place_pickup(buyer: User, checkout: Checkout, starts_at: datetime | None) -> Order:
    if starts_at is None:
        raise DomainError(_("Choose delivery, or pickup with a time."), code="fulfilment_unknown")
    if starts_at.tzinfo is None:
        starts_at = timezone.make_aware(starts_at)
    return order_place_at_slot(buyer=buyer, checkout=checkout, starts_at=starts_at)


@router.get(
    "/orders",
    response={200: list[OrderSummaryOut], **AUTH_ERRORS},
    operation_id="orders_list",
    summary="The buyer's orders, newest first",
)
@paginate(Pagination)
def orders_list(request: HttpRequest) -> QuerySet[Order]:
    return selectors.order_list(buyer=acting_user(request))


def _order(request: HttpRequest, number: str) -> Order:
    try:
        return order_for_buyer_or_404(user=acting_user(request), number=number)
    except Http404:
        raise not_found(_("Order not found.")) from None


@router.get(
    "/orders/{number}",
    response={200: OrderOut, 404: ErrorOut, **AUTH_ERRORS},
    operation_id="orders_detail",
    summary="One of the buyer's orders: state, parts, lines, events, handover code and amount to pay",
)
def orders_detail(request: HttpRequest, number: OrderNumber) -> Order:
    return _order(request, number)


@router.post(
    "/orders/{number}/lines/{line_id}/decision",
    response={200: OrderOut, 400: RefusalOut, 404: ErrorOut, **AUTH_ERRORS},
    operation_id="orders_line_decision",
    summary="Approve or refuse a substitute or an over-tolerance weight",
    description="Only lines with `needs_approval`; anything else is refused (400, `nothing_to_approve`).",
)
def orders_line_decision(
    request: HttpRequest, number: OrderNumber, line_id: LineId, payload: DecisionIn
) -> Order | Status[RefusalOut]:
    order = _order(request, number)
    try:
        buyer_decide(order=order, line_id=line_id, approve=payload.approve, actor=acting_user(request))
    except DomainError as exc:
        return refused(exc)
    return _order(request, number)


@router.post(
    "/cart/{market_slug}/list",
    response={200: ShoppingListOut, 400: RefusalOut, 404: ErrorOut, **AUTH_ERRORS},
    operation_id="cart_shopping_list",
    summary="Put a shopping list (typed as one would text it) in the cart",
    description="Each line is matched to a product of the market (favourite stalls, then price), becomes a "
    "cari-di-pasar line with a price cap, or is flagged with a message. With `preview` nothing is written; "
    "otherwise every matched and cari-di-pasar line goes in the cart, or nothing does (400: `list_empty`, "
    "`list_too_long`, `cap_missing`, `cart_full`, ...).",
)
def cart_shopping_list(
    request: HttpRequest, market_slug: SlugPath, payload: ShoppingListIn
) -> dict[str, object] | Status[RefusalOut]:
    buyer, market = acting_user(request), _market(market_slug)
    try:
        result = shopping_list_match(buyer=buyer, market=market, text=payload.text)
        if not payload.preview:
            shopping_list_to_cart(
                buyer=buyer, market=market, text=payload.text, caps=payload.caps, skip=frozenset(payload.skip)
            )
    except DomainError as exc:
        return refused(exc)
    for line in result.lines:
        line.cap = payload.caps.get(line.index, line.cap)
    return {"lines": result.lines, "estimate": result.estimate, "written": not payload.preview}


@router.post(
    "/orders/{number}/search-lines/{line_id}/decision",
    response={200: OrderOut, 400: RefusalOut, 404: ErrorOut, **AUTH_ERRORS},
    operation_id="orders_search_line_decision",
    summary="Approve or refuse the price the courier paid for a cari-di-pasar line",
    description="Only a line the courier bought; anything else is refused (400, `nothing_to_approve`).",
)
def orders_search_line_decision(
    request: HttpRequest, number: OrderNumber, line_id: LineId, payload: DecisionIn
) -> Order | Status[RefusalOut]:
    order = _order(request, number)
    try:
        search_decide(order=order, line_id=line_id, approve=payload.approve, actor=acting_user(request))
    except DomainError as exc:
        return refused(exc)
    return _order(request, number)
