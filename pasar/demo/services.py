"""Demo data: real markets with plausible stalls and prices from the Bapanas series."""

import csv
import random
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from pasar.accounts.models import Business, OfficerAssignment, User
from pasar.business.models import PaymentTerms
from pasar.business.services import BusinessInput, business_create, terms_set
from pasar.catalog.models import Commodity, Product
from pasar.catalog.services import ProductInput, product_build, vocabulary_load
from pasar.demo.cloth import CLOTH_MARKET, cloth_load
from pasar.demo.history import HISTORY_DAYS, history_load
from pasar.demo.markets import MARKETS, DemoMarket
from pasar.demo.tasks import demo_history_finish
from pasar.markets.models import Category, Market, MarketRole
from pasar.notifications.models import OptIn
from pasar.notifications.services import opt_in
from pasar.regions.models import Region
from pasar.regions.services import regions_load
from pasar.traders.models import Stall, Trader

DEMO_PASSWORD = "pasar123"  # noqa: S105 - printed on purpose: it is the demo's public login

# Prices per usual unit for commodities the Bapanas panel does not cover (plausible 2025 levels).
OTHER_PRICES: dict[str, int] = {
    "Bawang Bombay": 30000,
    "Cabai Rawit Hijau": 35000,
    "Jahe": 28000,
    "Kunyit": 18000,
    "Lengkuas": 16000,
    "Kencur": 40000,
    "Serai": 1000,
    "Kemiri": 45000,
    "Daun Salam": 2000,
    "Daun Jeruk": 2000,
    "Ayam Kampung": 85000,
    "Telur Ayam Kampung": 2500,
    "Telur Bebek": 3000,
    "Ikan Lele": 28000,
    "Ikan Nila": 36000,
    "Ikan Mas": 38000,
    "Ikan Asin": 70000,
    "Udang": 90000,
    "Cumi-cumi": 75000,
    "Gula Merah": 22000,
    "Tahu": 1000,
    "Tempe": 6000,
    "Oncom": 3000,
    "Kangkung": 3000,
    "Bayam": 3000,
    "Sawi Hijau": 4000,
    "Kubis": 9000,
    "Wortel": 14000,
    "Kentang": 18000,
    "Tomat": 12000,
    "Buncis": 14000,
    "Kacang Panjang": 4000,
    "Terong": 10000,
    "Mentimun": 8000,
    "Labu Siam": 6000,
    "Tauge": 10000,
    "Daun Bawang": 3000,
    "Seledri": 2000,
    "Jagung Manis": 4000,
    "Pisang": 22000,
    "Jeruk": 24000,
    "Apel": 35000,
    "Pepaya": 12000,
    "Semangka": 9000,
    "Salak": 15000,
    "Mangga": 25000,
    "Kelapa": 10000,
    "Daging Kerbau Segar": 145000,
    "Kedelai Biji Kering": 11000,
}

# Commodities added for chat lists (issue 13): chicken parts, green chillies, packaged goods. Stocked on the
# first stall of their category in every market *after* the past orders are made, so the seeded stalls,
# history and dashboards stay exactly as they were. Prices per usual unit, plausible 2025 levels.
CHAT_PRODUCTS: dict[str, list[tuple[str, int]]] = {
    "daging": [("Paha Ayam", 42000), ("Dada Ayam", 45000), ("Sayap Ayam", 38000), ("Ceker Ayam", 25000),
               ("Ati Ampela", 35000)],
    "bumbu": [("Cabai Hijau", 30000)],
    "sembako": [("Santan", 3500), ("Mie Instan", 3500), ("Air Mineral", 4000), ("Susu Kental Manis", 12000),
                ("Penyedap Rasa", 1000), ("Kopi", 1500), ("Teh", 6000), ("Margarin", 9000)],
}  # fmt: skip

FREE_PRODUCTS: dict[str, list[tuple[str, str, int]]] = {
    "jajanan": [
        ("Klepon", "bungkus", 5000),
        ("Kue Lapis", "potong", 2000),
        ("Getuk", "bungkus", 5000),
        ("Onde-onde", "buah", 2000),
        ("Lemper Ayam", "buah", 3000),
        ("Serabi", "buah", 2500),
        ("Nagasari", "buah", 2500),
        ("Bakpia", "bungkus", 25000),
    ],
    "pakaian": [
        ("Batik Tulis Motif Parang", "lembar", 350000),
        ("Kain Batik Cap", "lembar", 85000),
        ("Daster Batik", "pcs", 45000),
        ("Kemeja Batik Pria", "pcs", 95000),
        ("Sarung Tenun", "pcs", 75000),
        ("Kerudung Segi Empat", "pcs", 35000),
        ("Kaos Anak", "pcs", 25000),
        ("Blangkon", "pcs", 40000),
        ("Kain Lurik", "meter", 30000),
    ],
    "perabot": [
        ("Ember Plastik 20 L", "buah", 25000),
        ("Sapu Ijuk", "buah", 20000),
        ("Panci Aluminium", "buah", 65000),
        ("Cobek Batu", "buah", 45000),
        ("Bakul Nasi Bambu", "buah", 15000),
        ("Tampah", "buah", 20000),
        ("Kukusan Bambu", "buah", 12000),
        ("Dandang", "buah", 90000),
    ],
}

BASE_STALLS = [
    "sayur",
    "sayur",
    "sayur",
    "bumbu",
    "bumbu",
    "bumbu",
    "daging",
    "daging",
    "ikan",
    "ikan",
    "sembako",
    "sembako",
    "tahu-tempe",
    "buah",
    "buah",
    "jajanan",
    "perabot",
]

NAMES_BY_PROVINCE = {
    "32": ["Euis", "Asep", "Iis", "Dadang", "Yayah", "Ujang", "Cucu", "Engkos", "Neneng", "Jajang", "Imas", "Tatang"],
    "36": ["Siti", "Ahmad", "Rohmah", "Sarip", "Yuyun", "Jaenal", "Mumun", "Rohim"],
    "33": ["Sri", "Joko", "Sumarni", "Slamet", "Wagiyem", "Tuminah", "Parno", "Lastri", "Giyanto", "Suparmi"],
    "34": ["Sri", "Joko", "Sumarni", "Slamet", "Wagiyem", "Tuminah", "Parno", "Lastri", "Giyanto", "Suparmi"],
    "35": ["Siti", "Sunarto", "Yatmi", "Supri", "Mbok Ni", "Hariyanto", "Sulastri", "Kasiman", "Muntamah"],
    "73": ["Daeng Ngalle", "Nurhayati", "Baso", "Sitti", "Daeng Sikki", "Hasnah", "Muh. Ramli", "Ima"],
    "18": ["Siti", "Rahmat", "Yuni", "Ratna", "Suherman", "Marlina", "Hendra", "Wati", "Darsono"],
}

FAMILY_NAMES = [
    "Kurniawan",
    "Sari",
    "Hidayat",
    "Rahayu",
    "Susanti",
    "Saputra",
    "Lestari",
    "Permana",
    "Nugraha",
    "Wulandari",
    "Setiawan",
    "Handayani",
    "Rusdi",
    "Maryati",
]

ROLE_LOGINS = [
    ("admin", "+6281100000001", "Admin Platform"),
    ("operator", "+6281100000002", "Rina Marlina"),
    ("officer", "+6281100000003", "Dedi Supriadi"),
    ("trader", "+6281100000004", "Euis Kurniasih"),
    ("courier", "+6281100000005", "Ujang Saepudin"),
    ("buyer", "+6281100000006", "Dewi Lestari"),
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    phone: str
    name: str


def bapanas_latest_prices() -> dict[int, int]:
    """Latest non-zero consumer price per Bapanas commodity id (0 means "no data")."""
    path = resources.files("pasar.demo").joinpath(
        "data", "bapanas_harga_konsumen_kota_bandung_2025-09-13_2025-11-16.csv"
    )
    latest: dict[int, tuple[str, int]] = {}
    for row in csv.DictReader(path.read_text(encoding="utf-8").splitlines()):
        price = int(float(row["Harga"] or 0))
        if price <= 0:
            continue
        key = int(row["ID"])
        if key not in latest or row["Timestamp"] >= latest[key][0]:
            latest[key] = (row["Timestamp"], price)
    return {key: price for key, (_day, price) in latest.items()}


def _round_price(value: float) -> int:
    step = 500 if value >= 5000 else 100
    return max(step, int(round(value / step) * step))


def _market(defn: DemoMarket) -> Market:
    region = Region.objects.get(code=defn.regency_code)
    return Market.objects.create(
        name=defn.name,
        slug=slugify(defn.name),
        region=region,
        address=defn.address,
        latitude=defn.latitude,
        longitude=defn.longitude,
        coordinates_approximate=True,
        timezone=Market.TimeZone.WITA if defn.regency_code.startswith("73") else Market.TimeZone.WIB,
        operator_name=defn.operator_name,
        operator_kind=defn.operator_kind,
        pickup_point="Pos pengambilan di pintu utama" if defn.operator_kind != "koperasi" else "Kantor koperasi pasar",
        # The demo's WhatsApp numbers (fake provider): Pasar Cikurubuk is "demo-cikurubuk".
        whatsapp_phone_number_id="demo-" + slugify(defn.name).removeprefix("pasar-"),
    )


class _Builder:
    def __init__(self) -> None:
        self.rng = random.Random(20251116)
        self.password = make_password(DEMO_PASSWORD)
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.commodities = list(Commodity.objects.select_related("category").order_by("name"))
        self.bapanas = bapanas_latest_prices()
        self.phone_seq = 10000
        self.products: list[Product] = []

    def has_price(self, commodity: Commodity) -> bool:
        return (commodity.bapanas_id or -1) in self.bapanas or commodity.name in OTHER_PRICES

    def price_of(self, commodity: Commodity, factor: float) -> int | None:
        base = self.bapanas.get(commodity.bapanas_id or -1) or OTHER_PRICES.get(commodity.name)
        if base is None:
            return None
        return _round_price(base * factor * self.rng.uniform(0.95, 1.07))

    def trader(self, name: str, phone: str | None = None) -> Trader:
        self.phone_seq += 1
        user = User.objects.create(phone=phone or f"+62811{self.phone_seq:08d}", name=name, password=self.password)
        status = self.rng.choice(
            [Trader.Status.REGISTERED, Trader.Status.TRAINED, Trader.Status.ACTIVE, Trader.Status.ACTIVE]
        )
        return Trader.objects.create(user=user, status=status, consent_at=timezone.now())

    def stall(self, market: Market, trader: Trader, category: str, index: int) -> Stall:
        block = "ABCDE"[index % 5]
        label = self.categories[category].name.split(" ")[0].split(",")[0]
        return Stall.objects.create(
            market=market,
            trader=trader,
            category=self.categories[category],
            name=f"{label} {trader.user.get_short_name()}",
            block=block,
            row=str(index // 5 + 1),
            number=str(index + 1),
            kind=Stall.Kind.KIOS if category in {"pakaian", "perabot"} else Stall.Kind.LAPAK,
        )

    def stock(self, stall: Stall, category: str, factor: float) -> None:
        if category in FREE_PRODUCTS:
            items = self.rng.sample(FREE_PRODUCTS[category], k=min(6, len(FREE_PRODUCTS[category])))
            for name, unit, price in items:
                data = ProductInput(
                    name=name, unit=unit, price=_round_price(price * factor), stock=self.rng.randint(3, 40)
                )
                self.products.append(product_build(stall=stall, data=data))
            return
        # Only commodities the demo can price: new vocabulary entries without a price do not shrink a stall
        # (or reshuffle the seeded demo markets).
        pool = [c for c in self.commodities if c.category.slug == category and self.has_price(c)]
        for commodity in self.rng.sample(pool, k=min(len(pool), self.rng.randint(5, 9))):
            unit_price = self.price_of(commodity, factor)
            if unit_price is None:
                continue
            data = ProductInput(
                name=commodity.name,
                unit=commodity.unit,
                price=unit_price,
                commodity=commodity,
                available=self.rng.random() > 0.08,
            )
            self.products.append(product_build(stall=stall, data=data))


@transaction.atomic
def demo_load(*, history_days: int = HISTORY_DAYS, defer: bool = False) -> list[DemoLogin]:
    """Load regions, vocabulary, the demo markets with stalls and products, and one login per role.

    ``defer=True`` (``pasar demo``) leaves the slow half, the price history and the past orders' ledger
    and summaries, to a background task: the site is up in seconds and the worker fills those in."""
    regions_load()
    vocabulary_load()
    builder = _Builder()
    logins = {role: DemoLogin(role, phone, name) for role, phone, name in ROLE_LOGINS}
    markets = []
    for defn in MARKETS:
        market = _market(defn)
        markets.append(market)
        names = NAMES_BY_PROVINCE[defn.regency_code[:2]]
        for index, category in enumerate(BASE_STALLS + list(defn.specialities)):
            first = not markets[1:] and index == 0
            name = logins["trader"].name if first else f"{builder.rng.choice(names)} {builder.rng.choice(FAMILY_NAMES)}"
            trader = builder.trader(name, logins["trader"].phone if first else None)
            stall = builder.stall(market, trader, category, index)
            builder.stock(stall, category, defn.price_factor)
    Product.objects.bulk_create(builder.products, batch_size=500)
    for defn, market in zip(MARKETS, markets, strict=True):
        if defn.name == CLOTH_MARKET:
            cloth_load(builder.rng, market, defn.price_factor)
    _role_users(logins, markets[0], builder.password)
    # The stalls were there before the history starts: the adoption snapshot of each past day counts them.
    Stall.objects.update(created_at=timezone.now() - timedelta(days=history_days + 60))
    # Past orders: dashboards, settlements and earnings have figures; the price boards (/harga/) a month.
    history_load(markets, days=history_days, settle=False)
    _chat_products(markets)  # after the history, which stays as it was before chat lists
    if defer:
        transaction.on_commit(lambda: demo_history_finish.enqueue(history_days, timezone.localdate().isoformat()))
    else:
        demo_history_finish.call(history_days, timezone.localdate().isoformat())
    # The demo's people agreed to WhatsApp messages, so "Kotak keluar" shows what they would receive.
    for person in User.objects.filter(phone__in=[login.phone for login in logins.values()]):
        opt_in(user=person, source=OptIn.Source.OPERATOR)
    return list(logins.values())


def _chat_products(markets: list[Market]) -> None:
    commodities = {
        c.name: c for c in Commodity.objects.filter(name__in=[n for v in CHAT_PRODUCTS.values() for n, _ in v])
    }
    factors = {defn.name: defn.price_factor for defn in MARKETS}
    products = []
    for market in markets:
        for category, items in CHAT_PRODUCTS.items():
            stall = Stall.objects.filter(market=market, category__slug=category).order_by("pk").first()
            if stall is None:
                continue
            for name, price in items:
                commodity = commodities[name]
                data = ProductInput(name=name, unit=commodity.unit, price=_round_price(price * factors[market.name]),
                                    commodity=commodity)  # fmt: skip
                products.append(product_build(stall=stall, data=data))
    Product.objects.bulk_create(products, batch_size=500)


def _role_users(logins: dict[str, DemoLogin], market: Market, password: str) -> None:
    def user(role: str, **extra: bool) -> User:
        login = logins[role]
        return User.objects.create(phone=login.phone, name=login.name, password=password, **extra)

    user("admin", is_staff=True, is_superuser=True)
    MarketRole.objects.create(user=user("operator"), market=market, role=MarketRole.Role.OPERATOR)
    OfficerAssignment.objects.create(
        user=user("officer"), region=market.region.parent or market.region, agency="Disperindag Provinsi Jawa Barat"
    )
    MarketRole.objects.create(user=user("courier"), market=market, role=MarketRole.Role.COURIER)
    _restaurant(owner=user("buyer"), market=market, operator=User.objects.get(phone=logins["operator"].phone))


def _restaurant(*, owner: User, market: Market, operator: User) -> None:
    """The demo buyer also buys for a restaurant on tempo 14 days: "Usaha saya", tempo at checkout, invoices."""
    restaurant = business_create(
        owner=owner,
        data=BusinessInput(name="Rumah Makan Sari Rasa", kind=Business.Kind.RESTAURANT, address="Jl. Cihapit No. 12"),
    )
    terms_set(
        business=restaurant, market=market, kind=PaymentTerms.Kind.TEMPO, days=14, credit_limit=5_000_000,
        invoicing=PaymentTerms.Invoicing.PER_ORDER, actor=operator,
    )  # fmt: skip


def demo_is_loaded() -> bool:
    return Market.objects.exists()
