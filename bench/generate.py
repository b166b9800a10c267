"""Deterministic benchmark data: N markets × S stalls × P products, from the real vocabulary.

Every product goes through ``pasar.catalog.services.product_build`` so its ``search_text``
is exactly what the product would store; rows are inserted with ``bulk_create`` in large
batches, one transaction per market. One seed gives the same rows on SQLite and PostgreSQL.

    uv run python -m bench.generate --markets 20 --stalls 50 --products 5
    uv run python -m bench.generate --markets 200 --stalls 250 --products 20 \\
        --database-url postgres://pasar:pasar@127.0.0.1:5432/pasar_bench

Without ``--database-url`` or ``--data-dir`` the data goes to a fresh temporary data dir
(SQLite), whose path is printed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pasar.catalog.models import Commodity, Product
    from pasar.markets.models import Category, Market
    from pasar.traders.models import Stall

DEFAULT_SEED = 20251116
BATCH_SIZE = 5000
# Bump when the generated rows change, so a cached dataset of the old shape is not reused.
GENERATOR_VERSION = 1
MARKER_PREFIX = "bench dataset"

# fmt: off
# What a market's stalls mainly sell, in the proportions of a typical pasar rakyat.
STALL_MIX = ["sayur", "sayur", "sayur", "bumbu", "bumbu", "bumbu", "daging", "daging", "ikan", "ikan", "sembako",
             "sembako", "tahu-tempe", "buah", "buah", "jajanan", "perabot", "pakaian"]
# How traders label the same commodity ("Cabai Rawit Merah Super", "Bawang Merah Brebes").
QUALIFIERS = ["", "", "", "", "Super", "Lokal", "Segar", "Grade A", "Pilihan", "Curah", "Kualitas Super", "Murah"]
ORIGINS = {"bumbu": ["Brebes", "Garut", "Temanggung", "Nganjuk"], "buah": ["Malang", "Medan", "Pontianak"],
           "sayur": ["Lembang", "Dieng", "Cipanas"], "ikan": ["Segar", "Tangkapan Pagi"]}
FIRST_NAMES = ["Euis", "Asep", "Iis", "Dadang", "Sri", "Joko", "Siti", "Slamet", "Yuni", "Ahmad", "Rohmah", "Baso",
               "Hasnah", "Wati", "Parno", "Lastri", "Ujang", "Neneng", "Tatang", "Sumarni"]
FAMILY_NAMES = ["Kurniawan", "Sari", "Hidayat", "Rahayu", "Susanti", "Saputra", "Lestari", "Permana", "Nugraha",
                "Wulandari", "Setiawan", "Handayani", "Rusdi", "Maryati"]
# fmt: on
FALLBACK_PRICE = 10_000


@dataclass(frozen=True)
class Shape:
    """How much to generate. ``probes`` adds one market per entry with that many stalls.

    Probe markets (slug ``bench-probe-<stalls>``) let the runner compare a small page with
    a large one; their stalls carry ``probe_products(stalls)`` products each.
    """

    markets: int
    stalls: int
    products: int
    probes: tuple[int, ...] = ()
    seed: int = DEFAULT_SEED

    @property
    def total_products(self) -> int:
        return self.markets * self.stalls * self.products + sum(n * probe_products(n) for n in self.probes)

    def marker(self) -> str:
        probes = ",".join(map(str, self.probes))
        return (
            f"{MARKER_PREFIX} v{GENERATOR_VERSION} seed={self.seed} markets={self.markets} "
            f"stalls={self.stalls} products={self.products} probes={probes}"
        )


def probe_products(stalls: int) -> int:
    """Products per stall in a probe market: small markets get small stalls (2 vs 12 products)."""
    return max(2, stalls // 5)


def market_slug(index: int) -> str:
    return f"bench-{index + 1:04d}"


def probe_slug(stalls: int) -> str:
    return f"bench-probe-{stalls}"


@dataclass
class Summary:
    markets: int = 0
    stalls: int = 0
    products: int = 0
    seconds: float = 0.0
    slugs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Offer:
    """One product a stall could sell: a commodity (or none) with its usual unit and price."""

    name: str
    unit: str
    price: int
    commodity: Commodity | None
    category: str


class Generator:
    """Builds rows from a seeded ``random.Random``; the same seed gives the same rows."""

    def __init__(self, *, seed: int = DEFAULT_SEED, batch_size: int = BATCH_SIZE) -> None:
        from django.contrib.auth.hashers import make_password

        from pasar.catalog.models import Commodity
        from pasar.markets.models import Category
        from pasar.regions.models import Region

        self.rng = random.Random(seed)
        self.batch_size = batch_size
        # Traders never log in during a benchmark: one hash for all of them saves minutes.
        self.password = make_password("bench-not-a-login")
        self.categories: dict[str, Category] = {c.slug: c for c in Category.objects.all()}
        commodities = list(Commodity.objects.select_related("category").order_by("name"))
        self.offers = _offers(commodities)
        self.regencies = list(Region.objects.filter(level=Region.Level.REGENCY).order_by("code"))
        self.phone_seq = 0

    def market(self, *, slug: str, name_index: int, stalls: int, products: int, mix_offset: int) -> tuple[int, int]:
        """One market with its traders, stalls and products, in one transaction; returns (stalls, products)."""
        from django.db import transaction

        with transaction.atomic():
            market = self._market(slug, name_index)
            stall_rows = self._stalls(market, stalls, mix_offset)
            made = self._products(stall_rows, products)
        return len(stall_rows), made

    def _market(self, slug: str, index: int) -> Market:
        from pasar.markets.models import Market

        regency = self.regencies[index % len(self.regencies)] if self.regencies else None
        if regency is None:
            raise RuntimeError("no regencies loaded: run regions_load() first")
        place = regency.name.title().removeprefix("Kota ").removeprefix("Kabupaten ")
        return Market.objects.create(
            name=f"Pasar {place} {index + 1}",
            slug=slug,
            region=regency,
            address=f"Jl. Pasar No. {index + 1}, {regency.name.title()}",
            latitude=round(self.rng.uniform(-8.0, -6.0), 5),
            longitude=round(self.rng.uniform(106.0, 113.0), 5),
            coordinates_approximate=True,
            operator_name="Perumda Pasar",
            pickup_point="Pintu utama",
        )

    def _stalls(self, market: Market, count: int, mix_offset: int) -> list[tuple[Stall, str]]:
        from pasar.accounts.models import User
        from pasar.traders.models import Stall, Trader

        users = []
        for _ in range(count):
            self.phone_seq += 1
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(FAMILY_NAMES)}"
            users.append(User(phone=f"+62889{self.phone_seq:08d}", name=name, password=self.password))
        User.objects.bulk_create(users, batch_size=self.batch_size)
        traders = Trader.objects.bulk_create(
            [Trader(user=u, status=Trader.Status.ACTIVE) for u in users], batch_size=self.batch_size
        )
        rows: list[tuple[Stall, str]] = []
        for i, trader in enumerate(traders):
            kind = STALL_MIX[(i + mix_offset) % len(STALL_MIX)]
            category = self.categories[kind]
            label = category.name.split(" ")[0].split(",")[0]
            stall = Stall(
                market=market,
                trader=trader,
                category=category,
                name=f"{label} {trader.user.get_short_name()}",
                kind=Stall.Kind.KIOS if kind in {"pakaian", "perabot"} else Stall.Kind.LAPAK,
                block="ABCDE"[i % 5],
                row=str(i // 5 + 1),
                number=str(i + 1),
            )
            rows.append((stall, kind))
        Stall.objects.bulk_create([s for s, _ in rows], batch_size=self.batch_size)
        return rows

    def _products(self, stalls: list[tuple[Stall, str]], per_stall: int) -> int:
        from pasar.catalog.models import Product

        made = 0
        batch: list[Product] = []
        for stall, kind in stalls:
            batch.extend(self._stall_products(stall, kind, per_stall))
            if len(batch) >= self.batch_size:
                Product.objects.bulk_create(batch, batch_size=self.batch_size)
                made += len(batch)
                batch = []
        if batch:
            Product.objects.bulk_create(batch, batch_size=self.batch_size)
            made += len(batch)
        return made

    def _stall_products(self, stall: Stall, kind: str, count: int) -> Iterator[Product]:
        from pasar.catalog.services import ProductInput, product_build

        pool = self.offers.get(kind) or self.offers["sayur"]
        picks = self.rng.sample(pool, k=count) if count <= len(pool) else self.rng.choices(pool, k=count)
        seen: set[str] = set()
        for offer in picks:
            name = self._label(offer, seen)
            price = _round_price(offer.price * self.rng.uniform(0.85, 1.2))
            data = ProductInput(
                name=name,
                unit=offer.unit,
                price=price,
                commodity=offer.commodity,
                available=self.rng.random() > 0.08,
            )
            yield product_build(stall=stall, data=data)

    def _label(self, offer: _Offer, seen: set[str]) -> str:
        """A trader's wording: the commodity name, a synonym, or either with a qualifier or origin."""
        base = offer.name
        if offer.commodity is not None and offer.commodity.synonyms and self.rng.random() < 0.2:
            base = self.rng.choice(offer.commodity.synonyms.split(",")).strip().title()
        extras = QUALIFIERS + ORIGINS.get(offer.category, [])
        name = f"{base} {self.rng.choice(extras)}".strip()
        while name in seen:  # one stall does not list the same label twice
            name = f"{base} {self.rng.choice(extras[4:])} {len(seen)}"
        seen.add(name)
        return name


def _offers(commodities: list[Commodity]) -> dict[str, list[_Offer]]:
    from pasar.demo.services import FREE_PRODUCTS, OTHER_PRICES, bapanas_latest_prices

    bapanas = bapanas_latest_prices()
    offers: dict[str, list[_Offer]] = {}
    for c in commodities:
        price = bapanas.get(c.bapanas_id or -1) or OTHER_PRICES.get(c.name) or FALLBACK_PRICE
        offers.setdefault(c.category.slug, []).append(_Offer(c.name, c.unit, price, c, c.category.slug))
    for kind, items in FREE_PRODUCTS.items():
        offers.setdefault(kind, []).extend(_Offer(n, u, p, None, kind) for n, u, p in items)
    return offers


def _round_price(value: float) -> int:
    step = 500 if value >= 5000 else 100
    return max(step, round(value / step) * step)


def prerequisites_load() -> None:
    """Regions and the commodity vocabulary (both idempotent)."""
    from pasar.catalog.services import vocabulary_load
    from pasar.regions.services import regions_load

    regions_load()
    vocabulary_load()


def dataset_matches(shape: Shape) -> bool:
    """True when the database already holds exactly this shape, fully generated."""
    from pasar.catalog.models import Product
    from pasar.markets.models import Market

    marker = Market.objects.filter(slug=market_slug(0)).values_list("description", flat=True).first()
    return marker == shape.marker() and Product.objects.count() == shape.total_products


def generate(shape: Shape, *, batch_size: int = BATCH_SIZE, progress: Callable[[str], None] | None = None) -> Summary:
    """Insert ``shape`` into the current (empty) database; the first market records the shape when done."""
    from pasar.markets.models import Market

    started = time.perf_counter()
    prerequisites_load()
    generator = Generator(seed=shape.seed, batch_size=batch_size)
    summary = Summary()
    plan = [(market_slug(i), i, shape.stalls, shape.products) for i in range(shape.markets)]
    plan += [(probe_slug(n), shape.markets + j, n, probe_products(n)) for j, n in enumerate(shape.probes)]
    for number, (slug, index, stalls, products) in enumerate(plan, start=1):
        made_stalls, made_products = generator.market(
            slug=slug, name_index=index, stalls=stalls, products=products, mix_offset=index
        )
        summary.markets += 1
        summary.stalls += made_stalls
        summary.products += made_products
        summary.slugs.append(slug)
        if progress and (number % 10 == 0 or number == len(plan)):
            rate = summary.products / max(time.perf_counter() - started, 1e-9)
            progress(f"{number}/{len(plan)} markets, {summary.products:,} products ({rate:,.0f}/s)")
    if plan:
        # Written last, so an interrupted run is never mistaken for a complete dataset.
        Market.objects.filter(slug=plan[0][0]).update(description=shape.marker())
    _analyze()
    summary.seconds = time.perf_counter() - started
    return summary


def _analyze() -> None:
    """Fresh planner statistics, as autovacuum would have gathered on a live PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--markets", type=int, default=20)
    parser.add_argument("--stalls", type=int, default=50, help="stalls per market")
    parser.add_argument("--products", type=int, default=5, help="products per stall")
    parser.add_argument("--probes", default="", help="extra probe markets by stall count, e.g. 10,60")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--database-url", help="PostgreSQL URL; default: SQLite in the data dir")
    parser.add_argument("--data-dir", help="data dir (SQLite file, static files); default: a fresh temp dir")
    args = parser.parse_args(argv)

    from bench import environment

    data_dir = environment.configure(data_dir=args.data_dir, database_url=args.database_url)
    environment.migrate()
    from pasar.markets.models import Market

    if Market.objects.exists():
        print("The database already holds markets; generate into an empty one.", file=sys.stderr)
        return 2
    probes = tuple(int(n) for n in args.probes.split(",") if n.strip())
    shape = Shape(args.markets, args.stalls, args.products, probes=probes, seed=args.seed)
    summary = generate(shape, batch_size=args.batch_size, progress=print)
    print(
        f"{summary.markets} markets, {summary.stalls:,} stalls, {summary.products:,} products "
        f"in {summary.seconds:.1f} s; data dir {data_dir}; database {environment.database_label()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
