"""The commodity-price bar of issue 5: the nightly aggregation of one day over a province-sized dataset.

    uv run python -m bench.prices --database-url postgres://pasar:pasar@127.0.0.1:5432/pasar_bench_prices

Builds (or reuses) 1,000 markets in the 27 kab/kota of Jawa Barat × 100 stalls × 20 products = 2,000,000
products with COPY, and a year of daily summaries (the real job run for yesterday, then copied with a
seasonal wobble to the 364 days before it). Then times ``prices_aggregate_day`` for today three times
(re-running replaces the day), and reads the market and province boards in process (SQL count, time,
compressed first-visit weight). Figures go to ``bench/results/prices-<backend>.json``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import environment

RESULTS = Path(__file__).resolve().parent / "results"
SLUG_PREFIX = "bench-prices-"
BAR_SECONDS = 300.0
PAGE_BAR_KB = 40.0


def say(message: str) -> None:
    print(message, flush=True)


def _timed(label: str, fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    seconds = time.perf_counter() - started
    say(f"  {label}: {seconds:.1f} s")
    return result, seconds


def _present(markets: int, products: int) -> bool:
    from pasar.catalog.models import Product
    from pasar.markets.models import Market

    found = Market.objects.filter(slug__startswith=SLUG_PREFIX).count()
    return found == markets and Product.objects.filter(market__slug__startswith=SLUG_PREFIX).count() == products


def _flush() -> None:
    from django.db import connection

    from pasar.markets.models import Market

    if Market.objects.exclude(slug__startswith=SLUG_PREFIX).exists():
        raise SystemExit("this database holds markets the benchmark did not make: use a database of its own")
    tables = [
        "pricing_ceilingbreach", "pricing_marketcommodityprice", "pricing_regioncommodityprice",
        "pricing_referenceprice", "catalog_product", "traders_stall", "markets_market",
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def _base_prices(commodities: list[Any]) -> dict[int, int]:
    from pasar.demo.services import bapanas_latest_prices

    bapanas = bapanas_latest_prices()
    rng = random.Random(7)
    return {c.pk: bapanas.get(c.bapanas_id or -1) or rng.choice([3000, 8000, 15000, 25000, 40000]) for c in commodities}


def generate(*, markets: int, stalls: int, products: int, seed: int = 20251123) -> None:
    """Regions and vocabulary, one trader, markets and stalls with bulk_create, products with COPY."""
    from django.db import connection

    from pasar.accounts.models import User
    from pasar.catalog.models import Commodity, Product
    from pasar.catalog.services import vocabulary_load
    from pasar.markets.models import Category, Market
    from pasar.regions.models import Region
    from pasar.regions.services import regions_load
    from pasar.traders.models import Stall, Trader

    regions_load()
    vocabulary_load()
    rng = random.Random(seed)
    regencies = list(Region.objects.filter(code__startswith="32.", level=Region.Level.REGENCY))
    user, _ = User.objects.get_or_create(phone="+6281199990001", defaults={"name": "Bench Prices"})
    trader, _ = Trader.objects.get_or_create(user=user)
    category = Category.objects.get(slug="sayur")
    made = Market.objects.bulk_create(
        Market(
            name=f"Bench Prices {i:04d}",
            slug=f"{SLUG_PREFIX}{i:04d}",
            region=regencies[i % len(regencies)],
            latitude=-6.9 + rng.uniform(-0.5, 0.5),
            longitude=107.6 + rng.uniform(-0.5, 0.5),
        )  # fmt: skip
        for i in range(markets)
    )
    Stall.objects.bulk_create(
        (
            Stall(market=m, trader=trader, category=category, name=f"Lapak {s}", block="A", row="1", number=str(s))
            for m in made
            for s in range(stalls)
        ),
        batch_size=5000,
    )
    commodities = list(Commodity.objects.all())
    base = _base_prices(commodities)
    fields = [f for f in Product._meta.concrete_fields if not f.primary_key]
    columns = [str(f.column) for f in fields]
    # Read before COPY starts: the connection cannot run another query while a COPY is open.
    stall_rows = list(Stall.objects.filter(market__slug__startswith=SLUG_PREFIX).values_list("pk", "market_id"))
    from django.utils import timezone

    now = timezone.now()
    defaults = {str(f.column): f.get_default() for f in fields}
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY catalog_product ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for stall_id, market_id in stall_rows:
            market_factor = rng.uniform(0.9, 1.1)
            for _ in range(products):
                commodity = rng.choice(commodities)
                # One listing in ten in another unit (per ons, per ikat): never counted with the usual unit.
                unit = commodity.unit if rng.random() > 0.1 else ("ons" if commodity.unit == "kg" else "ikat")
                price = max(100, round(base[commodity.pk] * market_factor * rng.uniform(0.8, 1.25) / 50) * 50)
                values = defaults | {
                    "created_at": now, "updated_at": now, "stall_id": stall_id, "market_id": market_id,
                    "commodity_id": commodity.pk, "name": commodity.name, "unit": unit, "price": price,
                    "weighed": unit in ("kg", "ons", "liter"), "available": rng.random() > 0.08,
                    "price_updated_at": now, "search_text": commodity.name.lower(),
                }  # fmt: skip
                copy.write_row([values[c] for c in columns])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_product")


def history(days: int) -> None:
    """Yesterday by the real job, then ``days - 1`` earlier days copied from it with a seasonal wobble."""
    from django.db import connection

    from pasar.pricing.services import prices_aggregate_day, today

    yesterday = today() - timedelta(days=1)
    prices_aggregate_day(day=yesterday)
    # A constant SQL fragment (no input): a seasonal wobble so the history is not flat.
    wobble = "(1 + 0.08 * sin(extract(doy FROM d)::float / 9 + commodity_id))"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO pricing_marketcommodityprice
              (market_id, commodity_id, date, unit, median, min, max, stalls, listings, alert, above_ceiling)
            SELECT market_id, commodity_id, d::date, unit, m, LEAST(min, m), GREATEST(max, m), stalls, listings,
                   false, 0
            FROM pricing_marketcommodityprice p,
                 generate_series(%s::date, %s::date, '1 day') AS d,
                 LATERAL (SELECT GREATEST(1, round(p.median * {wobble})::integer) AS m) w
            WHERE p.date = %s
            """,  # noqa: S608 - the only interpolation is the constant ``wobble``
            [yesterday - timedelta(days=days - 1), yesterday - timedelta(days=1), yesterday],
        )
        cursor.execute(
            f"""
            INSERT INTO pricing_regioncommodityprice
              (region_id, level, commodity_id, date, unit, price, min, max, markets, alert)
            SELECT region_id, level, commodity_id, d::date, unit, m, LEAST(min, m), GREATEST(max, m), markets, false
            FROM pricing_regioncommodityprice p,
                 generate_series(%s::date, %s::date, '1 day') AS d,
                 LATERAL (SELECT GREATEST(1, round(p.price * {wobble})::integer) AS m) w
            WHERE p.date = %s
            """,  # noqa: S608 - the only interpolation is the constant ``wobble``
            [yesterday - timedelta(days=days - 1), yesterday - timedelta(days=1), yesterday],
        )
        cursor.execute("ANALYZE pricing_marketcommodityprice")
        cursor.execute("ANALYZE pricing_regioncommodityprice")


def _static_gzip_bytes(paths: list[str]) -> int:
    from django.contrib.staticfiles import finders

    total = 0
    for path in paths:
        found = finders.find(path)
        if found:
            total += len(gzip.compress(Path(str(found)).read_bytes(), 9))
    return total


def pages() -> dict[str, Any]:
    """SQL count, time and compressed first-visit weight of the market and province boards, in process."""
    from django.conf import settings
    from django.test.utils import override_settings

    # In process, without collectstatic: plain static storage (the manifest is the server's business).
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        return _pages()


def _pages() -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pasar.markets.models import Market

    market = Market.objects.filter(slug__startswith=SLUG_PREFIX).select_related("region__parent").first()
    assert market is not None
    assert market.region.parent is not None
    client = Client()
    static = _static_gzip_bytes(["pasar/pasar.css", "django_htmx/htmx-2.min.js", "pasar/pasar.js"])
    out: dict[str, Any] = {}
    for name, path in (
        ("market board", f"/harga/{market.slug}/"),
        ("province board", f"/harga/wilayah/{market.region.parent.code}/"),
        ("installation board", "/harga/"),
    ):
        client.get(path)  # warm
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            ms = (time.perf_counter() - started) * 1000
        html = gzip.compress(response.content, 6)
        out[name] = {
            "path": path, "status": response.status_code, "sql": len(queries), "ms": round(ms, 1),
            "html_gz_kb": round(len(html) / 1000, 1), "first_visit_kb": round((len(html) + static) / 1000, 1),
            "rows": response.content.count(b'class="spark"'),
        }  # fmt: skip
        say(f"  {name}: {out[name]}")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database of its own")
    parser.add_argument("--markets", type=int, default=1000)
    parser.add_argument("--stalls", type=int, default=100)
    parser.add_argument("--products", type=int, default=20, help="per stall")
    parser.add_argument("--history-days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="regenerate even if a matching dataset is there")
    args = parser.parse_args(argv)
    environment.configure(data_dir=None, database_url=args.database_url)
    environment.migrate()
    from django.db import connection

    from pasar.pricing.aggregation import market_groups
    from pasar.pricing.models import MarketCommodityPrice
    from pasar.pricing.services import prices_aggregate_day, today

    total = args.markets * args.stalls * args.products
    say(f"Commodity prices — {environment.database_label()}, {args.markets} markets × {args.stalls} stalls × "
        f"{args.products} products = {total:,}")  # fmt: skip
    timings: dict[str, float] = {}
    if args.fresh or not _present(args.markets, total):
        _flush()
        _, timings["generate_s"] = _timed("generate (COPY)", generate, markets=args.markets, stalls=args.stalls,
                                          products=args.products)  # fmt: skip
    if not MarketCommodityPrice.objects.filter(date=today() - timedelta(days=args.history_days - 1)).exists():
        _, timings["history_s"] = _timed(f"history ({args.history_days} days)", history, args.history_days)
    summary_rows = MarketCommodityPrice.objects.count()
    say(f"  market summary rows stored: {summary_rows:,}")
    groups, sql_s = _timed("market medians in SQL (percentile_cont)", lambda: list(market_groups()))
    rounds = []
    for index in range(args.rounds):
        result, seconds = _timed(f"prices_aggregate_day(today) round {index + 1}", prices_aggregate_day, day=today())
        rounds.append(seconds)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('pricing_marketcommodityprice'))")
        summary_size = cursor.fetchone()[0]
    page_figures = pages()
    worst = max(rounds)
    report = {
        "database": environment.database_label(),
        "shape": {"markets": args.markets, "stalls": args.stalls, "products": args.products, "total": total},
        "history_days": args.history_days,
        "summary_rows": summary_rows,
        "summary_table_size": summary_size,
        "groups": len(groups),
        "market_rows": result.market_rows,
        "region_rows": result.region_rows,
        "sql_medians_s": round(sql_s, 2),
        "aggregate_rounds_s": [round(s, 2) for s in rounds],
        "pages": page_figures,
        **{k: round(v, 1) for k, v in timings.items()},
    }
    say("Bars")
    say(f"  {'PASS' if worst <= BAR_SECONDS else 'FAIL'}  nightly aggregation of one day ≤ 5 min: {worst:.1f} s")
    weight = page_figures["market board"]["first_visit_kb"]
    say(f"  {'PASS' if weight <= PAGE_BAR_KB else 'FAIL'}  market board first visit ≤ 40 KB: {weight} KB")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"prices-{environment.backend()}.json"
    out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    say(f"written {out}")


if __name__ == "__main__":
    main()
