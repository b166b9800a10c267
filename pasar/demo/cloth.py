"""Pasar Klewer's cloth: batik, kain jarik and daster with sizes, colours and motifs (prices of 2025 retail
kiosks in Klewer, Solo: batik cap by the sheet under Rp 150.000, batik tulis from about Rp 500.000,
rayon daster around Rp 45.000, a bigger size costing a few thousand more)."""

import random
from dataclasses import dataclass

from pasar.catalog.models import Product
from pasar.catalog.services import (
    ProductInput,
    VariantInput,
    product_build,
    variant_build,
    variant_parents_refresh,
)
from pasar.markets.models import Market
from pasar.traders.models import Stall

CLOTH_MARKET = "Pasar Klewer"


@dataclass(frozen=True)
class Cloth:
    name: str
    unit: str
    price: int
    sizes: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    motifs: tuple[str, ...] = ()
    size_step: int = 0  # what each size above L adds (jumbo sizes take more cloth)


CLOTH = [
    Cloth("Daster Batik Rayon", "pcs", 45000, ("M", "L", "XL", "XXL"), ("merah", "biru", "hijau", "coklat"), (), 5000),
    Cloth(
        "Kemeja Batik Cap Pria", "pcs", 95000, ("S", "M", "L", "XL", "XXL"), (), ("parang", "kawung", "truntum"), 10000
    ),
    Cloth("Blus Batik Wanita", "pcs", 85000, ("S", "M", "L", "XL"), ("navy", "merah bata", "sogan"), (), 5000),
    Cloth("Kain Jarik Batik Cap", "lembar", 85000, (), ("sogan", "biru indigo"), ("sidomukti", "parang", "kawung")),
    Cloth("Batik Tulis Sutra", "lembar", 650000, (), ("sogan", "merah marun"), ("truntum", "sekar jagad")),
]


def _variants(rng: random.Random, cloth: Cloth, factor: float) -> list[VariantInput]:
    colours = rng.sample(cloth.colours, k=min(2, len(cloth.colours))) if cloth.colours else [""]
    motifs = rng.sample(cloth.motifs, k=min(2, len(cloth.motifs))) if cloth.motifs else [""]
    sizes = cloth.sizes or ("",)
    out = []
    for colour in colours:
        for motif in motifs:
            base = cloth.price * factor * rng.uniform(0.95, 1.1)
            for index, size in enumerate(sizes):
                above_l = max(0, index - sizes.index("L")) if "L" in sizes else 0
                price = round((base + above_l * cloth.size_step) / 1000) * 1000
                stock = 0 if rng.random() < 0.1 else rng.randint(1, 12)
                out.append(VariantInput(price=price, size=size, colour=colour, motif=motif, stock=stock))
    return out


def cloth_load(rng: random.Random, market: Market, factor: float) -> int:
    """Two or three products with variants in each cloth stall of Klewer; returns how many variants."""
    stalls = list(Stall.objects.filter(market=market, category__slug="pakaian").order_by("pk"))
    plan = [(stall, rng.sample(CLOTH, k=rng.randint(2, 3))) for stall in stalls]
    parents = [
        product_build(stall=stall, data=ProductInput(name=c.name, unit=c.unit, price=c.price, stock=0, available=False))
        for stall, cloths in plan
        for c in cloths
    ]
    Product.objects.bulk_create(parents)
    specs = [c for _stall, cloths in plan for c in cloths]
    variants = [
        variant_build(parent=parent, data=data)
        for parent, cloth in zip(parents, specs, strict=True)
        for data in _variants(rng, cloth, factor)
    ]
    Product.objects.bulk_create(variants, batch_size=500)
    variant_parents_refresh({p.pk for p in parents})
    return len(variants)
