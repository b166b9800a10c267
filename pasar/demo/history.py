"""Two weeks of finished orders for the demo, so an officer's or operator's dashboard has something to show.

Written straight into the tables, as an import of past data would be (placing 3,000 orders through the
checkout would take minutes): every order is delivered or cancelled, paid in cash. The ledger then posts
the delivered ones through its real catch-up service, so settlements and balances agree with the orders,
and the dashboards' nightly aggregation builds the month's summary rows.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.dashboards.aggregation import aggregate_days
from pasar.markets.models import Market, MarketRole
from pasar.orders.models import Order, OrderLine, PickupSlot, StallOrder
from pasar.payments.services.ledger import ledger_post_delivered_orders

HISTORY_DAYS = 14  # the dashboards' 7-day view full, the 30-day view half: enough to read, ~10 s to load
BUYERS = ["Bu Sri", "Pak Darto", "Teh Neng", "Mbak Ayu", "Warung Makan Barokah", "Bu Yati", "Hotel Mawar"]
CENTS = Decimal("0.01")


def history_load(
    markets: list[Market], *, days: int = HISTORY_DAYS, seed: int = 2026, today: date | None = None, settle: bool = True
) -> int:
    """Write ``days`` days of orders before ``today`` at each market; returns how many. ``settle=False``
    leaves their ledger postings and summaries to ``history_settle`` (the demo's worker runs it)."""
    if days < 1:
        return 0
    rng = random.Random(seed)
    today = today or timezone.localdate()
    password = make_password(None)
    buyers = [
        User.objects.create(phone=f"+62819{i:08d}", name=name, password=password) for i, name in enumerate(BUYERS)
    ]
    made = 0
    for market in markets:
        courier = _market_courier(market, password)
        stock = _products_by_stall(market)
        if not stock:
            continue
        for back in range(days, 0, -1):
            made += _market_day(rng, market, today - timedelta(days=back), stock, buyers, courier)
    if settle:
        history_settle(today=today, days=days)
    return made


def history_settle(*, today: date, days: int = HISTORY_DAYS) -> None:
    """The past orders' ledger entries and the dashboards' summaries of those days (the slow half)."""
    ledger_post_delivered_orders()
    aggregate_days(today - timedelta(days=days), today - timedelta(days=1))


def _market_courier(market: Market, password: str) -> User:
    """The market's courier who delivered the past orders (the demo's courier login at its own market)."""
    role = MarketRole.objects.filter(market=market, role=MarketRole.Role.COURIER).select_related("user").first()
    if role is not None:
        return role.user
    courier = User.objects.create(phone=f"+62818{market.pk:08d}", name=f"Ojek {market.name}", password=password)
    MarketRole.objects.create(user=courier, market=market, role=MarketRole.Role.COURIER)
    return courier


def _products_by_stall(market: Market) -> dict[int, list[Product]]:
    found: dict[int, list[Product]] = {}
    for product in Product.objects.filter(market=market, available=True).order_by("pk"):
        found.setdefault(product.stall_id, []).append(product)
    return found


def _market_day(
    rng: random.Random, market: Market, day: date, stock: dict[int, list[Product]], buyers: list[User], courier: User
) -> int:
    busy = day.isoweekday() in (6, 7)  # weekends sell more
    count = rng.randint(5, 10) if busy else rng.randint(2, 6)
    starts = timezone.make_aware(datetime.combine(day, time(9)))
    slot = PickupSlot.objects.create(
        market=market, starts_at=starts, ends_at=starts + timedelta(hours=1), capacity=count, booked=0
    )
    pickups = 0
    for n in range(count):
        delivery = rng.random() < 0.65
        pickups += not delivery
        _order(rng, market, day, n, stock, rng.choice(buyers), courier if delivery else None, slot)
    PickupSlot.objects.filter(pk=slot.pk).update(booked=pickups)
    return count


def _order(
    rng: random.Random,
    market: Market,
    day: date,
    n: int,
    stock: dict[int, list[Product]],
    buyer: User,
    courier: User | None,
    slot: PickupSlot,
) -> None:
    cancelled = rng.random() < 0.12
    fee = rng.choice((8000, 8000, 10000, 12000, 15000)) if courier else 0
    order = Order.objects.create(
        number=f"{day:%y%m%d}-P{market.pk:03d}{n:04d}",
        buyer=buyer,
        market=market,
        state=Order.State.CANCELLED if cancelled else Order.State.DELIVERED,
        fulfilment=Order.Fulfilment.DELIVERY if courier else Order.Fulfilment.PICKUP,
        for_date=day,
        address="Jl. Pembeli No. 1" if courier else "",
        latitude=market.latitude + rng.uniform(-0.02, 0.02) if courier else None,
        longitude=market.longitude + rng.uniform(-0.02, 0.02) if courier else None,
        pickup_slot=None if courier else slot,
        delivery_fee=0 if cancelled else fee,
        payment_method=Order.PaymentMethod.COD,
        payment_state=Order.PaymentState.UNPAID if cancelled else Order.PaymentState.PAID,
        goods_estimate=0,
        handover_code=f"{rng.randrange(10000):04d}",
        courier=None if cancelled else courier,
        idempotency_key=f"demo-{day}-{market.pk}-{n}",
        cancel_reason="Dibatalkan pembeli" if cancelled else "",
    )
    placed_at = timezone.make_aware(datetime.combine(day, time(rng.randint(5, 10), rng.randrange(60))))
    estimate = total = 0
    for stall_id in rng.sample(sorted(stock), min(len(stock), rng.choice((1, 1, 2, 3)))):
        part = StallOrder.objects.create(
            order=order,
            stall_id=stall_id,
            state=StallOrder.State.CANCELLED if cancelled else StallOrder.State.PICKED_UP,
        )
        for product in rng.sample(stock[stall_id], min(len(stock[stall_id]), rng.randint(1, 3))):
            line = _line(rng, part, product, final=not cancelled)
            estimate += line.estimate
            total += line.final_amount if line.final_amount is not None else line.estimate
    Order.objects.filter(pk=order.pk).update(
        created_at=placed_at,
        goods_estimate=estimate,
        goods_total=None if cancelled else total,
        cash_collected=None if cancelled or courier is None else total + fee,
    )


def _line(rng: random.Random, part: StallOrder, product: Product, *, final: bool) -> OrderLine:
    quantity = product.quantity_step * rng.choice((1, 2, 2, 4)) if product.weighed else Decimal(rng.randint(1, 3))
    estimate = _rupiah(product.price * quantity)
    weighed = None
    if final and product.weighed:  # the scale rarely lands on the ordered weight
        weighed = (quantity * Decimal(rng.uniform(0.96, 1.06))).quantize(CENTS, rounding=ROUND_HALF_UP)
    return OrderLine.objects.create(
        part=part,
        product=product,
        name=product.name,
        unit=product.unit,
        weighed=product.weighed,
        unit_price=product.price,
        quantity=quantity,
        estimate=estimate,
        final_quantity=weighed,
        final_amount=_rupiah(product.price * weighed) if weighed is not None else None,
        state=OrderLine.State.AVAILABLE if final else OrderLine.State.PENDING,
    )


def _rupiah(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
