"""Reads for tawar (bargaining): a cart line's offer for the buyer, the waiting offers for the trader."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from pasar.accounts.models import User, is_business_buyer
from pasar.catalog.models import Product
from pasar.orders.models import CartLine, Offer
from pasar.traders.models import Stall

RECENT = timedelta(days=1)
FLOOR_PERCENT = 50  # an offer below half the listed price is not one a trader should have to answer


def price_floor(listed: int) -> int:
    """The lowest offer on a listed price: half of it, rounded up to the rupiah."""
    return max(1, -(-listed * FLOOR_PERCENT // 100))


@dataclass(frozen=True)
class LineOffer:
    """What the cart shows under a line: may the buyer bargain, and the line's latest offer today."""

    may_bargain: bool
    offer: Offer | None
    floor: int

    @property
    def live(self) -> bool:
        return self.offer is not None and self.offer.state in {"open", "countered", "accepted"}


def cart_offers(*, buyer: User, lines: list[CartLine]) -> dict[int, LineOffer]:
    """Per product id of the cart's lines; two queries whatever the number of lines, none for an empty cart."""
    if not lines:
        return {}
    business = is_business_buyer(buyer)
    latest: dict[int, Offer] = {}
    offers = Offer.objects.filter(
        cart_id__in={line.cart_id for line in lines},
        product_id__in=[line.product_id for line in lines],
        order__isnull=True,
        created_at__gte=timezone.now() - RECENT,
    ).order_by("pk")
    for each in offers:
        latest[each.product_id] = each
    found = {}
    for line in lines:
        product = line.product
        allowed = business or (product.bargain_from is not None and line.quantity >= product.bargain_from)
        offer: Offer | None = latest.get(product.pk)
        if (
            offer is not None
            and offer.state not in {"open", "countered", "accepted"}
            and offer.quantity != line.quantity
        ):
            offer = None  # an old answer about another quantity says nothing about this line
        found[product.pk] = LineOffer(allowed, offer, price_floor(product.price))
    return found


def trader_offers(*, stalls: list[Stall]) -> tuple[list[Offer], list[Offer]]:
    """The offers waiting for the trader's answer (soonest deadline first), and the last day's others."""
    mine: QuerySet[Offer] = Offer.objects.filter(product__stall__in=stalls).select_related("product", "buyer")
    # Past its deadline an offer can no longer be accepted, even before the expiry job has run.
    waiting = list(mine.filter(state=Offer.State.OPEN, expires_at__gt=timezone.now()).order_by("expires_at", "pk"))
    recent = list(
        mine.exclude(state=Offer.State.OPEN)
        .filter(updated_at__gte=timezone.now() - RECENT)
        .order_by("-updated_at")[:30]
    )
    return waiting, recent


def trader_products(*, stalls: list[Stall]) -> list[Product]:
    return list(Product.objects.filter(stall__in=stalls).order_by("name", "pk"))
