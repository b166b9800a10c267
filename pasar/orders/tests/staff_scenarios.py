"""Orders in a known state for the staff tests: placed through the real services, moved by them."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

from django.utils import timezone

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.markets.models import Market, MarketRole
from pasar.orders.models import Order, OrderLine, PickupSlot
from pasar.orders.pricing import line_estimate, market_day
from pasar.orders.services import fulfilment
from pasar.orders.services.cart import cart_set
from pasar.orders.services.placement import Checkout, order_place
from pasar.testing import factories
from pasar.traders.models import Stall

_keys = count(1)


def weighed_product(*, stall: Stall, name: str = "Cabai Merah", price: int = 40000) -> Product:
    """A product sold by the kilo in steps of 0.25 kg."""
    product = factories.product(stall=stall, name=name, unit="kg", price=price)
    product.quantity_step = product.quantity_min = Decimal("0.25")
    product.save(update_fields=["quantity_step", "quantity_min"])
    return product


def courier(market: Market, name: str = "Kurir") -> User:
    user = factories.user(name=name)
    MarketRole.objects.create(user=user, market=market, role=MarketRole.Role.COURIER)
    return user


def pickup_slot(market: Market, *, capacity: int = 5) -> PickupSlot:
    day = market_day(market, timezone.now())
    starts = datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(market.timezone))
    return PickupSlot.objects.create(
        market=market, starts_at=starts, ends_at=starts + timedelta(hours=1), capacity=capacity
    )


def place(
    *,
    market: Market,
    items: list[tuple[Product, str]],
    buyer: User | None = None,
    payment: str = Order.PaymentMethod.COD,
    slot: PickupSlot | None = None,
) -> Order:
    """An order of ``items`` (product, quantity), delivered 1.1 km away, or picked up in ``slot``."""
    buyer = buyer or factories.user(name="Pembeli")
    for product, quantity in items:
        cart_set(buyer=buyer, product=product, quantity=Decimal(quantity))
    where: dict[str, object] = (
        {"fulfilment": Order.Fulfilment.PICKUP, "pickup_slot_id": slot.pk}
        if slot is not None
        else {
            "fulfilment": Order.Fulfilment.DELIVERY,
            "address": "Jl. Cihapit 1",
            "latitude": market.latitude + 0.01,
            "longitude": market.longitude,
        }
    )
    checkout = Checkout(market=market, payment_method=payment, idempotency_key=f"k{next(_keys)}", **where)  # type: ignore[arg-type]
    return order_place(buyer=buyer, checkout=checkout)


def prepare(order: Order) -> Order:
    """Every trader accepts, marks each line available, weighs weighed lines at the estimate, marks ready."""
    for part in order.parts.select_related("stall__trader__user"):
        trader = part.stall.trader.user
        fulfilment.part_accept(part_id=part.pk, actor=trader)
        for line in part.lines.all():
            if line.weighed:
                amount = line_estimate(line.unit_price, line.quantity)
                fulfilment.line_weigh(
                    part_id=part.pk, line_id=line.pk, quantity=line.quantity, amount=amount, actor=trader
                )
            else:
                fulfilment.line_mark(part_id=part.pk, line_id=line.pk, available=True, actor=trader)
        fulfilment.part_ready(part_id=part.pk, actor=trader)
    order.refresh_from_db()
    return order


def picked_up(order: Order, rider: User) -> Order:
    fulfilment.courier_take(order=order, courier=rider)
    for part in order.parts.all():
        fulfilment.courier_pick_up(order=order, part_id=part.pk, courier=rider)
    order.refresh_from_db()
    return order


def line_of(order: Order, product: Product) -> OrderLine:
    return OrderLine.objects.get(part__order=order, product=product)
