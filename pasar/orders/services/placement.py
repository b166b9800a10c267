"""Placing an order from a cart: one transaction, stock never oversold, idempotent per buyer key."""

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.core.geo import haversine_km
from pasar.markets.models import Market
from pasar.orders import events, payment_terms
from pasar.orders.models import PAY_LATER, CartRequest, Order, OrderLine, PickupSlot, SearchLine, StallOrder
from pasar.orders.pricing import check_quantity, delivery_fee, line_estimate, market_day
from pasar.orders.services import bargain, prebuilt
from pasar.orders.services.fulfilment import move_order
from pasar.orders.services.prebuilt import CartItem


@dataclass(frozen=True)
class Checkout:
    market: Market
    fulfilment: str
    payment_method: str
    idempotency_key: str
    address: str = ""
    landmark: str = ""
    latitude: float | None = None
    longitude: float | None = None
    pickup_slot_id: int | None = None
    note: str = ""
    # The market day the order is for; None: the next one from now (``market_day``). A standing order's
    # run names its delivery date, so a run caught up after the cut-off still fills that day.
    for_date: date | None = None
    # Tawar: the buyer chose the listed price for lines whose offer still waits for an answer.
    listed_price: bool = False


class InsufficientStock(DomainError):
    """Raised with every short line at once, so the buyer fixes the cart in one go."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(
            _("Not enough left of: %(names)s. Adjust your cart and try again.") % {"names": ", ".join(names)},
            code="insufficient_stock",
        )
        self.names = names


def order_place(*, buyer: User, checkout: Checkout) -> Order:
    """Turn the buyer's cart at a market into an order split per stall; replaying the same key returns it."""
    key = checkout.idempotency_key.strip()
    if not key or len(key) > 64:
        raise DomainError(_("The request is missing its one-time key; reload the page."), code="idempotency_key")
    # A replayed key is answered inside the transaction, after the cart lock (``_place``): one query fewer
    # on every placement than checking here first.
    try:
        return _place(buyer=buyer, checkout=checkout, key=key)
    except IntegrityError:
        # The same key was committed by a concurrent request between the check and the insert.
        replay = Order.objects.filter(buyer=buyer, idempotency_key=key).first()
        if replay is None:
            raise
        return replay


@transaction.atomic
def _place(*, buyer: User, checkout: Checkout, key: str) -> Order:
    # The per-order statements are prebuilt (prebuilt.py): the ORM's compiler cost most of a
    # placement's Python CPU, which bounds throughput on a small server (bench/README.md, Orders).
    market = checkout.market
    cart_id = prebuilt.cart_lock(buyer_id=buyer.pk, market_id=market.pk)
    # A concurrent request with the same key may have placed the order (and emptied the cart) while
    # this one waited for the cart lock: hand that order back rather than "your cart is empty".
    replay = prebuilt.order_by_key(buyer_id=buyer.pk, key=key)
    if replay is not None:
        return replay
    lines = prebuilt.cart_items(cart_id)
    requests = prebuilt.cart_requests(cart_id)
    if cart_id is None or (not lines and not requests):
        raise DomainError(_("Your cart at this market is empty."), code="cart_empty")
    if requests and checkout.fulfilment != Order.Fulfilment.DELIVERY:
        raise DomainError(
            _("Cari-di-pasar lines are bought by the courier: choose delivery, or remove them."),
            code="search_needs_delivery",
        )
    _check_lines(market, lines)
    _check_bargains(lines, checkout)
    order = _create_order(buyer=buyer, checkout=checkout, key=key, lines=lines)
    _create_search_lines(order, requests)
    if order.business_id is not None and order.payment_method == Order.PaymentMethod.TEMPO:
        # The most this order can cost (estimate, fee, cari-di-pasar caps) counts against the credit limit.
        payment_terms.tempo_reserve(
            buyer=buyer,
            market=market,
            business_id=order.business_id,
            amount=order.goods_estimate + order.delivery_fee + order.search_cap,
        )
    prebuilt.empty_cart(cart_id, requests=bool(requests))
    _close_bargains(buyer=buyer, cart_id=cart_id, order=order, lines=lines)
    events.record(
        order, "placed", actor=buyer, estimate=order.goods_estimate, fee=order.delivery_fee, search_cap=order.search_cap
    )
    if not lines:
        # Only cari-di-pasar lines: no trader prepares anything, the order waits for a courier at once.
        order.goods_total = 0
        order.save(update_fields=["goods_total", "updated_at"])
        move_order(order, Order.State.CONFIRMED, actor=buyer)
        move_order(order, Order.State.READY, actor=buyer, goods_total=0)
    # Stock last: a hot product's row stays locked only from here to the commit, not while the
    # order's rows are written (bench/README.md, Orders: hot-product throughput). A short line
    # raises and the whole transaction, order included, rolls back.
    _take_stock(lines)
    return order


def _create_search_lines(order: Order, requests: list[CartRequest]) -> None:
    """Copy the cart's cari-di-pasar lines into the order; they take no stock and belong to no stall."""
    if not requests:
        return
    SearchLine.objects.bulk_create(
        SearchLine(order=order, text=r.text, quantity=r.quantity, note=r.note, price_cap=r.price_cap) for r in requests
    )
    order.search_cap = sum(r.price_cap for r in requests)
    order.save(update_fields=["search_cap"])


def _check_lines(market: Market, lines: list[CartItem]) -> None:
    for line in lines:
        product = line.product
        if product.market_id != market.pk:
            raise DomainError(_("%(name)s is from another market.") % {"name": product.name}, code="wrong_market")
        if not product.available or not line.stall_open:
            raise DomainError(_("%(name)s is not available today.") % {"name": product.name}, code="unavailable")
        check_quantity(product, line.quantity)


def _check_bargains(lines: list[CartItem], checkout: Checkout) -> None:
    """A line whose offer waits is never placed at a price the buyer has not seen: wait, or take the listed one."""
    waiting = [line.product.name for line in lines if line.bargaining]
    if waiting and not checkout.listed_price:
        raise DomainError(
            _("Your offer on %(names)s waits for the trader's answer: wait for it, or check out at the listed price.")
            % {"names": ", ".join(waiting)},
            code="offer_waiting",
        )


def unit_price(line: CartItem) -> int:
    """The agreed price per unit, or the listed one if the trader has lowered it below that since."""
    price = line.product.price
    return price if line.agreed_price is None else min(price, line.agreed_price)


def _close_bargains(*, buyer: User, cart_id: int, order: Order, lines: list[CartItem]) -> None:
    """Only for carts with offers (no statement otherwise): agreed ones are used, waiting ones withdrawn."""
    agreed = [line.product.pk for line in lines if line.agreed_price is not None]
    waiting = [line.product.pk for line in lines if line.bargaining]
    if agreed:
        bargain.offers_used(cart_id=cart_id, order_id=order.pk, product_ids=agreed)
    if waiting:
        bargain.offers_for_listed_price(cart_id=cart_id, product_ids=waiting, actor=buyer)


def _take_stock(lines: list[CartItem]) -> None:
    """Take the counted units of every line, or none of them (``InsufficientStock`` names each short line).

    Rows are locked in product-id order, as every stock writer does, so two orders never deadlock. One
    counted line: a conditional ``UPDATE … WHERE stock >= n`` (one round trip; PostgreSQL re-checks the
    condition after a blocked update). Several: ``SELECT … FOR NO KEY UPDATE`` then one ``UPDATE`` for all
    (two round trips instead of one per line: placement's latency under load is mostly round trips,
    bench/README.md, Orders). On SQLite the IMMEDIATE transaction already holds the write lock.
    """
    wanted = {line.product.pk: int(line.quantity) for line in lines if line.product.stock is not None}
    names = {line.product.pk: line.product.name for line in lines}
    if not wanted:
        return
    if len(wanted) == 1:
        [(pk, units)] = wanted.items()
        if not prebuilt.stock_take_one(pk, units):
            raise InsufficientStock([names[pk]])
        return
    # FOR NO KEY UPDATE, as an UPDATE of a non-key column takes: it does not wait for the FOR KEY SHARE
    # locks that other placements' order lines hold on these products (foreign-key checks), so two
    # placements of the same products never deadlock (plain FOR UPDATE did, under load).
    stock = prebuilt.stock_lock(wanted)
    short = [names[pk] for pk, units in wanted.items() if (have := stock.get(pk)) is not None and have < units]
    if short:
        raise InsufficientStock(short)
    taking = {pk: units for pk, units in wanted.items() if stock.get(pk) is not None}
    if taking:
        prebuilt.stock_take(taking)


def _fulfilment(checkout: Checkout, order: Order, for_date: object) -> None:
    market = checkout.market
    if checkout.fulfilment == Order.Fulfilment.DELIVERY:
        if checkout.latitude is None or checkout.longitude is None or not checkout.address.strip():
            raise DomainError(_("Give the delivery address and its point on the map."), code="address_required")
        distance = Decimal(
            str(round(haversine_km(market.latitude, market.longitude, checkout.latitude, checkout.longitude), 2))
        )
        if distance > market.delivery_radius_km:
            raise DomainError(
                _("This address is %(d)s km from the market; it delivers within %(r)s km. Choose pickup instead.")
                % {"d": distance, "r": market.delivery_radius_km},
                code="outside_radius",
            )
        order.address, order.latitude, order.longitude = (
            checkout.address.strip()[:250],
            checkout.latitude,
            checkout.longitude,
        )
        order.landmark = " ".join(checkout.landmark.split())[:120]
        order.distance_km, order.delivery_fee = distance, delivery_fee(market, distance)
    elif checkout.fulfilment == Order.Fulfilment.PICKUP and checkout.pickup_slot_id is not None:
        booked = PickupSlot.objects.filter(
            pk=checkout.pickup_slot_id, market=market, starts_at__date=for_date, booked__lt=F("capacity")
        ).update(booked=F("booked") + 1)
        if not booked:
            raise DomainError(_("This pickup time is full or not available; choose another."), code="slot_full")
        order.pickup_slot_id = checkout.pickup_slot_id
    else:
        raise DomainError(_("Choose delivery, or pickup with a time."), code="fulfilment_unknown")


def _new_number(for_date: date) -> str:
    """``251124-9F3A1C7E``: the market day and 32 random bits (a clash is re-drawn, not a 500)."""
    while True:
        number = f"{for_date:%y%m%d}-{secrets.token_hex(4).upper()}"
        if not prebuilt.number_taken(number):
            return number


def _create_order(*, buyer: User, checkout: Checkout, key: str, lines: list[CartItem]) -> Order:
    if checkout.payment_method not in Order.PaymentMethod.values:
        raise DomainError(_("Choose how to pay."), code="payment_method_unknown")
    if checkout.payment_method == Order.PaymentMethod.COD and checkout.fulfilment != Order.Fulfilment.DELIVERY:
        raise DomainError(_("Cash on delivery needs delivery; at pickup pay by transfer or QRIS."), code="cod_pickup")
    tempo = None
    if checkout.payment_method == Order.PaymentMethod.TEMPO:
        tempo = payment_terms.tempo_terms(buyer=buyer, market=checkout.market)
        if tempo is None:
            raise DomainError(_("Tempo payment is not available to you at this market."), code="tempo_unavailable")
    for_date = checkout.for_date or market_day(checkout.market, timezone.now())
    estimates = {line.pk: line_estimate(unit_price(line), line.quantity) for line in lines}
    order = Order(
        number=_new_number(for_date),
        buyer=buyer,
        market=checkout.market,
        fulfilment=checkout.fulfilment,
        for_date=for_date,
        payment_method=checkout.payment_method,
        business_id=tempo.business_id if tempo is not None else None,
        goods_estimate=sum(estimates.values()),
        handover_code=f"{secrets.randbelow(10**4):04d}",
        idempotency_key=key,
        note=checkout.note.strip()[:250],
        # Transfer and QRIS amounts are issued when the traders have weighed and the buyer approved.
        payment_state=Order.PaymentState.UNPAID
        if checkout.payment_method in PAY_LATER
        else Order.PaymentState.AWAITING_WEIGHING,
    )
    _fulfilment(checkout, order, for_date)
    prebuilt.insert([order])
    by_stall: dict[int, list[CartItem]] = defaultdict(list)
    for line in lines:
        by_stall[line.product.stall_id].append(line)
    order_lines = []
    parts = [StallOrder(order=order, stall_id=s) for s in sorted(by_stall)]
    prebuilt.insert(parts)
    for part in parts:
        for line in by_stall[part.stall_id]:
            p = line.product
            order_lines.append(
                OrderLine(
                    part=part,
                    product=p,
                    name=p.name,
                    unit=p.unit,
                    weighed=p.weighed,
                    unit_price=unit_price(line),
                    agreed_price=line.agreed_price,
                    quantity=line.quantity,
                    estimate=estimates[line.pk],
                    note=line.note,
                    stock_taken=int(line.quantity) if p.stock is not None else 0,
                )
            )
    prebuilt.insert(order_lines)
    return order
