"""The buyer's cart: one per market, lines in each product's steps, a note per line."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.core.errors import DomainError
from pasar.markets.models import Market
from pasar.orders.models import Cart, CartLine
from pasar.orders.pricing import check_quantity
from pasar.orders.services import bargain

MAX_LINES = 60


def parse_quantity(text: str) -> Decimal:
    """``0,25`` / ``0.25`` / ``1`` → Decimal; a clear refusal for anything else."""
    try:
        value = Decimal((text or "").strip().replace(",", "."))
    except InvalidOperation as exc:
        raise DomainError(_("Write the quantity as a number, e.g. 1 or 0,25."), code="quantity_invalid") from exc
    if not value.is_finite():
        raise DomainError(_("Write the quantity as a number, e.g. 1 or 0,25."), code="quantity_invalid")
    return value


def cart_of(*, buyer: User, market: Market) -> Cart:
    cart, _created = Cart.objects.get_or_create(buyer=buyer, market=market)
    return cart


@transaction.atomic
def cart_set(*, buyer: User, product: Product, quantity: Decimal, note: str = "") -> CartLine | None:
    """Put ``quantity`` of a product in the buyer's cart of its market (0 removes the line)."""
    cart = cart_of(buyer=buyer, market=product.market)
    bargained = CartLine.objects.filter(cart=cart, product=product).exclude(bargaining=False, agreed_price=None)
    if bargained.exclude(quantity=quantity).exists():
        # Tawar: a price was offered or agreed for that quantity, not for the new one.
        bargain.offer_withdraw(cart_id=cart.pk, product_id=product.pk, actor=buyer, reason="quantity")
    if quantity == 0:
        CartLine.objects.filter(cart=cart, product=product).delete()
        return None
    if not product.available or not product.stall.is_open:
        raise DomainError(_("%(name)s is not available today.") % {"name": product.name}, code="unavailable")
    check_quantity(product, quantity)
    if product.stock is not None and quantity > product.stock:
        raise DomainError(
            _("Only %(n)s %(unit)s of %(name)s left.")
            % {"n": product.stock, "unit": product.unit, "name": product.name},
            code="insufficient_stock",
        )
    if not CartLine.objects.filter(cart=cart, product=product).exists() and cart.lines.count() >= MAX_LINES:
        raise DomainError(_("A cart holds at most 60 lines."), code="cart_full")
    line, _created = CartLine.objects.update_or_create(
        cart=cart, product=product, defaults={"quantity": quantity, "note": note.strip()[:200]}
    )
    return line
