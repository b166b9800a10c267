"""What happens after placing: traders prepare and weigh, buyers approve, couriers deliver, operators cancel."""

import secrets
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.core.errors import DomainError
from pasar.core.money import format_rupiah
from pasar.markets.models import MarketRole
from pasar.orders import events
from pasar.orders.models import PAY_LATER, Order, OrderLine, PickupSlot, SearchLine, StallOrder
from pasar.orders.pricing import MAX_QUANTITY, check_quantity, line_estimate
from pasar.orders.states import ORDER_NEXT, PART_NEXT, can_move
from pasar.orders.tasks import order_delivered
from pasar.orders.unique_code import candidate_codes

WEIGHT_TOLERANCE = Decimal("0.10")  # ±10 % of the estimate passes without the buyer's approval

L = OrderLine.State
OPEN_LINE_STATES = {L.PENDING, L.SUBSTITUTE_PROPOSED}
# Cari-di-pasar lines still waiting for the courier or for the buyer: the amount to pay is not known yet.
UNSETTLED_SEARCH = (SearchLine.State.OPEN, SearchLine.State.BOUGHT)


def search_settled(order: Order) -> bool:
    return not order.search_lines.filter(state__in=UNSETTLED_SEARCH).exists()


def _lock_order(order_id: int) -> Order:
    """Every write on an order takes its row lock first (parts and lines follow), so writers queue."""
    return Order.objects.select_for_update().get(pk=order_id)


def move_order(order: Order, new: str, *, actor: User | None, **data: object) -> None:
    if not can_move(ORDER_NEXT, order.state, new):
        raise DomainError(_("This order can no longer change that way."), code="state_backwards")
    old, order.state = order.state, new
    order.save(update_fields=["state", "updated_at"])
    events.record(order, f"order_{new}", actor=actor, previous=old, **data)


def _move_part(part: StallOrder, new: str) -> None:
    if not can_move(PART_NEXT, part.state, new):
        raise DomainError(_("This part of the order can no longer change that way."), code="part_state_backwards")
    part.state = new
    part.save(update_fields=["state"])


def _lock_part(part_id: int) -> tuple[Order, StallOrder]:
    """Lock the part's order, then read the part: a state read before the lock could be stale."""
    order_id = StallOrder.objects.filter(pk=part_id).values_list("order_id", flat=True).first()
    if order_id is None:
        raise DomainError(_("This part of the order does not exist."), code="part_unknown")
    order = _lock_order(order_id)
    return order, StallOrder.objects.get(pk=part_id)


def _open_part(part: StallOrder) -> None:
    """Lines change only while the stall prepares; a ready part's total is already in the order's."""
    if part.state not in {StallOrder.State.PENDING, StallOrder.State.ACCEPTED}:
        raise DomainError(_("This part of the order is no longer being prepared."), code="part_closed")


def _line_of(part: StallOrder, line_id: int) -> OrderLine:
    line = part.lines.filter(pk=line_id).select_related("product").first()
    if line is None:
        raise DomainError(_("This line is not part of your stall's order."), code="line_not_in_part")
    if line.substitute_for_id is not None and line.needs_approval:
        # The trader could otherwise weigh or mark a substitute into the order before the buyer agreed.
        raise DomainError(_("Wait for the buyer's answer on this substitute."), code="substitute_pending")
    return line


@transaction.atomic
def part_accept(*, part_id: int, actor: User) -> StallOrder:
    """The trader takes their part of the order; when every part is taken the order is confirmed."""
    order, part = _lock_part(part_id)
    _move_part(part, StallOrder.State.ACCEPTED)
    events.record(order, "part_accepted", actor=actor, stall=part.stall_id)
    if order.state == Order.State.PLACED and not order.parts.filter(state=StallOrder.State.PENDING).exists():
        move_order(order, Order.State.CONFIRMED, actor=actor)
    return part


@transaction.atomic
def line_mark(*, part_id: int, line_id: int, available: bool, actor: User) -> OrderLine:
    """Available or not; an unavailable line's stock goes back to the product."""
    order, part = _lock_part(part_id)
    _open_part(part)
    line = _line_of(part, line_id)
    if line.state not in OPEN_LINE_STATES and line.state != L.AVAILABLE:
        raise DomainError(_("This line is already settled."), code="line_settled")
    if available:
        line.state = L.AVAILABLE
    else:
        line.state, line.needs_approval = L.UNAVAILABLE, False
        _restock(line)
    line.save(update_fields=["state", "stock_taken", "needs_approval"])
    events.record(order, "line_marked", actor=actor, line=line.pk, available=available)
    return line


@transaction.atomic
def line_weigh(*, part_id: int, line_id: int, quantity: Decimal, amount: int, actor: User) -> OrderLine:
    """The weighed quantity and its price; beyond ±10 % of the estimate the buyer must approve."""
    order, part = _lock_part(part_id)
    _open_part(part)
    line = _line_of(part, line_id)
    if not line.weighed:
        raise DomainError(_("Only weighed goods are weighed."), code="not_weighed")
    if line.state not in {L.PENDING, L.AVAILABLE}:
        raise DomainError(_("This line is already settled."), code="line_settled")
    if quantity <= 0 or quantity > MAX_QUANTITY or amount <= 0 or amount > 100_000_000:
        raise DomainError(_("Weight and price must be more than zero."), code="weight_invalid")
    expected = line_estimate(line.unit_price, quantity)
    if abs(amount - expected) > max(100, expected // 100):  # the price must follow the weight (±1 %)
        raise DomainError(_("The price does not match the weight at the listed price."), code="weight_price_mismatch")
    if line.agreed_price is not None:
        # Tawar: the buyer said yes to a price per unit; no weighing prices the line above it.
        amount = min(amount, line_estimate(line.agreed_price, quantity))
    line.final_quantity, line.final_amount, line.state = quantity, amount, L.AVAILABLE
    line.needs_approval = abs(amount - line.estimate) > line.estimate * WEIGHT_TOLERANCE
    line.save(update_fields=["final_quantity", "final_amount", "state", "needs_approval"])
    events.record(
        order,
        "line_weighed",
        actor=actor,
        line=line.pk,
        quantity=str(quantity),
        amount=amount,
        needs_approval=line.needs_approval,
    )
    return line


@transaction.atomic
def line_substitute(*, part_id: int, line_id: int, product: Product, quantity: Decimal, actor: User) -> OrderLine:
    """Propose one of the stall's own products instead; the buyer approves or refuses."""
    order, part = _lock_part(part_id)
    _open_part(part)
    line = _line_of(part, line_id)
    if product.stall_id != part.stall_id or product.pk == line.product_id:
        raise DomainError(_("Propose another product of your own stall."), code="substitute_foreign")
    if not product.available:
        raise DomainError(_("Propose a product that is available today."), code="substitute_unavailable")
    if line.state not in {L.PENDING, L.AVAILABLE} or hasattr(line, "substitute"):
        raise DomainError(_("This line is already settled."), code="line_settled")
    check_quantity(product, quantity)
    units = int(quantity) if product.stock is not None else 0
    if units and not Product.objects.filter(pk=product.pk, stock__gte=units).update(stock=F("stock") - units):
        raise DomainError(_("Not enough left of: %(names)s.") % {"names": product.name}, code="insufficient_stock")
    substitute = OrderLine.objects.create(
        part=part,
        product=product,
        name=product.name,
        unit=product.unit,
        weighed=product.weighed,
        unit_price=product.price,
        quantity=quantity,
        estimate=line_estimate(product.price, quantity),
        substitute_for=line,
        stock_taken=units,
        needs_approval=True,
    )
    line.state = L.SUBSTITUTE_PROPOSED
    line.save(update_fields=["state"])
    events.record(order, "substitute_proposed", actor=actor, line=line.pk, substitute=substitute.pk)
    return substitute


@transaction.atomic
def buyer_decide(*, order: Order, line_id: int, approve: bool, actor: User) -> OrderLine:
    """The buyer approves or refuses a substitute or an over-tolerance weight."""
    order = _lock_order(order.pk)
    if order.state not in {Order.State.PLACED, Order.State.CONFIRMED}:
        raise DomainError(_("This order can no longer change."), code="order_closed")
    line = (
        OrderLine.objects.filter(pk=line_id, part__order=order, needs_approval=True).select_related("product").first()
    )
    if line is None:
        raise DomainError(_("Nothing to approve on this line."), code="nothing_to_approve")
    original = line.substitute_for
    line.needs_approval = False
    if original is not None:
        line.state = L.AVAILABLE if approve else L.REFUSED
        original.state = L.SUBSTITUTED if approve else L.UNAVAILABLE
        _restock(original, *([] if approve else [line]))
        original.save(update_fields=["state", "stock_taken"])
    elif not approve:
        line.state = L.REFUSED
        _restock(line)
    line.save(update_fields=["state", "needs_approval", "stock_taken"])
    events.record(order, "buyer_decided", actor=actor, line=line.pk, approve=approve)
    return line


@transaction.atomic
def part_ready(*, part_id: int, actor: User) -> StallOrder:
    """Every line settled (no approval pending): the part is ready; all parts ready → the order is ready."""
    order, part = _lock_part(part_id)
    if part.lines.filter(state__in=OPEN_LINE_STATES).exists() or part.lines.filter(needs_approval=True).exists():
        raise DomainError(_("Mark every line, and wait for the buyer's approvals, first."), code="part_open")
    if part.lines.filter(weighed=True, state=L.AVAILABLE, final_amount__isnull=True).exists():
        raise DomainError(_("Weigh every weighed line first."), code="part_unweighed")
    _move_part(part, StallOrder.State.READY)
    events.record(order, "part_ready", actor=actor, stall=part.stall_id)
    live = order.parts.exclude(state=StallOrder.State.CANCELLED)
    if order.state == Order.State.CONFIRMED and not live.exclude(state=StallOrder.State.READY).exists():
        order.goods_total = sum(line.amount for line in OrderLine.objects.filter(part__order=order))
        order.save(update_fields=["goods_total", "updated_at"])
        move_order(order, Order.State.READY, actor=actor, goods_total=order.goods_total)
        # With cari-di-pasar lines the amount waits for the courier's purchases and the buyer's answers.
        if order.payment_method not in PAY_LATER and search_settled(order):
            amount_issue(order=order)
    return part


def amount_issue(*, order: Order) -> Order:
    """Issue the exact amount to pay by transfer or QRIS, once everything is weighed and approved.

    A transfer gets a unique code (1-999) added, chosen so that no other transfer waiting for payment
    has the same amount (a partial unique index guarantees it), so a bank mutation matches one order.
    """
    base = order.total
    if order.payment_method == Order.PaymentMethod.QRIS:
        order.amount_due, order.payment_state = base, Order.PaymentState.AWAITING_PAYMENT
        order.save(update_fields=["amount_due", "payment_state", "updated_at"])
        events.record(order, "amount_issued", amount=base)
        return order
    for code in candidate_codes(order.pk):
        try:
            with transaction.atomic():
                Order.objects.filter(pk=order.pk).update(
                    unique_code=code, amount_due=base + code, payment_state=Order.PaymentState.AWAITING_PAYMENT
                )
        except IntegrityError:
            continue
        order.refresh_from_db()
        events.record(order, "amount_issued", amount=order.amount_due, unique_code=code)
        return order
    raise DomainError(
        _("Too many transfers of this amount are waiting; pay by QRIS or try later."), code="codes_exhausted"
    )


@transaction.atomic
def order_cancel(*, order: Order, reason: str, actor: User) -> Order:
    """Cancel with a reason (operator, or the buyer before confirmation): stock and slot go back."""
    order = _lock_order(order.pk)
    if not reason.strip():
        raise DomainError(_("Give a reason for cancelling."), code="reason_required")
    if order.payment_state == Order.PaymentState.PAID:
        raise DomainError(_("This order is paid: refund it before cancelling."), code="cancel_paid")
    # The courier paid for these in cash: cancelling would leave them out of pocket with nothing in the
    # ledger to repay them, so the order goes on (the buyer may still refuse a price above the cap).
    if order.search_lines.filter(state__in=[SearchLine.State.BOUGHT, SearchLine.State.APPROVED]).exists():
        raise DomainError(
            _("The courier already bought items for this order: deliver it instead of cancelling."),
            code="cancel_bought",
        )
    move_order(order, Order.State.CANCELLED, actor=actor, reason=reason.strip()[:250])
    order.cancel_reason = reason.strip()[:250]
    if order.payment_state in {Order.PaymentState.AWAITING_WEIGHING, Order.PaymentState.AWAITING_PAYMENT}:
        # Frees the amount (and its unique code) for other pending transfers.
        order.payment_state = Order.PaymentState.UNPAID
    order.save(update_fields=["cancel_reason", "payment_state", "updated_at"])
    held = list(OrderLine.objects.filter(part__order=order, stock_taken__gt=0))
    _restock(*held)
    OrderLine.objects.bulk_update(held, ["stock_taken"])
    order.parts.exclude(state=StallOrder.State.PICKED_UP).update(state=StallOrder.State.CANCELLED)
    if order.pickup_slot_id:
        PickupSlot.objects.filter(pk=order.pickup_slot_id, booked__gt=0).update(booked=F("booked") - 1)
    return order


def _restock(*lines: OrderLine) -> None:
    """Give the lines' units back, product rows in id order as placing takes them, so PostgreSQL never
    sees two transactions lock the same products in opposite orders (a deadlock, and a 500 for one)."""
    for line in sorted(lines, key=lambda line: (line.product_id, line.pk)):
        if line.stock_taken:
            Product.objects.filter(pk=line.product_id, stock__isnull=False).update(stock=F("stock") + line.stock_taken)
            line.stock_taken = 0


def takeable_q() -> Q:
    """Orders a courier may take once ready: cash on delivery, paid, or with cari-di-pasar lines to buy."""
    to_buy = Exists(SearchLine.objects.filter(order=OuterRef("pk"), state=SearchLine.State.OPEN))
    return Q(payment_method__in=PAY_LATER) | Q(payment_state=Order.PaymentState.PAID) | Q(to_buy)


@transaction.atomic
def courier_take(*, order: Order, courier: User) -> Order:
    """A courier of the market takes a ready delivery order (first come; a second courier is refused).

    One conditional UPDATE decides the race: a blocked second UPDATE re-checks ``courier IS NULL`` against
    the winner's committed row and updates nothing. Only cash-on-delivery or paid orders leave the market,
    and orders with cari-di-pasar lines still to buy (their amount follows the courier's purchases).
    The taker must work at the order's market: one of its couriers, or its operator (who hands the order
    to an external courier).
    """
    if not MarketRole.objects.filter(user=courier, market_id=order.market_id).exists():
        raise DomainError(_("You are not a courier of this market."), code="not_market_courier")
    takeable = takeable_q()
    taken = Order.objects.filter(
        takeable, pk=order.pk, courier__isnull=True, state=Order.State.READY, fulfilment=Order.Fulfilment.DELIVERY
    ).update(courier=courier, updated_at=timezone.now())
    order.refresh_from_db()
    if not taken:
        if order.courier_id == courier.pk and order.state in {Order.State.READY, Order.State.PICKED_UP}:
            return order  # a double tap by the same courier
        if order.courier_id is not None:
            raise DomainError(_("Another courier took this order first."), code="already_taken")
        if order.state != Order.State.READY or order.fulfilment != Order.Fulfilment.DELIVERY:
            raise DomainError(_("This order is not ready for delivery."), code="not_ready")
        raise DomainError(_("This order is waiting for the buyer's payment."), code="not_paid")
    events.record(order, "courier_assigned", actor=courier)
    return order


@transaction.atomic
def courier_pick_up(*, order: Order, part_id: int, courier: User) -> StallOrder:
    """Tick off one stall; when the last is ticked the order is on its way."""
    order = _lock_order(order.pk)
    if order.courier_id != courier.pk:
        raise DomainError(_("This order is assigned to another courier."), code="not_your_order")
    part = order.parts.filter(pk=part_id).first()
    if part is None:
        raise DomainError(_("This stall is not part of the order."), code="part_unknown")
    _move_part(part, StallOrder.State.PICKED_UP)
    events.record(order, "part_picked_up", actor=courier, stall=part.stall_id)
    # The order leaves the market with the last stall's bag, once nothing is left to buy in the market.
    if (
        not order.parts.filter(state=StallOrder.State.READY).exists()
        and not order.search_lines.filter(state=SearchLine.State.OPEN).exists()
    ):
        move_order(order, Order.State.PICKED_UP, actor=courier)
    return part


def courier_deliver(*, order: Order, code: str, cash: int | None, courier: User) -> Order:
    """Hand over against the buyer's code; for cash on delivery record the cash collected."""
    return _guarded_handover(
        order, courier, lambda: _courier_deliver(order=order, code=code, cash=cash, courier=courier)
    )


@transaction.atomic
def _courier_deliver(*, order: Order, code: str, cash: int | None, courier: User) -> Order:
    order = _lock_order(order.pk)
    if order.courier_id != courier.pk:
        raise DomainError(_("This order is assigned to another courier."), code="not_your_order")
    if order.state != Order.State.PICKED_UP:
        raise DomainError(_("Pick up every stall's part first."), code="not_picked_up")
    _check_handover_code(order, code)
    if order.search_lines.filter(state__in=UNSETTLED_SEARCH).exists():
        raise DomainError(
            _("Wait for the buyer to approve the prices of what you bought in the market."), code="search_unsettled"
        )
    due = order.total
    if order.payment_method == Order.PaymentMethod.COD:
        if cash != due:
            raise DomainError(
                _("Collect exactly %(amount)s in cash.") % {"amount": format_rupiah(due)},
                code="cash_mismatch",
                field="cash",
            )
        order.cash_collected = cash
        order.payment_state = Order.PaymentState.PAID
    elif order.payment_method == Order.PaymentMethod.TEMPO:
        pass  # delivered on the business's terms: paid later, against its invoice
    elif order.payment_state != Order.PaymentState.PAID:
        raise DomainError(_("This order is not paid yet."), code="not_paid")
    order.save(update_fields=["cash_collected", "payment_state", "updated_at"])
    move_order(order, Order.State.DELIVERED, actor=courier, cash=cash)
    _after_delivery(order)
    return order


def pickup_handover(*, order: Order, code: str, actor: User) -> Order:
    """The market hands a ready pickup order to the buyer against their code; it must be paid."""
    return _guarded_handover(order, actor, lambda: _pickup_handover(order=order, code=code, actor=actor))


@transaction.atomic
def _pickup_handover(*, order: Order, code: str, actor: User) -> Order:
    order = _lock_order(order.pk)
    if order.fulfilment != Order.Fulfilment.PICKUP:
        raise DomainError(_("This order is delivered by a courier."), code="not_pickup")
    if order.state != Order.State.READY:
        raise DomainError(_("This order is not ready for delivery."), code="not_ready")
    _check_handover_code(order, code)
    if order.payment_state != Order.PaymentState.PAID and order.payment_method != Order.PaymentMethod.TEMPO:
        raise DomainError(_("This order is waiting for the buyer's payment."), code="not_paid")
    move_order(order, Order.State.DELIVERED, actor=actor, pickup=True)
    _after_delivery(order)
    return order


# A 4-digit code falls to guessing unless guesses are limited: 5 wrong codes lock the handover for
# 15 minutes (at most 20 guesses an hour: guessing a code takes ~250 hours on average).
HANDOVER_MAX_WRONG = 5
HANDOVER_LOCK = timedelta(minutes=15)


class WrongHandoverCode(DomainError):
    pass


def _check_handover_code(order: Order, code: str) -> None:
    since = timezone.now() - HANDOVER_LOCK
    if order.events.filter(kind="handover_code_wrong", created_at__gte=since).count() >= HANDOVER_MAX_WRONG:
        raise DomainError(
            _("Too many wrong codes. Wait 15 minutes, or ask the market operator for help."), code="code_locked"
        )
    if not secrets.compare_digest(code.strip().encode(), order.handover_code.encode()):
        raise WrongHandoverCode(
            _("Wrong handover code: ask the buyer for the code on their order page."), code="bad_code"
        )


def _guarded_handover(order: Order, actor: User, handover: Callable[[], Order]) -> Order:
    """Run a handover; a wrong code is refused (nothing changes) but the attempt itself is recorded."""
    try:
        return handover()
    except WrongHandoverCode:
        with transaction.atomic():
            events.record(order, "handover_code_wrong", actor=actor)
        raise


def _after_delivery(order: Order) -> None:
    """The ledger posting runs as a task once the handover is committed (``orders.tasks``)."""
    transaction.on_commit(partial(order_delivered.enqueue, order_id=order.pk))
