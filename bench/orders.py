"""The order bars of issue 3: SQL per placement, placement under concurrency, and the buyer's
cart, checkout and order pages (SQL per page, first-visit weight).

    uv run python -m bench.orders                                  # SQLite in a fresh data dir
    uv run python -m bench.orders --database-url postgres://pasar:pasar@127.0.0.1:5432/pasar_bench_orders
    uv run python -m bench.run --only orders [--database-url ...]  # the same, from the runner

The run adds one market of its own (slug ``bench-orders``, traders and buyers with phone numbers
no other generator uses), removes what an earlier run left first, and removes its rows again at
the end (``--keep`` leaves them). See the "Orders" section of bench/README.md for each figure.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import math
import os
import random
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench import environment

if TYPE_CHECKING:
    from django.test import Client

    from bench.queries import PageQueries
    from pasar.accounts.models import User
    from pasar.catalog.models import Product
    from pasar.markets.models import Market
    from pasar.orders.models import Cart, Order
    from pasar.orders.services.placement import Checkout

RESULTS_DIR = Path(__file__).with_name("results")
MARKET_SLUG = "bench-orders"
# Phone blocks no other generator uses: bench.generate numbers traders +62889 00000001 upwards.
TRADER_PHONE_SEQ = 99_000_000
TRADER_PHONE_PREFIX = "+6288999"
BUYER_PHONE_PREFIX = "+6288998"
BIG_STOCK = 1_000_000
LAST_UNITS = 50
THREADS = 8
WARMUP_ORDERS = 3  # per buyer, before the timed run (not for the last-units run, which counts every unit)
KB = 1000
# The bar's order: 3 stalls × 5 lines. SQL is also counted at 1 × 1 and 6 × 5 to show what it grows with.
BAR_SHAPE = (3, 5)
SQL_SHAPES = ((1, 1), BAR_SHAPE, (6, 5))
# Page checks: a 1-line cart/order against a 30-line one (6 stalls × 5 lines).
SMALL_PAGE, LARGE_PAGE = (1, 1), (6, 5)
WRITE_PREFIXES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
SQL_KINDS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"})


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- dataset ---------------------------------------------------------------------------------


@dataclass
class Dataset:
    """One market; per stall its products (counted goods carry ``BIG_STOCK``, weighed goods no count)."""

    market: Market
    stalls: list[list[Product]]
    hot: Product
    last_units: Product
    buyers_made: int = 0

    def lines(self, stalls: int, per_stall: int, *, offset: int = 0) -> list[tuple[Product, Decimal]]:
        """``per_stall`` products of each of ``stalls`` consecutive stalls from ``offset``, at their minimum."""
        if stalls > len(self.stalls) or per_stall > min(len(ps) for ps in self.stalls):
            raise ValueError(f"the market has {len(self.stalls)} stalls, not enough for {stalls} × {per_stall}")
        picked = [self.stalls[(offset + i) % len(self.stalls)][:per_stall] for i in range(stalls)]
        return [(p, p.quantity_min) for products in picked for p in products]

    def buyers(self, n: int, label: str) -> list[User]:
        """``n`` new buyers, each with an (empty) cart at the market."""
        from django.contrib.auth.hashers import make_password

        from pasar.accounts.models import User
        from pasar.orders.models import Cart

        first = self.buyers_made
        unusable = make_password(None)  # buyers never log in with a password; the pages use force_login
        self.buyers_made += n
        users = User.objects.bulk_create(
            [
                User(phone=f"{BUYER_PHONE_PREFIX}{first + i:06d}", name=f"Pembeli {label} {i + 1}", password=unusable)
                for i in range(n)
            ]
        )
        users = list(User.objects.filter(phone__in=[u.phone for u in users]).order_by("phone"))
        Cart.objects.bulk_create([Cart(buyer=u, market=self.market) for u in users])
        return users


def cleanup() -> int:
    """Remove what an earlier orders run left (its market, orders, carts, traders, buyers); returns orders removed."""
    from pasar.accounts.models import User
    from pasar.markets.models import Market
    from pasar.orders.models import Cart, Order, PickupSlot
    from pasar.traders.models import Stall, Trader

    market = Market.objects.filter(slug=MARKET_SLUG).first()
    removed = 0
    if market is not None:
        # Orders protect their stalls and products, stalls their market: remove from the leaves up.
        removed, _ = Order.objects.filter(market=market).delete()
        Cart.objects.filter(market=market).delete()
        PickupSlot.objects.filter(market=market).delete()
        Stall.objects.filter(market=market).delete()
        market.delete()
    Trader.objects.filter(user__phone__startswith=TRADER_PHONE_PREFIX).delete()
    User.objects.filter(phone__startswith=TRADER_PHONE_PREFIX).delete()
    User.objects.filter(phone__startswith=BUYER_PHONE_PREFIX).delete()
    return removed


def build(*, stalls: int = 24, products: int = 8, seed: int = 20251122) -> Dataset:
    """One market of ``stalls`` × ``products`` from the benchmark generator, everything available today.

    Counted goods (butir, ikat, …) get a large stock count, weighed goods none, so an order mixes
    lines with and without stock as at a real pasar; two extra products carry the hot and last-units
    stock.
    """
    from bench.generate import Generator, prerequisites_load
    from pasar.catalog.models import Product
    from pasar.catalog.services import ProductInput, product_build
    from pasar.markets.models import Market
    from pasar.traders.models import Stall

    if products < BAR_SHAPE[1]:
        raise ValueError(f"an order of the bar takes {BAR_SHAPE[1]} products per stall")
    prerequisites_load()
    generator = Generator(seed=seed)
    generator.phone_seq = TRADER_PHONE_SEQ
    generator.market(slug=MARKET_SLUG, name_index=900, stalls=stalls, products=products, mix_offset=0)
    market = Market.objects.get(slug=MARKET_SLUG)
    # A delivery to 1.1 km north is inside every market's radius; the bench never hits the cut-off path.
    Product.objects.filter(market=market).update(available=True)
    Product.objects.filter(market=market, weighed=False).update(stock=BIG_STOCK)
    first = Stall.objects.filter(market=market).order_by("pk").first()
    assert first is not None
    extra = [
        product_build(stall=first, data=ProductInput(name="Telur Ayam Negeri Promo", unit="butir", price=2000, stock=s))
        for s in (BIG_STOCK, LAST_UNITS)
    ]
    hot_pk, last_pk = (p.pk for p in Product.objects.bulk_create(extra))
    by_stall: dict[int, list[Product]] = {}
    for product in (
        Product.objects.filter(market=market).exclude(pk__in=[hot_pk, last_pk]).select_related("stall", "market")
    ):
        by_stall.setdefault(product.stall_id, []).append(product)
    # Within a stall: counted goods first and weighed after, by name; the 5 lines of the bar mix both
    # where the stall sells both.
    ordered = [sorted(ps, key=lambda p: (p.weighed, p.name, p.pk)) for _pk, ps in sorted(by_stall.items())]
    ordered = [_mix(ps) for ps in ordered]
    hot = Product.objects.select_related("stall", "market").get(pk=hot_pk)
    last = Product.objects.select_related("stall", "market").get(pk=last_pk)
    return Dataset(market=market, stalls=ordered, hot=hot, last_units=last)


def _mix(products: list[Product]) -> list[Product]:
    """Alternate counted and weighed goods, so any prefix holds both kinds when the stall sells both."""
    counted = [p for p in products if not p.weighed]
    weighed = [p for p in products if p.weighed]
    mixed: list[Product] = []
    while counted or weighed:
        if counted:
            mixed.append(counted.pop(0))
        if weighed:
            mixed.append(weighed.pop(0))
    return mixed


def fill_cart(cart: Cart, lines: list[tuple[Product, Decimal]]) -> None:
    """Put ``lines`` in ``cart`` in one INSERT: the timed runs measure placement, not the cart service."""
    from pasar.orders.models import CartLine

    CartLine.objects.bulk_create([CartLine(cart=cart, product=p, quantity=q) for p, q in lines])


def checkout_for(market: Market, key: str | None = None) -> Checkout:
    """Delivery (1.1 km north of the market), cash on delivery: the commonest order at a pasar."""
    from pasar.orders.models import Order
    from pasar.orders.services.placement import Checkout

    return Checkout(
        market=market,
        fulfilment=Order.Fulfilment.DELIVERY,
        payment_method=Order.PaymentMethod.COD,
        idempotency_key=key or uuid.uuid4().hex,
        address="Jl. Pasar Baru No. 1",
        latitude=market.latitude + 0.01,
        longitude=market.longitude,
    )


# --- SQL per placement -----------------------------------------------------------------------


def _kind(sql: str) -> str:
    word = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return word if word in SQL_KINDS else "other"


@dataclass
class PlacementQueries:
    stalls: int
    lines_per_stall: int
    stocked_lines: int
    queries: int
    by_kind: dict[str, int]
    sql: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def placement_queries(ds: Dataset, stalls: int, per_stall: int) -> PlacementQueries:
    """SQL of one ``order_place`` for a cart of ``stalls`` × ``per_stall`` lines filled through ``cart_set``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pasar.orders.services.cart import cart_set
    from pasar.orders.services.placement import order_place

    buyer = ds.buyers(1, f"sql {stalls}x{per_stall}")[0]
    lines = ds.lines(stalls, per_stall)
    for product, quantity in lines:
        cart_set(buyer=buyer, product=product, quantity=quantity)
    with CaptureQueriesContext(connection) as captured:
        order = order_place(buyer=buyer, checkout=checkout_for(ds.market))
    if order.parts.count() != stalls:
        raise RuntimeError(f"expected {stalls} parts, got {order.parts.count()}")
    sql = [q["sql"] for q in captured.captured_queries]
    kinds: dict[str, int] = {}
    for statement in sql:
        kinds[_kind(statement)] = kinds.get(_kind(statement), 0) + 1
    stocked = sum(1 for p, _q in lines if p.stock is not None)
    return PlacementQueries(stalls, per_stall, stocked, len(sql), kinds, sql)


@dataclass
class CheckoutPost:
    """The checkout form's ``action=place`` POST through the test client (session, form, cart, placement)."""

    status: int
    queries: int
    redirect: str
    sql: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def checkout_post_queries(ds: Dataset) -> CheckoutPost:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from pasar.orders.pricing import market_day

    buyer = ds.buyers(1, "checkout post")[0]
    fill_cart(buyer.carts.get(), ds.lines(*BAR_SHAPE))
    client = Client()
    client.force_login(buyer)
    data = {
        "action": "place",
        "fulfilment": "delivery",
        "address": "Jl. Pasar Baru No. 1",
        "lat": str(ds.market.latitude + 0.01),
        "lng": str(ds.market.longitude),
        "payment_method": "cod",
        "idempotency_key": uuid.uuid4().hex,
        "prepared_for": market_day(ds.market, timezone.now()).isoformat(),
    }
    with CaptureQueriesContext(connection) as captured:
        response = client.post(f"/keranjang/{ds.market.slug}/checkout/", data)
    location = response.headers.get("Location", "")
    if response.status_code != 302 or "/pesanan/" not in location:
        raise RuntimeError(f"checkout POST did not place the order: {response.status_code} {location}")
    sql = [q["sql"] for q in captured.captured_queries]
    return CheckoutPost(response.status_code, len(sql), location, sql)


# --- concurrency -----------------------------------------------------------------------------


@dataclass
class ConcurrencyRun:
    """``threads`` buyers placing orders for ``seconds`` (or until refused, for the last units).

    Latency is wall time of ``order_place`` alone; ``orders_per_s`` counts orders over the whole run,
    including each thread refilling its cart (one INSERT) between orders.
    """

    name: str
    threads: int
    seconds: float
    lines_per_order: int
    processes: bool = True
    orders: int = 0
    warmup_orders: int = 0
    refusals: int = 0
    errors: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0
    process_cpu_seconds: float = 0.0
    orders_per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    orders_in_database: int = 0
    units_sold: int = 0
    oversold_units: int = 0
    negative_stock: int = 0
    stock_mismatches: list[str] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        """Every placed order is in the database once, stock moved by exactly what the orders took."""
        return (
            self.orders + self.warmup_orders == self.orders_in_database
            and self.oversold_units == 0
            and self.negative_stock == 0
            and not self.stock_mismatches
        )

    def as_dict(self) -> dict[str, object]:
        return asdict(self) | {"consistent": self.consistent}


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0–100) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def run_concurrent(
    ds: Dataset,
    name: str,
    lines_for: Callable[[int, int], list[tuple[Product, Decimal]]],
    *,
    threads: int = THREADS,
    seconds: float = 10.0,
    until_refused: bool = False,
    processes: bool = True,
) -> ConcurrencyRun:
    """``threads`` buyers, each its own database connection, released together at a barrier.

    ``processes`` (the default) runs each buyer in a forked process, as gunicorn's workers would serve
    them; otherwise threads of this process share one interpreter (the GIL caps them at one core).
    ``lines_for(buyer, n)`` gives the n-th order's lines of a buyer. A refusal other than
    ``InsufficientStock`` or any other exception is an error. ``until_refused``: each buyer stops at
    its first refusal instead of at the deadline.
    """
    from django.db import connections

    from pasar.catalog.models import Product
    from pasar.orders.models import Cart

    buyers = ds.buyers(threads, name)
    carts = {c.buyer_id: c for c in Cart.objects.filter(buyer__in=buyers, market=ds.market)}
    stocked_before = {
        pk: stock
        for pk, stock in Product.objects.filter(market=ds.market, stock__isnull=False).values_list("pk", "stock")
        if stock is not None
    }
    run = ConcurrencyRun(name, threads, seconds, len(lines_for(0, 0)), processes=processes)
    loop = BuyerLoop(ds, lines_for, until_refused)
    if processes:
        results, run.wall_seconds = _in_processes(loop, buyers, carts, threads, seconds, connections)
        run.process_cpu_seconds = sum(r.cpu_seconds for r in results)
    else:
        cpu_before = time.process_time()
        results, run.wall_seconds = _in_threads(loop, buyers, carts, threads, seconds)
        run.process_cpu_seconds = time.process_time() - cpu_before
    every = [ms for r in results for ms in r.latencies]
    run.refusals = sum(r.refusals for r in results)
    run.warmup_orders = sum(r.warmup_orders for r in results)
    run.errors = [e for r in results for e in r.errors]
    run.orders = len(every)
    run.orders_per_s = run.orders / run.wall_seconds if run.wall_seconds else 0.0
    run.p50_ms, run.p95_ms, run.p99_ms = (percentile(every, q) for q in (50, 95, 99))
    run.max_ms = max(every, default=0.0)
    _check_stock(run, buyers, stocked_before)
    return run


@dataclass
class LoopResult:
    latencies: list[float] = field(default_factory=list)
    warmup_orders: int = 0
    refusals: int = 0
    errors: list[str] = field(default_factory=list)
    cpu_seconds: float = 0.0


@dataclass
class BuyerLoop:
    """One buyer's loop: refill the cart (not timed), place the order (timed), until the deadline."""

    ds: Dataset
    lines_for: Callable[[int, int], list[tuple[Product, Decimal]]]
    until_refused: bool

    def __call__(self, i: int, buyer: User, cart: Cart, start: Callable[[], float]) -> LoopResult:
        from django.db import connection

        from pasar.core.errors import DomainError
        from pasar.orders.services.placement import InsufficientStock, order_place

        result = LoopResult()
        n, refill = 0, True
        try:
            # Warm up before the barrier (not timed): a forked buyer's first orders pay for copying the
            # parent's memory pages and filling its caches, which a long-lived server worker paid long ago.
            # A failure here is reported, but the buyer still meets the barrier so the others are not held.
            try:
                for _ in range(0 if self.until_refused else WARMUP_ORDERS):
                    fill_cart(cart, self.lines_for(i, n))
                    order_place(buyer=buyer, checkout=checkout_for(self.ds.market))
                    result.warmup_orders, n = result.warmup_orders + 1, n + 1
            except Exception as exc:  # noqa: BLE001
                result.errors.append(f"warm-up: {type(exc).__name__}: {exc}")
                start()
                return result
            deadline = start()
            cpu_before = time.process_time()
            while self.until_refused or time.perf_counter() < deadline:
                if refill:
                    fill_cart(cart, self.lines_for(i, n))
                started = time.perf_counter()
                try:
                    order_place(buyer=buyer, checkout=checkout_for(self.ds.market))
                except InsufficientStock:
                    result.refusals += 1
                    refill = False
                    if self.until_refused:
                        break
                    continue
                except DomainError as exc:
                    result.errors.append(f"{exc.code}: {exc.message}")
                    break
                result.latencies.append((time.perf_counter() - started) * 1000)
                n, refill = n + 1, True
            result.cpu_seconds = time.process_time() - cpu_before
        except Exception as exc:  # noqa: BLE001 - every failure is reported, the run goes on
            result.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()
        return result


def _in_threads(
    loop: BuyerLoop, buyers: list[User], carts: dict[int, Cart], n: int, seconds: float
) -> tuple[list[LoopResult], float]:
    barrier = threading.Barrier(n + 1)
    deadline = [0.0]
    results: list[LoopResult] = [LoopResult() for _ in range(n)]

    def start() -> float:
        barrier.wait(timeout=60)
        return deadline[0]

    def work(i: int) -> None:
        results[i] = loop(i, buyers[i], carts[buyers[i].pk], start)

    workers = [threading.Thread(target=work, args=(i,), name=f"buyer-{i}") for i in range(n)]
    for worker in workers:
        worker.start()
    deadline[0] = time.perf_counter() + seconds
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    return results, time.perf_counter() - started


def _in_processes(
    loop: BuyerLoop, buyers: list[User], carts: dict[int, Cart], n: int, seconds: float, connections: Any
) -> tuple[list[LoopResult], float]:
    """Forked buyers (Linux): each opens its own connection; CLOCK_MONOTONIC is shared, so one deadline."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(n + 1)
    deadline = ctx.Value("d", 0.0)
    queue = ctx.Queue()

    def start() -> float:
        barrier.wait(timeout=60)
        return float(deadline.value)

    def work(i: int) -> None:
        queue.put((i, asdict(loop(i, buyers[i], carts[buyers[i].pk], start))))

    connections.close_all()  # a forked child must not share the parent's socket
    gc.freeze()  # the children's collections then leave the parent's objects (and their pages) alone
    workers = [ctx.Process(target=work, args=(i,), name=f"buyer-{i}") for i in range(n)]
    for worker in workers:
        worker.start()
    deadline.value = time.perf_counter() + seconds
    barrier.wait(timeout=60)
    started = time.perf_counter()
    collected = dict(queue.get(timeout=seconds + 300) for _ in range(n))
    wall = time.perf_counter() - started
    for worker in workers:
        worker.join()
    gc.unfreeze()
    return [LoopResult(**collected[i]) for i in range(n)], wall


def _check_stock(run: ConcurrencyRun, buyers: list[User], stocked_before: dict[int, int]) -> None:
    """Every counted product moved by exactly the units this run's order lines took, never below 0."""
    from pasar.catalog.models import Product
    from pasar.orders.models import Order, OrderLine

    run.orders_in_database = Order.objects.filter(buyer__in=buyers).count()
    taken: dict[int, int] = {}
    for product_id, units in OrderLine.objects.filter(part__order__buyer__in=buyers).values_list(
        "product_id", "stock_taken"
    ):
        taken[product_id] = taken.get(product_id, 0) + units
    after = {pk: stock or 0 for pk, stock in Product.objects.filter(pk__in=stocked_before).values_list("pk", "stock")}
    run.units_sold = sum(taken.get(pk, 0) for pk in stocked_before)
    for pk, before in stocked_before.items():
        now, sold = after[pk], taken.get(pk, 0)
        run.oversold_units += max(0, sold - before)
        run.negative_stock += now < 0
        if now != before - sold:
            run.stock_mismatches.append(f"product {pk}: {before} - {sold} sold = {before - sold}, stock {now}")


def concurrency(ds: Dataset, *, seconds: float, threads: int = THREADS, processes: bool = True) -> dict[str, Any]:
    """The runs: the bar's 3 × 5 order (1 buyer, then ``threads``), hot product, spread products, last units."""

    def full(i: int, n: int) -> list[tuple[Product, Decimal]]:
        # Each order: 3 stalls drawn per thread and order, so buyers sometimes share stalls (and stock rows).
        rng = random.Random(i * 100_003 + n)
        stalls = rng.sample(range(len(ds.stalls)), BAR_SHAPE[0])
        return [(p, p.quantity_min) for s in stalls for p in ds.stalls[s][: BAR_SHAPE[1]]]

    counted = [p for products in ds.stalls for p in products if p.stock is not None]
    if len(counted) < threads:
        raise RuntimeError(f"the spread run needs {threads} counted products, the market has {len(counted)}")

    def run(name: str, lines: Callable[[int, int], list[tuple[Product, Decimal]]], **kw: Any) -> ConcurrencyRun:
        kw.setdefault("threads", threads)
        return run_concurrent(ds, name, lines, processes=processes, **kw)

    runs = {}
    say(f"concurrency: 1 buyer × 3 stalls × 5 lines for {seconds / 2:g} s (uncontended baseline)")
    runs["serial"] = run("serial", full, threads=1, seconds=seconds / 2)
    say(f"concurrency: {threads} buyers × 3 stalls × 5 lines for {seconds:g} s")
    runs["full"] = run("full", full, seconds=seconds)
    say(f"concurrency: {threads} buyers, 1 unit of the same product, {seconds:g} s")
    runs["hot"] = run("hot", lambda i, n: [(ds.hot, Decimal(1))], seconds=seconds)
    say(f"concurrency: {threads} buyers, 1 unit of a product each, {seconds:g} s")
    runs["spread"] = run("spread", lambda i, n: [(counted[i], Decimal(1))], seconds=seconds)
    say(f"concurrency: {threads} buyers for the last {ds.last_units.stock} units")
    runs["last_units"] = run("last_units", lambda i, n: [(ds.last_units, Decimal(1))], until_refused=True)
    spread = runs["spread"].orders_per_s
    return {
        "threads": threads,
        "processes": processes,
        "seconds": seconds,
        "runs": {k: v.as_dict() for k, v in runs.items()},
        "hot_over_spread": runs["hot"].orders_per_s / spread if spread else None,
        "last_units_stock": ds.last_units.stock,
    }


# --- pages -----------------------------------------------------------------------------------


def buyer_page_queries(client: Client, path: str, **headers: str) -> PageQueries:
    """First and repeat GET of a logged-in buyer; writes of either are listed (as bench.queries does)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.queries import PageQueries

    with CaptureQueriesContext(connection) as first:
        client.get(path, headers=headers)
    with CaptureQueriesContext(connection) as second:
        response = client.get(path, headers=headers)
    sql = [q["sql"] for q in second.captured_queries]
    every = [q["sql"] for q in first.captured_queries] + sql
    writes = [s for s in every if s.lstrip().upper().startswith(WRITE_PREFIXES)]
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return PageQueries(path, response.status_code, len(sql), len(first.captured_queries), writes, sql)


@dataclass
class PageBuyer:
    """A buyer with both a placed order and a full cart of the same lines."""

    buyer: User
    order: Order
    lines: int
    client: Client

    def paths(self, market: Market) -> dict[str, tuple[str, dict[str, str]]]:
        order = self.order.get_absolute_url()
        return {
            "cart": (f"/keranjang/{market.slug}/", {}),
            "checkout": (f"/keranjang/{market.slug}/checkout/", {}),
            "order": (order, {}),
            "order-status": (order, {"HX-Request": "true"}),
            "orders": ("/pesanan/", {}),
            "carts": ("/keranjang/", {}),
        }


def page_buyer(ds: Dataset, shape: tuple[int, int], *, orders: int = 1) -> PageBuyer:
    """A buyer who placed ``orders`` orders of ``shape`` and holds a cart of the same lines again."""
    from django.test import Client

    from pasar.orders.services.placement import order_place

    buyer = ds.buyers(1, f"page {shape[0]}x{shape[1]}")[0]
    cart = buyer.carts.get()
    lines = ds.lines(*shape, offset=3)
    placed = None
    for _ in range(orders):
        fill_cart(cart, lines)
        placed = order_place(buyer=buyer, checkout=checkout_for(ds.market))
    assert placed is not None
    fill_cart(cart, lines)
    client = Client()
    client.force_login(buyer)
    return PageBuyer(buyer, placed, len(lines), client)


def page_queries(ds: Dataset) -> dict[str, Any]:
    """Each buyer page for a 1-line cart/order against a 30-line one (the order list: 1 order against 10)."""
    small, large = page_buyer(ds, SMALL_PAGE), page_buyer(ds, LARGE_PAGE, orders=10)
    out: dict[str, Any] = {
        "sizes": {
            "small": f"{small.lines} line, 1 stall; 1 order",
            "large": f"{large.lines} lines, {LARGE_PAGE[0]} stalls; 10 orders",
        },
        "pages": {},
    }
    small_paths, large_paths = small.paths(ds.market), large.paths(ds.market)
    for page, (path, headers) in small_paths.items():
        s = buyer_page_queries(small.client, path, **headers)
        large_path, large_headers = large_paths[page]
        big = buyer_page_queries(large.client, large_path, **large_headers)
        out["pages"][page] = {
            "constant": s.queries == big.queries,
            "writes": len(s.writes) + len(big.writes),
            "small": s.as_dict(),
            "large": big.as_dict(),
        }
    return out


@contextlib.contextmanager
def session_cookie(name: str, value: str) -> Iterator[None]:
    """Send the buyer's session cookie with every urllib request (bench.weight fetches through urlopen)."""
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", f"{name}={value}")]
    urllib.request.install_opener(opener)
    try:
        yield
    finally:
        urllib.request.install_opener(None)


def page_weights(ds: Dataset, data_dir: Path) -> dict[str, Any]:
    """First-visit weight of the buyer pages under gunicorn, logged in, for the 30-line cart and order."""
    from django.conf import settings

    from bench import server, weight

    buyer = page_buyer(ds, LARGE_PAGE)
    cookie = buyer.client.cookies[settings.SESSION_COOKIE_NAME].value
    paths = {k: v for k, v in buyer.paths(ds.market).items() if not v[1]}  # full pages, not the htmx fragment
    say("starting gunicorn for the page weights")
    gunicorn = server.start(env=dict(os.environ), log_dir=data_dir, ready_path=f"/pasar/{ds.market.slug}/")
    try:
        with session_cookie(settings.SESSION_COOKIE_NAME, cookie):
            for name, (path, _headers) in paths.items():
                # urllib follows redirects: a lost session would weigh the login page instead.
                with urllib.request.urlopen(gunicorn.base_url + path, timeout=30) as response:  # noqa: S310
                    if response.status != 200 or not response.geturl().endswith(path):
                        raise RuntimeError(f"{name}: {path} answered {response.status} at {response.geturl()}")
            found = {name: weight.page_weight(gunicorn.base_url, path).as_dict() for name, (path, _h) in paths.items()}
    finally:
        gunicorn.stop()
    return {"lines": buyer.lines, "weight": found}


# --- report ----------------------------------------------------------------------------------


def bars(results: dict[str, Any], backend: str) -> list[dict[str, Any]]:
    """Each order bar with its figure and pass/fail (None: a PostgreSQL bar read on SQLite, or not measured)."""
    out: list[dict[str, Any]] = []
    postgres = backend == "postgresql"

    def bar(name: str, value: Any, passed: bool | None, note: str = "") -> None:
        out.append({"bar": name, "value": value, "pass": passed, "note": note})

    pg_note = "" if postgres else "a PostgreSQL bar: figure for comparison"
    sql = results.get("placement_sql")
    if sql:
        n = sql["shapes"]["x".join(map(str, BAR_SHAPE))]["queries"]
        bar("placing one order across 3 stalls × 5 lines ≤ 40 SQL queries", n, n <= 40)
    conc = results.get("concurrency")
    if conc:
        runs = conc["runs"]
        p95 = runs["full"]["p95_ms"]
        bar(
            f"p95 ≤ 150 ms at {conc['threads']} concurrent buyers (3 × 5 lines, PostgreSQL)",
            f"{p95:.1f} ms",
            p95 <= 150 if postgres else None,
            pg_note,
        )
        rate = runs["hot"]["orders_per_s"]
        bar(
            "hot product ≥ 100 orders/s (PostgreSQL)",
            f"{rate:.0f} orders/s",
            rate >= 100 if postgres else None,
            pg_note,
        )
        oversold = sum(r["oversold_units"] + r["negative_stock"] for r in runs.values())
        consistent = all(r["consistent"] for r in runs.values())
        bar("0 oversold; stock moved by exactly the units ordered", oversold, oversold == 0 and consistent)
        last = runs["last_units"]
        bar(
            f"last units: exactly {conc['last_units_stock']} sold to {conc['threads']} buyers",
            last["units_sold"],
            last["units_sold"] == conc["last_units_stock"],
        )
        errors = sum(len(r["errors"]) for r in runs.values())
        bar("no errors besides 'not enough stock'", errors, errors == 0)
        ratio = conc["hot_over_spread"]
        bar("hot ÷ spread throughput (reported)", f"{ratio:.2f}" if ratio else "n/a", None)
    weights = (results.get("pages") or {}).get("weight")
    if weights:
        for page in ("cart", "checkout", "order"):
            total = weights[page]["total_bytes"]
            bar(f"{page} page first visit ≤ 40 KB (compressed, excl. photos)", f"{total / KB:.1f} KB", total <= 40 * KB)
        fonts = sorted({f for w in weights.values() for f in w["web_fonts"]})
        bar("no web fonts (cart, checkout, order)", ", ".join(fonts) or "none", not fonts)
        own = max(w["own_js_bytes"] for w in weights.values())
        bar("own JS ≤ 8 KB beyond htmx (cart, checkout, order)", f"{own / KB:.2f} KB", own <= 8 * KB)
    queries = (results.get("pages") or {}).get("queries")
    if queries:
        for page, c in queries["pages"].items():
            n = (c["small"]["queries"], c["large"]["queries"])
            bar(f"{page} page ≤ 6 SQL queries, constant in size", f"{n[0]} → {n[1]}", max(n) <= 6 and c["constant"])
        writes = sum(c["writes"] for c in queries["pages"].values())
        bar("no database writes on GET (buyer pages)", writes, writes == 0)
    return out


def print_report(report: dict[str, Any]) -> None:
    results = report["results"]
    d = results.get("dataset", {})
    print(
        f"\nOrders — {report['backend']}, market {d.get('market')}: {d.get('stalls')} stalls × "
        f"{d.get('products_per_stall')} products ({d.get('counted')} counted with stock, {d.get('weighed')} weighed)"
    )
    sql = results.get("placement_sql")
    if sql:
        print("\nSQL per order_place (in process, cart filled with cart_set):")
        for shape, s in sql["shapes"].items():
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(s["by_kind"].items()))
            print(f"  {shape:5} {s['stocked_lines']:>2} stocked lines  {s['queries']:>3} queries  ({kinds})")
        post = sql.get("checkout_post")
        if post:
            print(f"  checkout POST (test client, 3 × 5, action=place): {post['queries']} queries → {post['status']}")
    conc = results.get("concurrency")
    if conc:
        how = "forked processes" if conc.get("processes", False) else "threads in one process"
        print(f"\nConcurrency: {conc['threads']} buyers as {how}, own connection each; latency = order_place wall time")
        head = f"{'run':12}{'lines':>6}{'orders':>8}{'orders/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        print(head + f"{'max ms':>9}{'refused':>9}{'errors':>8}{'client CPU':>12}{'ms/order':>10}{'oversold':>10}")
        for name, r in conc["runs"].items():
            cpu = r["process_cpu_seconds"] * 1000 / r["orders"] if r["orders"] else 0.0
            cores = r["process_cpu_seconds"] / r["wall_seconds"] if r["wall_seconds"] else 0.0
            print(
                f"{name:12}{r['lines_per_order']:>6}{r['orders']:>8}{r['orders_per_s']:>10.1f}{r['p50_ms']:>9.1f}"
                f"{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['max_ms']:>9.1f}{r['refusals']:>9}{len(r['errors']):>8}"
                f"{cores:>10.2f} c{cpu:>10.1f}{r['oversold_units']:>10}"
            )
        ratio = conc["hot_over_spread"]
        last = conc["runs"]["last_units"]
        print(
            f"hot ÷ spread orders/s: {ratio:.2f}" if ratio else "hot ÷ spread: n/a",
            f"; last units: {last['units_sold']} of {conc['last_units_stock']} sold, {last['refusals']} refusals",
        )
        for name, r in conc["runs"].items():
            for error in r["errors"][:5]:
                print(f"  error in {name}: {error}")
            for mismatch in r["stock_mismatches"][:5]:
                print(f"  stock mismatch in {name}: {mismatch}")
    pages = results.get("pages")
    if pages:
        q = pages.get("queries")
        if q:
            s = q["sizes"]
            print(f"\nSQL per page, buyer logged in (repeat visit; first in brackets): small = {s['small']}, ", end="")
            print(f"large = {s['large']}")
            for page, c in q["pages"].items():
                print(
                    f"{page:14} small {c['small']['queries']} ({c['small']['first_queries']})  "
                    f"large {c['large']['queries']} ({c['large']['first_queries']})  writes {c['writes']}"
                )
        w = pages.get("weight")
        if w:
            print(f"\n{'first visit':14}{'HTML':>8}{'CSS':>8}{'htmx':>8}{'own JS':>8}{'total KB':>10}")
            for name, pw in w.items():
                print(
                    f"{name:14}{pw['html_bytes'] / KB:>8.1f}{pw['css_bytes'] / KB:>8.1f}{pw['htmx_bytes'] / KB:>8.1f}"
                    f"{pw['own_js_bytes'] / KB:>8.2f}{pw['total_bytes'] / KB:>10.1f}"
                )
            print(f"(cart and order of {pages['weight_lines']} lines)")
    print("\nBars")
    for b in report["bars"]:
        mark = {True: "PASS", False: "MISS", None: "n/a "}[b["pass"]]
        print(f"  {mark}  {b['bar']}: {b['value']}{'  — ' + b['note'] if b['note'] else ''}")


def environment_info() -> dict[str, Any]:
    from bench.run import environment_info as info

    return info() | {"database": environment.database_label()}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.orders", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL; default: SQLite in the data dir")
    parser.add_argument("--data-dir", help="data dir (SQLite file, static files); default: a cache under the temp dir")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per timed concurrency run (default 10)")
    parser.add_argument("--threads", type=int, default=THREADS, help="concurrent buyers (default 8)")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="buyers as threads of this process (GIL-bound), not forked processes",
    )
    parser.add_argument("--stalls", type=int, default=24)
    parser.add_argument("--products", type=int, default=8, help="products per stall (at least 5)")
    parser.add_argument("--skip-weight", action="store_true", help="no gunicorn: SQL and concurrency only")
    parser.add_argument("--keep", action="store_true", help="leave the market, orders and buyers in the database")
    parser.add_argument("--output", help="JSON file (default: bench/results/orders-<backend>.json)")
    parser.add_argument("--show", metavar="JSON", help="print the report of an earlier run's JSON file and exit")
    return parser.parse_args(argv)


def measure(
    ds: Dataset,
    *,
    seconds: float,
    threads: int,
    data_dir: Path | None,
    skip_weight: bool = False,
    processes: bool = True,
) -> dict[str, Any]:
    """Every section on an existing dataset (the harness test calls it with a tiny one)."""
    from pasar.catalog.models import Product

    products = Product.objects.filter(market=ds.market).exclude(pk__in=[ds.hot.pk, ds.last_units.pk])
    results: dict[str, Any] = {
        "dataset": {
            "market": ds.market.slug,
            "stalls": len(ds.stalls),
            "products_per_stall": len(ds.stalls[0]),
            "counted": products.filter(stock__isnull=False).count(),
            "weighed": products.filter(weighed=True).count(),
        }
    }
    say("SQL per placement")
    shapes = {f"{s}x{n}": placement_queries(ds, s, n).as_dict() for s, n in SQL_SHAPES}
    results["placement_sql"] = {"shapes": shapes, "checkout_post": checkout_post_queries(ds).as_dict()}
    say("SQL per buyer page")
    results["pages"] = {"queries": page_queries(ds)}
    if not skip_weight and data_dir is not None:
        weights = page_weights(ds, data_dir)
        results["pages"] |= {"weight": weights["weight"], "weight_lines": weights["lines"]}
    results["concurrency"] = concurrency(ds, seconds=seconds, threads=threads, processes=processes)
    return results


def main(argv: list[str] | None = None) -> int:
    import json

    args = parse_args(argv)
    if args.show:
        print_report(json.loads(Path(args.show).read_text()))
        return 0
    default_dir = Path(tempfile.gettempdir()) / "pasar-bench" / ("orders-postgresql" if args.database_url else "orders")
    data_dir = environment.configure(data_dir=args.data_dir or default_dir, database_url=args.database_url)
    backend = environment.backend()
    say(f"{backend}: {environment.database_label()}; data dir {data_dir}")
    environment.migrate()
    if removed := cleanup():
        say(f"removed an earlier orders run ({removed} rows)")
    from django.core.management import call_command

    say("collectstatic")  # the pages link hashed static names, in process as under gunicorn
    call_command("collectstatic", interactive=False, verbosity=0)
    say(f"building market {MARKET_SLUG}: {args.stalls} stalls × {args.products} products")
    ds = build(stalls=args.stalls, products=args.products)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        results = measure(
            ds,
            seconds=args.seconds,
            threads=args.threads,
            data_dir=data_dir,
            skip_weight=args.skip_weight,
            processes=not args.in_process,
        )
    finally:
        if not args.keep:
            say("removing the orders market, its orders and buyers")
            cleanup()
    results["environment"] = environment_info()
    results["measured_at"] = started
    report = {
        "backend": backend,
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "results": results,
        "bars": bars(results, backend),
    }
    output = Path(args.output) if args.output else RESULTS_DIR / f"orders-{backend}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print_report(report)
    print(f"\nJSON: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
