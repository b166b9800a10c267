"""Small factory functions for tests (plain functions: explicit, typed, no magic)."""

from dataclasses import dataclass
from itertools import count

from django.utils.text import slugify

from pasar.accounts.models import OfficerAssignment, User
from pasar.catalog.models import Commodity, Product
from pasar.catalog.search import product_search_text
from pasar.markets.models import Category, Market, MarketRole
from pasar.regions.models import Region
from pasar.traders.models import Stall, Trader

PASSWORD = "rahasia123"  # noqa: S105 - test-only password
_seq = count(1)


def region(code: str = "32.73", name: str | None = None) -> Region:
    """A kab/kota (with its province) — created on demand, as small as tests need."""
    province_code = code.split(".")[0]
    province, _ = Region.objects.get_or_create(
        code=province_code,
        defaults={"name": f"Provinsi {province_code}", "level": Region.Level.PROVINCE, "kind": Region.Kind.PROVINSI},
    )
    if code == province_code:
        return province
    regency, _ = Region.objects.get_or_create(
        code=code,
        defaults={
            "name": name or f"Kota {code}",
            "level": Region.Level.REGENCY,
            "kind": Region.Kind.KOTA,
            "parent": province,
        },
    )
    return regency


def user(*, name: str = "Pengguna", phone: str | None = None, **extra: object) -> User:
    phone = phone or f"+62812{next(_seq):08d}"
    return User.objects.create_user(phone, PASSWORD, name=name, **extra)


def category(slug: str = "sayur", name: str = "Sayur-mayur") -> Category:
    found, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name})
    return found


def market(
    *, name: str = "Pasar Cihapit", regency_code: str = "32.73", latitude: float = -6.9097, longitude: float = 107.6227
) -> Market:
    return Market.objects.create(
        name=name,
        slug=slugify(name),
        region=region(regency_code),
        latitude=latitude,
        longitude=longitude,
        address="Jl. Contoh",
        pickup_point="Pintu utama",
    )


def trader(*, name: str = "Euis", phone: str | None = None) -> Trader:
    return Trader.objects.create(user=user(name=name, phone=phone))


def stall(
    *, market: Market, trader_obj: Trader | None = None, number: str | None = None, category_slug: str = "sayur"
) -> Stall:
    return Stall.objects.create(
        market=market,
        trader=trader_obj or trader(),
        category=category(category_slug),
        name=f"Lapak {next(_seq)}",
        block="A",
        row="1",
        number=number or str(next(_seq)),
    )


def commodity(
    name: str = "Cabai Rawit Merah", synonyms: str = "cabe rawit, rawit, cengek", unit: str = "kg"
) -> Commodity:
    found, _ = Commodity.objects.get_or_create(
        slug=slugify(name),
        defaults={
            "name": name,
            "group": name,
            "category": category("bumbu", "Bumbu"),
            "unit": unit,
            "synonyms": synonyms,
        },
    )
    return found


def product(
    *,
    stall: Stall,
    name: str = "Kangkung",
    unit: str = "ikat",
    price: int = 3000,
    commodity_obj: Commodity | None = None,
    stock: int | None = None,
    available: bool = True,
) -> Product:
    weighed = unit in {"kg", "ons", "gram", "liter"}
    text = product_search_text(
        name=name,
        commodity_name=commodity_obj.name if commodity_obj else "",
        synonyms=commodity_obj.synonyms if commodity_obj else "",
    )
    return Product.objects.create(
        stall=stall,
        market=stall.market,
        name=name,
        unit=unit,
        price=price,
        weighed=weighed,
        commodity=commodity_obj,
        stock=stock,
        available=available,
        search_text=text,
    )


@dataclass
class Roles:
    """One user per role; ``trader`` holds ``stall``; the "other" ones act on another stall/market."""

    buyer: User
    trader: User
    other_trader: User
    operator: User
    other_operator: User
    courier: User
    officer: User
    admin: User

    def as_dict(self) -> dict[str, User | None]:
        return {"anonymous": None, **self.__dict__}


def role_users(*, market: Market, other_market: Market, stall: Stall) -> Roles:
    other_stall = globals()["stall"](market=market)
    operator = user(name="Operator")
    MarketRole.objects.create(user=operator, market=market, role=MarketRole.Role.OPERATOR)
    other_operator = user(name="Operator Lain")
    MarketRole.objects.create(user=other_operator, market=other_market, role=MarketRole.Role.OPERATOR)
    courier = user(name="Kurir")
    MarketRole.objects.create(user=courier, market=market, role=MarketRole.Role.COURIER)
    officer = user(name="Petugas Dinas")
    OfficerAssignment.objects.create(user=officer, region=market.region.parent or market.region)
    return Roles(
        buyer=user(name="Pembeli"),
        trader=stall.trader.user,
        other_trader=other_stall.trader.user,
        operator=operator,
        other_operator=other_operator,
        courier=courier,
        officer=officer,
        admin=user(name="Admin", is_staff=True, is_superuser=True),
    )
