"""Shopping-list orders (titip belanja): a list typed the way people text it becomes a normal cart.

``shopping_list_match`` only reads. Every parsed line (``pasar.catalog.shopping_list``) ends up as
exactly one of:

- ``product``: a product of the market with the same commodity, available at an open stall, with
  enough stock. Among several, the buyer's favourite stalls win (stalls they ordered from before at
  this market, most recent first), then the cheapest for the quantity asked. The quantity is turned
  into the product's unit: grams → kg/ons, ml → liter; counted goods whole. A money amount ("cabe
  rawit 5rb") is a budget: what it buys rounded DOWN to the product's step, never priced above it; a
  product whose smallest quantity costs more is not a fit. What could not be turned (2 ikat of a
  product sold by the kg, or no quantity at all) gets the product's minimum and a message;
- ``search``: "cari di pasar", when no product fits: the courier buys it anywhere in the market
  under a price cap (the money amount, or the market's median price × quantity); a budget below every
  stall's smallest quantity lands here too: the courier asks a trader to weigh that much worth;
- ``flagged``: nothing to buy (no item name, a quantity no household buys, or chatter such as
  "Bu, titip ya" or "makasih 🙏"): shown with a message.

``shopping_list_to_cart`` writes the product and search lines into the buyer's cart at that market
in one transaction (a product already in the cart gets the quantities added), or nothing at all.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from statistics import median

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.catalog.shopping_list import MAX_LINES, ParsedItem, commodity_for, parse_list
from pasar.core.errors import DomainError
from pasar.core.money import format_rupiah
from pasar.markets.models import Market
from pasar.orders.models import MAX_PRICE_CAP, CartLine, Order, StallOrder
from pasar.orders.pricing import MAX_QUANTITY, line_estimate
from pasar.orders.services.cart import cart_set
from pasar.orders.services.search import cart_request_add

# Parsed unit → grams / millilitres; product unit → grams / millilitres.
MASS = {"kg": Decimal(1000), "g": Decimal(1)}
PRODUCT_MASS = {"kg": Decimal(1000), "ons": Decimal(100), "gram": Decimal(1)}
VOLUME = {"l": Decimal(1000), "ml": Decimal(1)}
PRODUCT_VOLUME = {"liter": Decimal(1000)}
PIECES = {"buah", "biji", "pcs"}  # one piece, whatever it is called
CAP_ROUNDING = 1000

PRODUCT, SEARCH, FLAGGED = "product", "search", "flagged"


@dataclass
class MatchLine:
    index: int
    parsed: ParsedItem
    kind: str
    product: Product | None = None
    quantity: Decimal | None = None
    estimate: int | None = None
    cap: int | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.parsed.item or self.parsed.text or self.parsed.raw

    @property
    def asked(self) -> str:
        """The quantity as the buyer asked for it, for the courier: ``2 papan``, ``Rp5.000``."""
        q, unit = self.parsed.quantity, self.parsed.unit
        if q is None:
            return ""
        if unit == "rupiah":
            return format_rupiah(int(q))
        text = f"{q.normalize():f}".replace(".", ",")
        return f"{text} {unit}" if unit else text


@dataclass
class MatchResult:
    lines: list[MatchLine]

    def of(self, kind: str) -> list[MatchLine]:
        return [line for line in self.lines if line.kind == kind]

    @property
    def estimate(self) -> int:
        return sum(line.estimate or 0 for line in self.of(PRODUCT)) + sum(line.cap or 0 for line in self.of(SEARCH))


def parse_or_refuse(text: str) -> list[ParsedItem]:
    """The parsed lines; a clear refusal for an empty list or one longer than ``MAX_LINES``."""
    items = parse_list(text, max_items=MAX_LINES)  # ListTooLong is a DomainError with a clear message
    if not items:
        raise DomainError(_("The list is empty: write one item per line."), code="list_empty")
    return items


def favourite_stalls(*, buyer: User, market: Market) -> dict[int, int]:
    """Stall id → rank (0 = most recent) of the stalls the buyer ordered from at this market."""
    rows = (
        StallOrder.objects.filter(order__buyer=buyer, order__market=market)
        .exclude(order__state=Order.State.CANCELLED)
        .values("stall_id")
        .annotate(last=Max("order__created_at"))
        .order_by("-last", "stall_id")
    )
    return {row["stall_id"]: rank for rank, row in enumerate(rows)}


def to_product_unit(quantity: Decimal, unit: str | None, product: Product) -> Decimal | None:
    """``quantity`` of ``unit`` in the product's unit; None when the units do not convert."""
    if unit is None or unit == product.unit:
        return quantity  # "bawang merah 1/4": the number is in the unit the market sells it by
    if unit in MASS and product.unit in PRODUCT_MASS:
        return quantity * MASS[unit] / PRODUCT_MASS[product.unit]
    if unit in VOLUME and product.unit in PRODUCT_VOLUME:
        return quantity * VOLUME[unit] / PRODUCT_VOLUME[product.unit]
    if unit in PIECES and product.unit in PIECES:
        return quantity
    return None


def fit_to_steps(product: Product, quantity: Decimal, *, rounding: str = ROUND_HALF_UP) -> Decimal:
    """The nearest quantity the product is sold in (its step, counted goods whole), at least its minimum."""
    step = product.quantity_step
    fitted = (quantity / step).quantize(Decimal(1), rounding=rounding) * step
    least = (product.quantity_min / step).quantize(Decimal(1), rounding=ROUND_CEILING) * step
    return max(fitted, least).normalize()


def _number(q: Decimal) -> str:
    return f"{q.normalize():f}".replace(".", ",")


def _quantity_for(parsed: ParsedItem, product: Product) -> tuple[Decimal, list[str], bool]:
    """The quantity to put in the cart for ``product``, what the buyer should know, and whether the
    asked quantity converted (False: the minimum stands in for it)."""
    q, unit, sold = parsed.quantity, parsed.unit, product.unit
    if q is None:
        least = fit_to_steps(product, product.quantity_min)
        return least, [_("No quantity given: %(q)s %(unit)s for now.") % {"q": _number(least), "unit": sold}], False
    if unit == "rupiah":
        fitted = fit_to_steps(product, q / product.price, rounding=ROUND_FLOOR)
        return (
            fitted,
            [
                _("%(money)s buys about %(q)s %(unit)s.")
                % {"money": format_rupiah(int(q)), "q": _number(fitted), "unit": sold}
            ],
            True,
        )
    # A number with a word the parser does not know as a unit ("2 gelas") is not in the product's unit.
    converted = None if "unit_unknown" in parsed.flags else to_product_unit(q, unit, product)
    if converted is None:
        least = fit_to_steps(product, product.quantity_min)
        return (
            least,
            [
                _("%(name)s is sold by the %(unit)s, not by the %(asked)s: %(q)s %(unit)s for now.")
                % {"name": product.name, "unit": sold, "asked": unit or parsed.note, "q": _number(least)}
            ],
            False,
        )
    fitted = fit_to_steps(product, converted)
    if fitted != converted:
        return (
            fitted,
            [
                _("Sold in steps of %(step)s %(unit)s: %(q)s %(unit)s.")
                % {"step": _number(product.quantity_step), "unit": sold, "q": _number(fitted)}
            ],
            True,
        )
    return fitted, [], True


def _sellable(product: Product, quantity: Decimal) -> bool:
    if quantity > MAX_QUANTITY:
        return False
    return product.stock is None or quantity <= product.stock


def _pick(parsed: ParsedItem, candidates: list[Product], favourites: dict[int, int]) -> MatchLine | None:
    """The best candidate: converts cleanly, at a favourite stall (most recent first), then cheapest."""
    options = []
    for product in candidates:
        if not product.available or not product.stall.is_open:
            continue
        quantity, messages, converted = _quantity_for(parsed, product)
        if not _sellable(product, quantity):
            continue
        estimate = line_estimate(product.price, quantity)
        if parsed.unit == "rupiah" and parsed.quantity is not None and estimate > parsed.quantity:
            continue  # a budget: its smallest quantity costs more than the buyer gives
        rank = favourites.get(product.stall_id, len(favourites))
        options.append(((not converted, rank, estimate, product.pk), product, quantity, estimate, messages))
    if not options:
        return None
    _key, product, quantity, estimate, messages = min(options, key=lambda option: option[0])
    return MatchLine(0, parsed, PRODUCT, product=product, quantity=quantity, estimate=estimate, messages=messages)


def _suggested_cap(parsed: ParsedItem, known: list[Product]) -> int | None:
    """The money amount written, else the market's median price of the commodity for that quantity."""
    if parsed.unit == "rupiah" and parsed.quantity is not None:
        return int(parsed.quantity) if 0 < parsed.quantity <= MAX_PRICE_CAP else None
    amounts = []
    for product in known:
        quantity, _messages, _converted = _quantity_for(parsed, product)
        amounts.append(line_estimate(product.price, quantity))
    if not amounts:
        return None
    rounded = int((Decimal(median(amounts)) / CAP_ROUNDING).quantize(Decimal(1), rounding=ROUND_CEILING))
    return min(max(rounded, 1) * CAP_ROUNDING, MAX_PRICE_CAP)


def _flag_message(parsed: ParsedItem) -> str | None:
    if parsed.chatter:
        return _("Not an item (a greeting, thanks or heading): left out.")
    if "no_item" in parsed.flags or not (parsed.item or parsed.text):
        return _("No item on this line: write what to buy, e.g. “tempe 2 papan”.")
    if "absurd_quantity" in parsed.flags:
        return _("%(q)s is far more than a household buys: check the quantity.") % {
            "q": (f"{_number(parsed.quantity)} {parsed.unit or ''}".strip() if parsed.quantity is not None else "")
        }
    return None


def _search_message(parsed: ParsedItem, known: list[Product]) -> str:
    if parsed.unit == "rupiah" and parsed.quantity is not None and any(p.available for p in known):
        return _(
            "%(money)s buys less than the smallest amount a stall sells: the courier asks a trader to weigh "
            "%(money)s worth."
        ) % {"money": format_rupiah(int(parsed.quantity))}
    if parsed.item:
        return _("No stall offers it today: the courier looks for it in the market.")
    return _("Not on the stalls' lists: the courier looks for it in the market.")


def _market_products(market: Market, items: list[ParsedItem]) -> dict[str, list[Product]]:
    """The market's products per canonical commodity name (lower case), in one query."""
    names: dict[str, str] = {}
    for parsed in items:
        definition = commodity_for(parsed.item) if parsed.item else None
        if definition is not None and parsed.item:
            names[definition.name] = parsed.item
    products: dict[str, list[Product]] = defaultdict(list)
    for product in Product.objects.filter(market=market, commodity__name__in=list(names)).select_related(
        "stall", "commodity"
    ):
        assert product.commodity is not None  # filtered on its name
        products[names[product.commodity.name]].append(product)
    return products


def shopping_list_match(*, buyer: User, market: Market, text: str) -> MatchResult:
    """Match each line of the list to the market's products, or to "cari di pasar", or flag it."""
    items = parse_or_refuse(text)
    products = _market_products(market, items)
    favourites = favourite_stalls(buyer=buyer, market=market)
    lines = []
    for index, parsed in enumerate(items):
        flag = _flag_message(parsed)
        if flag is not None:
            lines.append(MatchLine(index, parsed, FLAGGED, messages=[flag]))
            continue
        known = products.get(parsed.item or "", [])
        line = _pick(parsed, known, favourites)
        if line is None:
            line = MatchLine(index, parsed, SEARCH, cap=_suggested_cap(parsed, known))
            line.messages.append(_search_message(parsed, known))
            if line.cap is None:
                line.messages.append(_("Set the most you want to pay for it."))
        line.index = index
        lines.append(line)
    return MatchResult(lines)


@dataclass(frozen=True)
class CartWrite:
    products: int
    searches: int
    flagged: int


@transaction.atomic
def shopping_list_to_cart(
    *, buyer: User, market: Market, text: str, caps: dict[int, int] | None = None, skip: frozenset[int] = frozenset()
) -> CartWrite:
    """Write the matched list into the buyer's cart at ``market``: everything, or nothing with a message.

    ``caps`` gives the buyer's price cap per line index (else the suggestion); ``skip`` the lines the
    buyer unticked in the preview.
    """
    result = shopping_list_match(buyer=buyer, market=market, text=text)
    caps = caps or {}
    missing = [
        line.name for line in result.of(SEARCH) if line.index not in skip and caps.get(line.index, line.cap) is None
    ]
    if missing:
        raise DomainError(
            _("Set the most you want to pay for: %(names)s.") % {"names": ", ".join(missing)}, code="cap_missing"
        )
    written = [0, 0]
    for line in result.lines:
        if line.index in skip or line.kind == FLAGGED:
            continue
        if line.kind == PRODUCT:
            assert line.product is not None
            assert line.quantity is not None
            _add_product(buyer, line.product, line.quantity, line.parsed.note)
            written[0] += 1
        else:
            cart_request_add(
                buyer=buyer,
                market=market,
                text=line.name,
                quantity=line.asked,
                note=line.parsed.note,
                price_cap=caps.get(line.index, line.cap),
            )
            written[1] += 1
    return CartWrite(products=written[0], searches=written[1], flagged=len(result.of(FLAGGED)))


def _add_product(buyer: User, product: Product, quantity: Decimal, note: str) -> None:
    """Add to what is already in the cart (a list adds; it does not replace); notes are joined."""
    existing = CartLine.objects.filter(cart__buyer=buyer, cart__market=product.market, product=product).first()
    if existing is not None:
        quantity += existing.quantity
        note = "; ".join(part for part in (existing.note, note) if part)
    cart_set(buyer=buyer, product=product, quantity=quantity, note=note)
