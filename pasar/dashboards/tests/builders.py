"""Orders written straight into the tables (no services), fast and varied, for the aggregation tests."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.markets.models import Market
from pasar.orders.models import Order, OrderLine, PickupSlot, StallOrder
from pasar.testing import factories
from pasar.traders.models import Stall

_numbers = count(1)
UNITS = ("kg", "ons", "gram", "ikat", "liter", "butir")
REGISTERED_AT = datetime(2024, 1, 1, tzinfo=ZoneInfo("Asia/Jakarta"))


@dataclass
class World:
    markets: list[Market]
    stalls: list[Stall]
    products: list[Product]
    buyer: User
    courier: User
    slots: dict[int, PickupSlot]


def world(
    rng: random.Random, *, markets: int = 2, stalls: int = 3, regency_codes: tuple[str, ...] = ("32.73",)
) -> World:
    commodities = [factories.commodity(), factories.commodity("Bawang Merah", "brambang", "kg")]
    made_markets, made_stalls, products = [], [], []
    for m in range(markets):
        market = factories.market(
            name=f"Pasar Uji {next(_numbers)}", regency_code=regency_codes[m % len(regency_codes)]
        )
        made_markets.append(market)
        for _ in range(stalls):
            stall = factories.stall(market=market)
            made_stalls.append(stall)
            for unit in rng.sample(UNITS, 3):
                commodity = rng.choice([None, *commodities])
                products.append(
                    factories.product(stall=stall, name=f"Barang {unit}", unit=unit, commodity_obj=commodity)
                )
    # Stalls registered long before the orders' days, so a day's adoption snapshot counts them.
    Stall.objects.filter(pk__in=[s.pk for s in made_stalls]).update(created_at=REGISTERED_AT)
    slots = {
        m.pk: PickupSlot.objects.create(
            market=m,
            starts_at=datetime(2025, 1, 1, 9, tzinfo=ZoneInfo("Asia/Jakarta")),
            ends_at=datetime(2025, 1, 1, 10, tzinfo=ZoneInfo("Asia/Jakarta")),
        )
        for m in made_markets
    }
    return World(
        made_markets, made_stalls, products, factories.user(name="Pembeli"), factories.user(name="Kurir"), slots
    )


def orders(rng: random.Random, w: World, *, days: list[date], n: int) -> list[Order]:
    """``n`` orders over ``days`` in every state, both fulfilments, weighed and counted lines, dropped lines."""
    made = []
    for _ in range(n):
        market = rng.choice(w.markets)
        state = rng.choice(list(Order.State.values))
        delivery = rng.random() < 0.6
        day = rng.choice(days)
        order = Order.objects.create(
            number=f"T{next(_numbers):07d}",
            buyer=w.buyer,
            market=market,
            state=state,
            fulfilment=Order.Fulfilment.DELIVERY if delivery else Order.Fulfilment.PICKUP,
            for_date=day,
            latitude=market.latitude if delivery else None,
            longitude=market.longitude if delivery else None,
            pickup_slot=None if delivery else w.slots[market.pk],
            payment_method=Order.PaymentMethod.COD,
            goods_estimate=0,
            handover_code="1234",
            idempotency_key=f"i{next(_numbers)}",
            courier=w.courier if delivery and rng.random() < 0.8 else None,
        )
        Order.objects.filter(pk=order.pk).update(
            created_at=datetime.combine(day, time(7), tzinfo=ZoneInfo("Asia/Jakarta"))
        )
        stalls = [s for s in w.stalls if s.market_id == market.pk]
        for stall in rng.sample(stalls, rng.randint(1, len(stalls))):
            part_state = StallOrder.State.CANCELLED if rng.random() < 0.1 else StallOrder.State.PICKED_UP
            part = StallOrder.objects.create(order=order, stall=stall, state=part_state)
            for product in [p for p in w.products if p.stall_id == stall.pk][: rng.randint(1, 3)]:
                quantity = Decimal(rng.choice(["0.25", "0.5", "1", "2", "3"]))
                weighed = rng.random() < 0.7
                final = quantity + Decimal("0.125") if weighed and rng.random() < 0.5 else None
                OrderLine.objects.create(
                    part=part,
                    product=product,
                    name=product.name,
                    unit=product.unit,
                    weighed=product.weighed,
                    unit_price=product.price,
                    quantity=quantity,
                    estimate=int(product.price * quantity),
                    final_quantity=final,
                    final_amount=int(product.price * final) if final is not None else None,
                    state=rng.choice(list(OrderLine.State.values)),
                )
        made.append(order)
    return made


def day_list(start: date, days: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(days)]
