"""A restaurant at a market with three stalls, and a Monday/Thursday standing order across them."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.markets.models import Market
from pasar.standing import services
from pasar.standing.models import StandingOrder
from pasar.testing import factories

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = date(2026, 12, 7)
THURSDAY = date(2026, 12, 3)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


@dataclass
class Restaurant:
    market: Market
    buyer: User
    cabai: Product
    bawang: Product
    ayam: Product


def restaurant(market: Market | None = None) -> Restaurant:
    market = market or factories.market()
    buyer = factories.user(name="Rumah Makan Sunda")
    cabai = factories.product(stall=factories.stall(market=market), name="Cabai Rawit", unit="kg", price=60000)
    cabai.quantity_step = cabai.quantity_min = Decimal("0.25")
    cabai.save()
    bawang = factories.product(stall=factories.stall(market=market), name="Bawang Merah", unit="kg", price=40000)
    ayam = factories.product(
        stall=factories.stall(market=market), name="Ayam Potong", unit="ekor", price=45000, stock=10
    )
    return Restaurant(market, buyer, cabai, bawang, ayam)


def delivery() -> services.Fulfilment:
    return services.Fulfilment(
        fulfilment="delivery", payment_method="cod", address="Jl. Braga 10", latitude=-6.915, longitude=107.61
    )


def mon_thu(r: Restaurant, *, now: datetime, ends_on: date | None = None, ayam: int = 4) -> StandingOrder:
    return services.standing_create(
        buyer=r.buyer,
        market=r.market,
        name="Dapur",
        schedule=services.Schedule("weekdays", "14", None, now.date(), ends_on),
        fulfilment=delivery(),
        lines=[
            services.LineInput(r.cabai, Decimal("1.5")),
            services.LineInput(r.bawang, Decimal(2)),
            services.LineInput(r.ayam, Decimal(ayam), substitution="none"),
        ],
        now=now,
    )
