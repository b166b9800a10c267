""" "Cari di pasar" lines: in the cart (``CartRequest``) and in the order (``SearchLine``).

Who buys: the courier who takes the order, with their own cash, anywhere in the market; they record
the real price (and optionally a receipt photo) or say it was not found. The buyer then approves or
refuses each price on the order page; a refused line is not paid (the courier leaves it at the
stall). Only approved prices count (``Order.bought_total``); the ledger reimburses them to the courier.

Timing, so money always follows the goods:
- an order with search lines can be taken by a courier once its stall parts are ready even when paid
  by transfer or QRIS (the amount cannot be issued before the purchase is known);
- the order leaves the market (``picked_up``) when every stall part is picked up and no line is open;
- transfer/QRIS: the amount is issued when every part is ready and every line is settled
  (approved, refused or not found); the handover needs it paid, as before;
- cash on delivery: the handover waits until the buyer has answered every bought price.
"""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.catalog.services import _thumbnail as photo_as_webp
from pasar.core.errors import DomainError
from pasar.markets.models import Market
from pasar.orders import events
from pasar.orders.models import MAX_PRICE_CAP, CartRequest, Order, SearchLine, StallOrder
from pasar.orders.services.cart import MAX_LINES, cart_of
from pasar.orders.services.fulfilment import amount_issue, move_order, search_settled

S = SearchLine.State
MAX_BOUGHT = 100_000_000


def check_cap(price_cap: int | None) -> int:
    if price_cap is None or isinstance(price_cap, bool) or not 0 < price_cap <= MAX_PRICE_CAP:
        raise DomainError(
            _("Set a price cap between Rp1 and Rp5.000.000 for each cari-di-pasar line."),
            code="cap_invalid",
            field="price_cap",
        )
    return price_cap


@transaction.atomic
def cart_request_add(
    *, buyer: User, market: Market, text: str, quantity: str = "", note: str = "", price_cap: int | None
) -> CartRequest:
    """Add a "cari di pasar" line to the buyer's cart at ``market``."""
    text = " ".join(text.split())[:120]
    if not text:
        raise DomainError(_("Write what the courier should look for."), code="request_text", field="text")
    cap = check_cap(price_cap)
    cart = cart_of(buyer=buyer, market=market)
    if cart.lines.count() + cart.requests.count() >= MAX_LINES:
        raise DomainError(_("A cart holds at most 60 lines."), code="cart_full")
    return CartRequest.objects.create(
        cart=cart, text=text, quantity=quantity.strip()[:40], note=note.strip()[:200], price_cap=cap
    )


@transaction.atomic
def cart_request_update(*, buyer: User, request_id: int, price_cap: int | None, remove: bool = False) -> None:
    """Change the cap of one of the buyer's cari-di-pasar lines, or remove it."""
    request = CartRequest.objects.filter(pk=request_id, cart__buyer=buyer).first()
    if request is None:
        raise DomainError(_("This line is not in your cart."), code="request_unknown")
    if remove:
        request.delete()
        return
    request.price_cap = check_cap(price_cap)
    request.save(update_fields=["price_cap"])


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _search_line(order: Order, line_id: int) -> SearchLine:
    line = SearchLine.objects.filter(pk=line_id, order=order).first()
    if line is None:
        raise DomainError(_("This line is not part of the order."), code="line_unknown")
    return line


def _courier_line(order: Order, line_id: int, courier: User) -> tuple[Order, SearchLine]:
    order = _lock(order)
    if order.courier_id != courier.pk:
        raise DomainError(_("This order is assigned to another courier."), code="not_your_order")
    if order.state not in {Order.State.READY, Order.State.PICKED_UP}:
        raise DomainError(_("This order can no longer change."), code="order_closed")
    line = _search_line(order, line_id)
    if line.state not in {S.OPEN, S.BOUGHT}:
        raise DomainError(_("The buyer has already answered for this line."), code="line_settled")
    return order, line


@transaction.atomic
def search_bought(
    *, order: Order, line_id: int, amount: int, courier: User, receipt: UploadedFile[bytes] | None = None
) -> SearchLine:
    """The courier bought it: the real price (may exceed the cap; the buyer decides) and a receipt photo."""
    if isinstance(amount, bool) or not 0 < amount <= MAX_BOUGHT:
        raise DomainError(_("Write the price paid, more than zero."), code="bought_invalid", field="amount")
    photo = photo_as_webp(receipt)[0] if receipt is not None else None
    order, line = _courier_line(order, line_id, courier)
    line.state, line.bought_amount = S.BOUGHT, amount
    if photo is not None:
        line.receipt_photo.save(f"r{line.pk}.webp", ContentFile(photo), save=False)
    line.save(update_fields=["state", "bought_amount", "receipt_photo"])
    events.record(order, "search_bought", actor=courier, line=line.pk, amount=amount, over_cap=line.over_cap)
    search_progress(order, actor=courier)
    return line


@transaction.atomic
def search_not_found(*, order: Order, line_id: int, courier: User) -> SearchLine:
    """The courier looked and found nothing within reason: the line drops, nothing is paid for it."""
    order, line = _courier_line(order, line_id, courier)
    line.state, line.bought_amount = S.NOT_FOUND, None
    line.save(update_fields=["state", "bought_amount"])
    events.record(order, "search_not_found", actor=courier, line=line.pk)
    search_progress(order, actor=courier)
    return line


@transaction.atomic
def search_decide(*, order: Order, line_id: int, approve: bool, actor: User) -> SearchLine:
    """The buyer approves or refuses the price the courier paid; an approved price is added to the total."""
    order = _lock(order)
    if order.state not in {Order.State.READY, Order.State.PICKED_UP}:
        raise DomainError(_("This order can no longer change."), code="order_closed")
    line = _search_line(order, line_id)
    if line.state != S.BOUGHT:
        raise DomainError(_("Nothing to approve on this line."), code="nothing_to_approve")
    line.state = S.APPROVED if approve else S.REFUSED
    line.save(update_fields=["state"])
    if approve:
        assert line.bought_amount is not None  # a bought line has a price (DB constraint)
        Order.objects.filter(pk=order.pk).update(bought_total=F("bought_total") + line.bought_amount)
        order.refresh_from_db()
    events.record(order, "search_decided", actor=actor, line=line.pk, approve=approve, amount=line.bought_amount)
    search_progress(order, actor=actor)
    return line


def search_progress(order: Order, *, actor: User | None) -> None:
    """After a part or a search line moved: leave the market, or issue the transfer/QRIS amount, when due.

    Called with the order's row lock held.
    """
    parts = order.parts.exclude(state=StallOrder.State.CANCELLED)
    if (
        order.state == Order.State.READY
        and order.courier_id is not None
        and not parts.exclude(state=StallOrder.State.PICKED_UP).exists()
        and not order.search_lines.filter(state=S.OPEN).exists()
    ):
        move_order(order, Order.State.PICKED_UP, actor=actor)
    if (
        order.payment_method != Order.PaymentMethod.COD
        and order.payment_state == Order.PaymentState.AWAITING_WEIGHING
        and order.state in {Order.State.READY, Order.State.PICKED_UP}
        and search_settled(order)
    ):
        amount_issue(order=order)
