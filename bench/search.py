"""Search latency in process: ``product_search`` over a fixed list of what buyers type
(synonyms, typos, common words, multi-word queries, words no market sells), each against
a market picked with a seeded random generator."""

from __future__ import annotations

import math
import random
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import connection

from pasar.catalog.models import Product
from pasar.catalog.selectors import product_search
from pasar.catalog.vocabulary import COMMODITIES, PHRASE_ALIASES, TOKEN_ALIASES
from pasar.markets.models import Market

# The queries the issue names, always measured.
NAMED = ["cabe", "brambang", "bawang merh"]
# fmt: off
COMMON = ["ayam", "bawang", "cabai", "telur", "ikan", "beras", "gula", "minyak", "daging", "tahu", "tempe", "sayur",
          "buah", "kangkung", "tomat", "kentang", "bawang merah", "cabe rawit", "telor ayam"]
MULTI = ["kangkung yg seger", "cabe rawit murah", "bawang merah brebes", "beras premium 5 kg", "ayam potong segar",
         "minyak goreng curah", "cabe merah keriting super", "telur ayam negeri", "ikan asin peda", "gula jawa"]
# Words nothing in a market matches: the fallback paths (partial, then fuzzy) are the slow ones.
MISSES = ["sepatu", "laptop", "pulsa", "bensin", "semen", "rokok kretek", "obat batuk", "sabun cuci"]
TYPOS = ["cabe rawt", "kangkng", "bawang putj", "tomta", "kentng", "teulr", "mnyak goreng", "daging sapii",
         "ikan lelle", "wortell"]
# fmt: on


def _typo(word: str, rng: random.Random) -> str:
    """Drop or swap one inner letter: the mistakes thumbs make on a phone keyboard."""
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def query_list(*, size: int = 300, seed: int = 7) -> list[tuple[str, str]]:
    """``size`` (kind, query) pairs; the named queries first, the rest drawn with ``seed``."""
    rng = random.Random(seed)
    synonyms = sorted({s for c in COMMODITIES for s in c.synonyms} | set(TOKEN_ALIASES) | set(PHRASE_ALIASES))
    names = sorted({c.name.lower() for c in COMMODITIES})
    long_words = sorted({w for n in names for w in n.split() if len(w) >= 5})
    pools: dict[str, list[str]] = {
        "synonym": synonyms,
        "name": names,
        "common": COMMON,
        "multi": MULTI,
        "typo": TYPOS + [_typo(w, rng) for w in long_words],
        "miss": MISSES,
    }
    weights = {"synonym": 30, "name": 15, "common": 20, "multi": 10, "typo": 20, "miss": 5}
    kinds = list(weights)
    chosen = [("synonym", "cabe"), ("synonym", "brambang"), ("typo", "bawang merh")]
    while len(chosen) < size:
        kind = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
        chosen.append((kind, rng.choice(pools[kind])))
    return chosen[:size]


@dataclass
class Timing:
    """``ms`` is wall time; ``cpu_ms`` this process's CPU (on SQLite it includes the query itself)."""

    kind: str
    query: str
    market: str
    ms: float
    cpu_ms: float
    results: int


@dataclass
class SearchLatency:
    queries: int
    products_total: int
    markets: int
    products_per_market: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    cpu_p50_ms: float
    cpu_p95_ms: float
    with_results: int
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    named: list[Timing] = field(default_factory=list)
    slowest: list[Timing] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (what wrk reports too)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def prewarm(markets: list[Market]) -> None:
    """Read the product table once, so the first query of each market does not wait on the disk.

    A production database of this size sits in the page cache; a freshly generated one may
    have been evicted (this VM reclaims cold pages), which would time the disk, not search.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), SUM(LENGTH(search_text)), SUM(price) FROM catalog_product")
    for market in markets:  # the (market, available) index the searches start from
        Product.objects.filter(market=market, available=True).count()
    path = Path(str(connection.settings_dict["NAME"]))
    if connection.vendor == "sqlite" and path.is_file():  # tests use an in-memory database
        with path.open("rb") as db:
            while db.read(1 << 20):
                pass


def measure(*, market_slugs: list[str], size: int = 300, seed: int = 7, warmup: int = 20) -> SearchLatency:
    """Time ``product_search`` for ``size`` queries, each in a seeded-random market of ``market_slugs``."""
    markets = list(Market.objects.filter(slug__in=market_slugs).select_related("region").order_by("slug"))
    if not markets:
        raise RuntimeError("no markets to search")
    rng = random.Random(seed)
    queries = query_list(size=size, seed=seed)
    prewarm(markets)
    for _kind, query in queries[:warmup]:  # vocabulary caches, connection, statement preparation
        product_search(market=rng.choice(markets), query=query)
    timings = []
    for kind, query in queries:
        market = rng.choice(markets)
        started, cpu = time.perf_counter(), time.process_time()
        results = list(product_search(market=market, query=query))
        wall_ms, cpu_ms = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        timings.append(Timing(kind, query, market.slug, wall_ms, cpu_ms, len(results)))
    values = [t.ms for t in timings]
    cpu_values = [t.cpu_ms for t in timings]
    total = Product.objects.count()
    by_kind = {
        kind: {"n": len(ms), "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "max_ms": max(ms)}
        for kind in sorted({t.kind for t in timings})
        for ms in [[t.ms for t in timings if t.kind == kind]]
    }
    return SearchLatency(
        queries=len(timings),
        products_total=total,
        markets=len(markets),
        products_per_market=Product.objects.filter(market__in=markets).count() / len(markets),
        p50_ms=percentile(values, 50),
        p95_ms=percentile(values, 95),
        p99_ms=percentile(values, 99),
        max_ms=max(values),
        mean_ms=statistics.fmean(values),
        cpu_p50_ms=percentile(cpu_values, 50),
        cpu_p95_ms=percentile(cpu_values, 95),
        with_results=sum(1 for t in timings if t.results),
        by_kind=by_kind,
        named=timings[: len(NAMED)],
        slowest=sorted(timings, key=lambda t: -t.ms)[:8],
    )
