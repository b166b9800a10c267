"""Tawar: a buyer proposes a price per unit on a cart line, the stall's trader answers within a time limit.

Who may bargain: a business buyer on any line, anyone else from the quantity the product sets
(``Product.bargain_from``). The trader accepts, counters once or refuses; after a counter the buyer accepts
or refuses (no second counter). An unanswered offer or counter expires after ``OFFER_MINUTES``.

Expiry is both scheduled and lazy: ``offers_expire`` runs every minute (``orders/schedule.py``) so the
other side hears of it, and every answer re-checks the deadline under the lock, so an answer after the
deadline never counts even when the job is late or down.

Locks: the buyer's cart row first, then the offer row, as placement locks the cart first; so an answer and
a checkout of the same cart queue instead of deadlocking, and a checkout never reads a half-answered
line. The cart line carries ``bargaining`` / ``agreed_price`` for placement (one query, prebuilt.py).
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from pasar.accounts.models import User, is_business_buyer
from pasar.catalog.models import Product
from pasar.core.errors import DomainError
from pasar.core.money import format_quantity, format_rupiah
from pasar.orders import offer_events
from pasar.orders.bargain_selectors import price_floor
from pasar.orders.models import LIVE_OFFER_STATES, OFFER_MINUTES, Cart, CartLine, Offer

MAX_OFFERS_PER_DAY = 3  # per cart line: after that the buyer pays the listed price or talks at the stall
WAITING = (Offer.State.OPEN, Offer.State.COUNTERED)


def may_bargain(*, buyer: User, product: Product, quantity: Decimal) -> bool:
    """Business buyers on any line; others from the product's ``bargain_from`` quantity."""
    if product.bargain_from is not None and quantity >= product.bargain_from:
        return True
    return is_business_buyer(buyer)


def _deadline(now: datetime) -> datetime:
    return now + timedelta(minutes=OFFER_MINUTES)


def _lock_cart(cart_id: int) -> None:
    Cart.objects.select_for_update().filter(pk=cart_id).values_list("pk", flat=True).first()


def _lock_offer(offer_id: int) -> Offer:
    cart_id = Offer.objects.filter(pk=offer_id).values_list("cart_id", flat=True).first()
    if cart_id is None:
        raise DomainError(_("This offer no longer exists."), code="offer_missing")
    _lock_cart(cart_id)
    return Offer.objects.select_for_update().select_related("product").get(pk=offer_id)


def _line_of(offer: Offer) -> CartLine | None:
    return CartLine.objects.filter(cart_id=offer.cart_id, product_id=offer.product_id).first()


def _set_line(offer: Offer, *, bargaining: bool, agreed: int | None) -> None:
    CartLine.objects.filter(cart_id=offer.cart_id, product_id=offer.product_id).update(
        bargaining=bargaining, agreed_price=agreed
    )


def _close(
    offer: Offer, state: str, *, actor: User | None, kind: str, agreed: int | None = None, **data: object
) -> None:
    offer.state, offer.agreed_price = state, agreed
    offer.save(update_fields=["state", "agreed_price", "updated_at"])
    _set_line(offer, bargaining=False, agreed=agreed)
    offer_events.record(offer, kind, actor=actor, **data)


def _check_bounds(product: Product, price: int) -> None:
    listed = product.price
    if price >= listed:
        raise DomainError(
            _("Offer less than the listed price of %(price)s.") % {"price": format_rupiah(listed)},
            code="offer_not_below",
            field="price",
        )
    floor = price_floor(listed)
    if price < floor:
        raise DomainError(
            _("An offer is at least %(floor)s, half the listed price.") % {"floor": format_rupiah(floor)},
            code="offer_too_low",
            field="price",
        )


def offer_propose(*, buyer: User, product: Product, price: int) -> Offer:
    """The buyer's price per unit for the product's line in their cart; the trader has ``OFFER_MINUTES``."""
    with transaction.atomic():
        cart = Cart.objects.select_for_update().filter(buyer=buyer, market_id=product.market_id).first()
        line = CartLine.objects.filter(cart=cart, product=product).first() if cart else None
        if cart is None or line is None:
            raise DomainError(_("Put %(name)s in your cart first.") % {"name": product.name}, code="offer_no_line")
        if not may_bargain(buyer=buyer, product=product, quantity=line.quantity):
            raise DomainError(_bargain_refusal(product), code="offer_not_allowed")
        if line.bargaining or line.agreed_price is not None:
            raise DomainError(
                _("You already bargained on %(name)s: see its answer in your cart.") % {"name": product.name},
                code="offer_live",
            )
        _check_bounds(product, price)
        now = timezone.now()
        for stale in Offer.objects.select_for_update().filter(cart=cart, product=product, state__in=LIVE_OFFER_STATES):
            # The line was replaced without its offer (a chat order empties the cart): that offer is over.
            _close(stale, Offer.State.WITHDRAWN, actor=buyer, kind="withdrawn", reason="line_replaced")
        tries = Offer.objects.filter(cart=cart, product=product, created_at__gte=now - timedelta(days=1)).count()
        if tries >= MAX_OFFERS_PER_DAY:
            raise DomainError(
                _("You made %(n)s offers on %(name)s today: buy at the listed price or ask at the stall.")
                % {"n": MAX_OFFERS_PER_DAY, "name": product.name},
                code="offer_tries",
            )
        offer = Offer.objects.create(
            cart=cart,
            product=product,
            buyer=buyer,
            quantity=line.quantity,
            listed_price=product.price,
            proposed_price=price,
            expires_at=_deadline(now),
        )
        line.bargaining = True
        line.save(update_fields=["bargaining"])
        offer_events.record(
            offer, "offered", actor=buyer, price=price, listed=product.price, quantity=format_quantity(line.quantity)
        )
    return offer


def _bargain_refusal(product: Product) -> str:
    if product.bargain_from is None:
        return _("%(name)s is sold at its listed price.") % {"name": product.name}
    return _("Bargaining on %(name)s starts from %(n)s %(unit)s.") % {
        "name": product.name,
        "n": format_quantity(product.bargain_from),
        "unit": product.unit,
    }


def _expire_if_due(offer: Offer, now: datetime) -> bool:
    """Expire a waiting offer past its deadline (under the caller's lock); True if it is now expired."""
    if offer.state in WAITING and offer.expires_at <= now:
        _close(offer, Offer.State.EXPIRED, actor=None, kind="expired", was=offer.state)
        return True
    return offer.state == Offer.State.EXPIRED


def _too_late(offer: Offer) -> DomainError:
    at = time_format(timezone.localtime(offer.expires_at), "H:i")
    return DomainError(_("Too late: this offer expired at %(time)s.") % {"time": at}, code="offer_expired")


def offer_answer(*, offer_id: int, action: str, actor: User, price: int | None = None) -> Offer:
    """The trader accepts, counters once (a price between the offer and the listed price) or refuses.

    The caller has checked that ``actor`` trades at the product's stall (``staff_access``).
    """
    with transaction.atomic():
        offer = _lock_offer(offer_id)
        expired = _expire_if_due(offer, timezone.now())
        changed = not expired and offer.state == Offer.State.OPEN and not _line_matches(offer)
        if changed:
            _close(offer, Offer.State.WITHDRAWN, actor=None, kind="withdrawn", reason="line_changed")
        elif not expired:
            _trader_step(offer, action, actor, price)
    # Raised after the commit, so the expiry (or withdrawal) stays recorded.
    if expired:
        raise _too_late(offer)
    if changed:
        raise DomainError(_("The buyer changed this line: the offer is withdrawn."), code="offer_withdrawn")
    return offer


def _line_matches(offer: Offer) -> bool:
    line = _line_of(offer)
    return line is not None and line.bargaining and line.quantity == offer.quantity


def _trader_step(offer: Offer, action: str, actor: User, price: int | None) -> None:
    if offer.state != Offer.State.OPEN:
        raise DomainError(_("This offer was already answered."), code="offer_answered")
    if action == "accept":
        agreed = offer.proposed_price
        _close(offer, Offer.State.ACCEPTED, actor=actor, kind="accepted", agreed=agreed, price=agreed)
    elif action == "refuse":
        _close(offer, Offer.State.REFUSED, actor=actor, kind="refused")
    elif action == "counter":
        if price is None or not offer.proposed_price < price < offer.listed_price:
            raise DomainError(
                _("Counter with a price above %(offer)s and below %(listed)s.")
                % {"offer": format_rupiah(offer.proposed_price), "listed": format_rupiah(offer.listed_price)},
                code="counter_range",
                field="price",
            )
        offer.state, offer.counter_price = Offer.State.COUNTERED, price
        offer.expires_at = _deadline(timezone.now())
        offer.save(update_fields=["state", "counter_price", "expires_at", "updated_at"])
        offer_events.record(offer, "countered", actor=actor, price=price)
    else:
        raise DomainError(_("Accept, counter or refuse."), code="offer_action")


def offer_reply(*, offer_id: int, buyer: User, accept: bool) -> Offer:
    """The buyer accepts or refuses the trader's counter (there is no second counter)."""
    with transaction.atomic():
        offer = _lock_offer(offer_id)
        if offer.buyer_id != buyer.pk:
            raise DomainError(_("This offer no longer exists."), code="offer_missing")
        expired = _expire_if_due(offer, timezone.now())
        if not expired:
            if offer.state != Offer.State.COUNTERED or offer.counter_price is None:
                raise DomainError(_("This offer was already answered."), code="offer_answered")
            if accept:
                agreed = offer.counter_price
                _close(offer, Offer.State.ACCEPTED, actor=buyer, kind="counter_accepted", agreed=agreed, price=agreed)
            else:
                _close(offer, Offer.State.REFUSED, actor=buyer, kind="counter_refused")
    if expired:
        raise _too_late(offer)
    return offer


def offer_withdraw(*, cart_id: int, product_id: int, actor: User, reason: str) -> bool:
    """End the line's live offer (the buyer changed the line, removed it or chose the listed price).

    The caller holds the cart's lock or runs in a transaction that takes it here; True if one was live.
    """
    with transaction.atomic():
        _lock_cart(cart_id)
        offer = (
            Offer.objects.select_for_update()
            .filter(cart_id=cart_id, product_id=product_id, state__in=LIVE_OFFER_STATES)
            .first()
        )
        if offer is None:
            return False
        _close(offer, Offer.State.WITHDRAWN, actor=actor, kind="withdrawn", reason=reason)
    return True


def offers_expire(*, now: datetime) -> int:
    """Expire every offer and counter nobody answered by its deadline; each in its own short transaction."""
    due = list(
        Offer.objects.filter(state__in=WAITING, expires_at__lte=now).order_by("pk").values_list("pk", flat=True)[:500]
    )
    expired = 0
    for offer_id in due:
        with transaction.atomic():
            offer = _lock_offer(offer_id)
            if offer.state in WAITING and offer.expires_at <= now:
                _expire_if_due(offer, now)
                expired += 1
    return expired


def offers_used(*, cart_id: int, order_id: int, product_ids: list[int]) -> None:
    """At placement (cart row already locked): the agreed offers went into the order."""
    Offer.objects.filter(cart_id=cart_id, product_id__in=product_ids, state=Offer.State.ACCEPTED).update(
        state=Offer.State.USED, order_id=order_id, updated_at=timezone.now()
    )


def offers_for_listed_price(*, cart_id: int, product_ids: list[int], actor: User) -> None:
    """At placement, when the buyer chose the listed price over waiting: the open offers are withdrawn."""
    for offer in Offer.objects.select_for_update().filter(
        cart_id=cart_id, product_id__in=product_ids, state__in=WAITING
    ):
        offer.state = Offer.State.WITHDRAWN
        offer.save(update_fields=["state", "updated_at"])
        offer_events.record(offer, "withdrawn", actor=actor, reason="listed_price")
