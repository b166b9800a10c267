"""The dashboards' bars on a province-sized dataset (PostgreSQL).

    psql postgres://pasar:pasar@127.0.0.1:5432/postgres -c "CREATE DATABASE pasar_bench_dashboards"
    uv run python -m bench.province --database-url postgres://pasar:pasar@127.0.0.1:5432/pasar_bench_dashboards
    uv run python -m bench.province --scale 0.1 ...      # a documented fraction of the full size

Full size: 1,000 markets in the kab/kota of Jawa Barat (32), 100 stalls each (100,000 traders, one stall
each), 20 products per stall (2,000,000), 1,000,000 orders over the last 365 days (1–2 stalls, 2 lines per
stall), written with PostgreSQL COPY. Then: the year's summary rows in one backfill pass, the nightly
aggregation of one day (bar ≤ 5 min), and the dashboard pages under gunicorn + wrk, logged in, against the
floor list view in the same run (bars: p95 ≤ 1 s, CPU per request ≤ 50× the floor). Results go to
``bench/results/dashboards-postgresql.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.load import CONNECTIONS, LUA_SCRIPT, THREADS, WRK, LoadResult, parse_wrk

JKT = ZoneInfo("Asia/Jakarta")
PROVINCE = "32"
SEED = 20251123
MARKER = "bench dashboards v1"
RESULTS = Path(__file__).with_name("results") / "dashboards-postgresql.json"
UNITS = [("kg", True, "1"), ("kg", True, "0.25"), ("ons", True, "1"), ("ikat", False, "1"), ("butir", False, "1")]
ORDER_STATES = ["delivered"] * 45 + ["picked_up"] * 30 + ["cancelled"] * 10 + ["placed", "confirmed", "ready"] * 5
LINE_STATES = ["available"] * 17 + ["unavailable", "substituted", "pending"]


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- generation ----------------------------------------------------------------------------------


def _not_null_defaults(table: str, given: Sequence[str]) -> dict[str, Any]:
    """Zero values for NOT NULL columns this generator does not know (added by later migrations)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL",
            [table],
        )
        missing = [(name, kind) for name, kind in cursor.fetchall() if name not in given]
    zero = {"integer": 0, "bigint": 0, "smallint": 0, "numeric": 0, "boolean": False, "jsonb": "{}"}
    return {name: zero.get(kind, "") for name, kind in missing}


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY ``rows`` into ``table``; unknown NOT NULL columns get zero values."""
    from django.db import connection

    extra = _not_null_defaults(table, columns)
    names = [*columns, *extra]
    tail = tuple(extra.values())
    count = 0
    statement = f"COPY {table} ({', '.join(names)}) FROM STDIN"  # noqa: S608 - our own names
    with connection.cursor() as cursor, cursor.connection.cursor() as raw, raw.copy(statement) as copy:
        for row in rows:
            copy.write_row((*row, *tail))
            count += 1
    return count


def _bump_sequences(tables: Iterable[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"  # noqa: S608
            )


def generate(scale: float) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password

    from bench.generate import prerequisites_load
    from pasar.catalog.models import Commodity
    from pasar.markets.models import Category, Market
    from pasar.regions.models import Region

    rng = random.Random(SEED)
    started = time.perf_counter()
    prerequisites_load()
    n_markets = max(2, round(1000 * scale))
    stalls_per_market, products_per_stall = 100, 20
    n_orders = round(1_000_000 * scale)
    kabkota = list(Region.objects.filter(parent__code=PROVINCE).order_by("code"))
    categories = list(Category.objects.order_by("pk"))
    commodities = list(Commodity.objects.order_by("pk").values_list("pk", "name"))
    now = datetime.now(JKT)
    today = now.date()

    markets = Market.objects.bulk_create(
        Market(
            name=f"Pasar Dasbor {i:04d}",
            slug=f"dasbor-{i:04d}",
            region=kabkota[i % len(kabkota)],
            latitude=-6.9 + (i % 50) * 0.01,
            longitude=107.6 + (i // 50) * 0.01,
            address="Jl. Pasar",
            pickup_point="Pintu utama",
        )  # fmt: skip
        for i in range(n_markets)
    )
    market_ids = [m.pk for m in markets]
    say(f"{n_markets} markets")

    password = make_password(None)
    n_traders = n_markets * stalls_per_market
    base_user = 1_000_000  # ids clear of the few users made by migrations or tests
    users = (
        (base_user + i, password, False, f"+62877{i:08d}", f"Pedagang {i}", "", False, True, now)
        for i in range(n_traders + 1)
    )
    copy_rows(
        "accounts_user",
        ["id", "password", "is_superuser", "phone", "name", "email", "is_staff", "is_active", "date_joined"],
        users,
    )
    statuses = ["terdata"] * 2 + ["dilatih", "aktif"]
    joined = now - timedelta(days=400)  # registered before the year of orders, trained along the way
    copy_rows(
        "traders_trader",
        ["id", "created_at", "updated_at", "status", "trained_at", "user_id"],
        ((i + 1, joined, now, statuses[i % 4], None if i % 4 < 2 else joined + timedelta(days=i % 365),
          base_user + i) for i in range(n_traders)),
    )  # fmt: skip
    buyer_id = base_user + n_traders  # the last user buys everything
    stall_market = [market_ids[i // stalls_per_market] for i in range(n_traders)]
    copy_rows(
        "traders_stall",
        ["id", "created_at", "updated_at", "name", "kind", "block", "row", "number", "description", "is_open",
         "category_id", "market_id", "trader_id"],
        ((i + 1, joined, now, f"Lapak {i}", "lapak", "A", "", str(i % stalls_per_market), "", True,
          categories[i % len(categories)].pk, stall_market[i], i + 1) for i in range(n_traders)),
    )  # fmt: skip
    say(f"{n_traders:,} traders and stalls")

    def products() -> Iterator[tuple[Any, ...]]:
        for stall in range(n_traders):
            for j in range(products_per_stall):
                pid = stall * products_per_stall + j + 1
                commodity_id, name = commodities[(stall * 7 + j) % len(commodities)]
                unit, weighed, step = UNITS[j % len(UNITS)]
                touched = now - timedelta(days=rng.randrange(0, 90), minutes=rng.randrange(0, 1440))
                yield (pid, now, now, name, unit, 1000 * rng.randint(3, 80), weighed, step, step, True, None,
                       touched, "", "", name.lower(), commodity_id, stall_market[stall], stall + 1)  # fmt: skip

    n_products = copy_rows(
        "catalog_product",
        ["id", "created_at", "updated_at", "name", "unit", "price", "weighed", "quantity_step", "quantity_min",
         "available", "stock", "price_updated_at", "photo", "thumbnail", "search_text", "commodity_id", "market_id",
         "stall_id"],
        products(),
    )  # fmt: skip
    say(f"{n_products:,} products")

    slot_start = datetime.combine(today, datetime.min.time(), tzinfo=JKT) + timedelta(hours=9)
    copy_rows(
        "orders_pickupslot",
        ["id", "starts_at", "ends_at", "capacity", "booked", "market_id"],
        ((i + 1, slot_start, slot_start + timedelta(hours=1), 10, 0, m) for i, m in enumerate(market_ids)),
    )
    slot_of = {m: i + 1 for i, m in enumerate(market_ids)}
    courier_id = base_user  # any user will do as the courier column's target
    parts: list[tuple[int, int, int]] = []  # (part id, order id, stall index)
    orders: list[tuple[Any, ...]] = []
    for oid in range(1, n_orders + 1):
        m_index = rng.randrange(n_markets)
        market = market_ids[m_index]
        day = today - timedelta(days=rng.randrange(0, 365))
        created = datetime.combine(day, datetime.min.time(), tzinfo=JKT) + timedelta(minutes=rng.randrange(300, 660))
        state = rng.choice(ORDER_STATES)
        delivery = rng.random() < 0.6
        if state == "picked_up":
            delivery = False
        orders.append((
            oid, created, created, f"B{oid:09d}", state, "delivery" if delivery else "pickup", day,
            "Jl. Pembeli" if delivery else "", -6.9 if delivery else None, 107.6 if delivery else None,
            8000 if delivery else 0, "cod", "unpaid", 50_000, "1234", f"k{oid}",
            "", "", buyer_id, courier_id if delivery and state == "delivered" else None, market,
            None if delivery else slot_of[market],
        ))  # fmt: skip
        first = m_index * stalls_per_market
        for stall in rng.sample(range(first, first + stalls_per_market), rng.choice((1, 1, 2))):
            parts.append((len(parts) + 1, oid, stall))
    copy_rows(
        "orders_order",
        ["id", "created_at", "updated_at", "number", "state", "fulfilment", "for_date", "address", "latitude",
         "longitude", "delivery_fee", "payment_method", "payment_state", "goods_estimate", "handover_code",
         "idempotency_key", "cancel_reason", "note", "buyer_id", "courier_id", "market_id", "pickup_slot_id"],
        orders,
    )  # fmt: skip
    order_state = {o[0]: o[4] for o in orders}
    del orders
    copy_rows(
        "orders_stallorder",
        ["id", "state", "order_id", "stall_id"],
        ((pid, "cancelled" if order_state[oid] == "cancelled" else "picked_up", oid, stall + 1)
         for pid, oid, stall in parts),
    )  # fmt: skip
    say(f"{n_orders:,} orders, {len(parts):,} stall parts")

    def lines() -> Iterator[tuple[Any, ...]]:
        lid = 0
        for pid, _oid, stall in parts:
            for j in rng.sample(range(products_per_stall), 2):
                lid += 1
                unit, weighed, _step = UNITS[j % len(UNITS)]
                quantity = rng.choice(("0.5", "1", "2"))
                final = str(float(quantity) + 0.1) if weighed else None
                yield (lid, f"Barang {j}", unit, weighed, 20_000, quantity, 20_000, final,
                       22_000 if final else None, False, rng.choice(LINE_STATES), 0, "",
                       stall * products_per_stall + j + 1, None, pid)  # fmt: skip

    n_lines = copy_rows(
        "orders_orderline",
        ["id", "name", "unit", "weighed", "unit_price", "quantity", "estimate", "final_quantity", "final_amount",
         "needs_approval", "state", "stock_taken", "note", "product_id", "substitute_for_id", "part_id"],
        lines(),
    )  # fmt: skip
    say(f"{n_lines:,} order lines")
    _bump_sequences(
        ["accounts_user", "traders_trader", "traders_stall", "catalog_product", "orders_pickupslot", "orders_order",
         "orders_stallorder", "orders_orderline"]
    )  # fmt: skip
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    Market.objects.filter(pk=market_ids[0]).update(description=f"{MARKER} scale={scale}")
    return {
        "scale": scale, "markets": n_markets, "traders": n_traders, "stalls": n_traders, "products": n_products,
        "orders": n_orders, "stall_parts": len(parts), "order_lines": n_lines,
        "seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip


# --- measuring -----------------------------------------------------------------------------------


def aggregation_times(backfill_days: int) -> dict[str, Any]:
    from django.utils import timezone

    from pasar.dashboards.aggregation import aggregate_day, aggregate_days

    today = timezone.localdate()
    backfill_s = None
    if backfill_days:
        started = time.perf_counter()
        backfill = aggregate_days(today - timedelta(days=backfill_days - 1), today)
        backfill_s = round(time.perf_counter() - started, 1)
        say(f"backfill of {backfill_days} days in one pass: {backfill_s:.1f} s ({backfill.markets:,} market-days)")
        from django.db import connection

        with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum gathers after a backfill
            cursor.execute("ANALYZE")
    nightly = []
    for _ in range(2):  # the second run replaces the first (idempotent), both timed
        started = time.perf_counter()
        result = aggregate_day(today - timedelta(days=1))
        nightly.append(time.perf_counter() - started)
    say(f"nightly aggregation of one day: {', '.join(f'{s:.1f} s' for s in nightly)}")
    return {
        "backfill_days": backfill_days,
        "backfill_s": backfill_s,
        "nightly_day_s": [round(s, 2) for s in nightly],
        "day_rows": {"markets": result.markets, "stalls": result.stalls, "commodities": result.commodities,
                     "snapshots": result.snapshots, "region_days": result.region_days,
                     "region_commodities": result.region_commodities},
    }  # fmt: skip


def sessions() -> dict[str, str]:
    """Session cookies of a province officer and of one market's operator (made through the test client)."""
    from django.conf import settings
    from django.test import Client

    from pasar.accounts.models import OfficerAssignment, User
    from pasar.markets.models import Market, MarketRole
    from pasar.regions.models import Region

    market = Market.objects.get(slug="dasbor-0000")
    officer, _ = User.objects.get_or_create(phone="+6287799999991", defaults={"name": "Petugas Provinsi"})
    OfficerAssignment.objects.get_or_create(user=officer, region=Region.objects.get(code=PROVINCE))
    operator, _ = User.objects.get_or_create(phone="+6287799999992", defaults={"name": "Pengelola"})
    MarketRole.objects.get_or_create(user=operator, market=market, role=MarketRole.Role.OPERATOR)
    cookies = {}
    for name, user in (("officer", officer), ("operator", operator)):
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def run_wrk(base_url: str, path: str, *, seconds: float, cookie: str | None) -> str:
    from django.conf import settings

    header = ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}"] if cookie else []
    command = [WRK, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--timeout", "30s", "--latency", *header,
               "-s", str(LUA_SCRIPT), base_url, "--", path]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout


def measure(server: Any, path: str, *, seconds: float, cookie: str | None) -> LoadResult:
    """As ``bench.load.measure``, with the session cookie: server + PostgreSQL CPU per request."""
    from bench.server import database_backend_pids, pids_cpu

    backends = database_backend_pids()
    db_before, before = pids_cpu(backends), server.cpu()
    figures = parse_wrk(run_wrk(server.base_url, path, seconds=seconds, cookie=cookie))
    after, db_after = server.cpu(), pids_cpu(backends)
    requests = int(figures.get("requests", 0))
    cpu = (after.seconds - before.seconds) * 1000 / requests if requests else None
    db_cpu = (db_after.seconds - db_before.seconds) * 1000 / requests if requests and backends else None
    return LoadResult(
        requests=requests, seconds=figures.get("duration_us", 0) / 1e6,
        requests_per_s=figures.get("requests_per_s", 0.0), p50_ms=figures.get("p50_us", 0) / 1000,
        p95_ms=figures.get("p95_us", 0) / 1000, p99_ms=figures.get("p99_us", 0) / 1000,
        max_ms=figures.get("max_us", 0) / 1000, non_2xx=int(figures.get("non2xx", 0)),
        socket_errors=int(figures.get("socket_errors", 0)), cpu_ms_per_request=cpu, db_cpu_ms_per_request=db_cpu,
        workers_restarted=before.pids != after.pids,
    )  # fmt: skip


def pages(data_dir: Path, *, rounds: int, seconds: float, backfill_days: int) -> dict[str, Any]:
    from django.utils import timezone

    from bench import server as bench_server
    from pasar.regions.models import Region
    from pasar.traders.models import Stall

    cookies = sessions()
    kabkota = Region.objects.filter(parent__code=PROVINCE).order_by("code").first()
    assert kabkota is not None
    stall = Stall.objects.filter(market__slug="dasbor-0000").order_by("pk").first()
    assert stall is not None
    targets = {
        "floor": ("/_floor/market/dasbor-0000/", None),
        "province (30 days)": (f"/dinas/wilayah/{PROVINCE}/", cookies["officer"]),
        f"province ({backfill_days} days)": (
            f"/dinas/wilayah/{PROVINCE}/?periode=custom&dari={timezone.localdate() - timedelta(days=backfill_days - 1)}"
            f"&sampai={timezone.localdate()}",
            cookies["officer"],
        ),
        "kab/kota": (f"/dinas/wilayah/{kabkota.code}/", cookies["officer"]),
        "market": ("/dinas/pasar/dasbor-0000/", cookies["officer"]),
        "stall": (f"/dinas/lapak/{stall.pk}/", cookies["officer"]),
        "operator dashboard": ("/pengelola/dasbor-0000/dasbor/", cookies["operator"]),
        "operator's day": ("/pengelola/dasbor-0000/hari-ini/", cookies["operator"]),
    }  # fmt: skip
    env = dict(os.environ)
    gunicorn = bench_server.start(env=env, log_dir=data_dir, ready_path="/tentang/", timeout=180)
    runs: dict[str, list[LoadResult]] = {name: [] for name in targets}
    try:
        for path, cookie in targets.values():  # warm up every page once (caches, connections)
            measure(gunicorn, path, seconds=1, cookie=cookie)
        for round_no in range(rounds):
            for name, (path, cookie) in targets.items():
                runs[name].append(measure(gunicorn, path, seconds=seconds, cookie=cookie))
            say(f"round {round_no + 1}/{rounds} done")
    finally:
        gunicorn.stop()
    floor_cpu = [r.total_cpu_ms_per_request for r in runs["floor"]]
    out: dict[str, Any] = {}
    for name, results in runs.items():
        ratios = [
            r.total_cpu_ms_per_request / f
            for r, f in zip(results, floor_cpu, strict=True)
            if r.total_cpu_ms_per_request and f
        ]
        out[name] = {
            "path": targets[name][0],
            "p95_ms_median": round(statistics.median(r.p95_ms for r in results), 1),
            "cpu_ms_median": round(statistics.median(r.total_cpu_ms_per_request or 0 for r in results), 2),
            "cpu_x_floor_median": round(statistics.median(ratios), 2) if ratios else None,
            "non_2xx": sum(r.non_2xx for r in results),
            "runs": [r.as_dict() for r in results],
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.province", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="an empty PostgreSQL database of its own")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (default 1.0)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--backfill-days", type=int, default=365, help="summary rows built first (0: keep them)")
    parser.add_argument("--page-days", type=int, default=365, help="the long custom period of the province page")
    args = parser.parse_args(argv)

    from bench import environment

    data_dir = environment.configure(data_dir=args.data_dir, database_url=args.database_url)
    environment.migrate()
    from django.core.management import call_command

    from pasar.markets.models import Market

    call_command("collectstatic", interactive=False, verbosity=0)
    marker = Market.objects.filter(slug="dasbor-0000").values_list("description", flat=True).first()
    results: dict[str, Any] = {"database": environment.database_label()}
    if marker == f"{MARKER} scale={args.scale}":
        say("reusing the generated dataset")
        results["dataset"] = {"scale": args.scale, "reused": True}
    elif Market.objects.exists():
        print("The database holds other markets: use an empty database of its own.", file=sys.stderr)
        return 2
    else:
        results["dataset"] = generate(args.scale)
        say(f"dataset: {results['dataset']}")
    results["aggregation"] = aggregation_times(args.backfill_days)
    if not args.skip_pages:
        results["pages"] = pages(data_dir, rounds=args.rounds, seconds=args.seconds, backfill_days=args.page_days)
    RESULTS.parent.mkdir(exist_ok=True)
    name = RESULTS if args.scale == 1.0 else RESULTS.with_name(f"dashboards-postgresql-scale{args.scale:g}.json")
    name.write_text(json.dumps(results, indent=1, default=str))
    print_report(results)
    return 0


def print_report(results: dict[str, Any]) -> None:
    agg = results["aggregation"]
    print(f"dataset: {results['dataset']}")
    print(f"nightly aggregation of one day: {agg['nightly_day_s']} s (bar ≤ 300 s)")
    print(f"backfill of {agg['backfill_days']} days in one pass: {agg['backfill_s']} s")
    for name, page in results.get("pages", {}).items():
        print(
            f"{name:22} p95 {page['p95_ms_median']:8.1f} ms  CPU {page['cpu_ms_median']:7.2f} ms/req  "
            f"× floor {page['cpu_x_floor_median']}  non-2xx {page['non_2xx']}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
