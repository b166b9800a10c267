"""Arithmetic of orders: line estimates, quantity rules, delivery fees, the market day."""

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from pasar.catalog.models import Product
from pasar.core.errors import DomainError
from pasar.core.money import format_quantity
from pasar.markets.models import Market

MAX_QUANTITY = Decimal(500)  # per line: more than a pasar stall sells one buyer in a day
FEE_ROUNDING = 500
FREE_KM = Decimal(2)


def line_estimate(unit_price: int, quantity: Decimal) -> int:
    """Rupiah for ``quantity`` at ``unit_price``, rounded half up to the rupiah."""
    return int((Decimal(unit_price) * quantity).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def check_quantity(product: Product, quantity: Decimal) -> None:
    """Weighed goods in their steps (0.25 kg), counted goods in whole units; at least the minimum."""
    if not quantity.is_finite() or quantity <= 0 or quantity > MAX_QUANTITY:
        raise DomainError(_("Quantity must be more than 0 and at most 500."), code="quantity_range", field="quantity")
    if quantity < product.quantity_min:
        raise DomainError(
            _("The minimum for %(name)s is %(min)s %(unit)s.")
            % {"name": product.name, "min": format_quantity(product.quantity_min), "unit": product.unit},
            code="quantity_below_min",
            field="quantity",
        )
    if quantity % product.quantity_step != 0:
        raise DomainError(
            _("%(name)s is sold in steps of %(step)s %(unit)s.")
            % {"name": product.name, "step": format_quantity(product.quantity_step), "unit": product.unit},
            code="quantity_off_step",
            field="quantity",
        )


def delivery_fee(market: Market, distance_km: Decimal) -> int:
    """The market's tariff: base fee plus a per-km fee beyond 2 km, kept within its minimum and maximum."""
    extra_km = max(Decimal(0), distance_km - FREE_KM)
    raw = Decimal(market.delivery_base_fee) + extra_km * market.delivery_fee_per_km
    rounded = int((raw / FEE_ROUNDING).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * FEE_ROUNDING
    return max(market.delivery_min_fee, min(market.delivery_max_fee, rounded))


def market_day(market: Market, now: datetime) -> date:
    """The day an order placed at ``now`` is prepared: today before the cut-off on an open day, else the next one."""
    local = now.astimezone(ZoneInfo(market.timezone))
    day = local.date()
    if local.time() > market.order_cutoff or str(day.isoweekday()) not in market.open_days:
        day += timedelta(days=1)
    for _attempt in range(7):
        if str(day.isoweekday()) in market.open_days:
            return day
        day += timedelta(days=1)
    return day  # a market with no open day: keep the next day rather than loop
