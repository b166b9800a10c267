"""The order benchmark (bench/orders.py) on a tiny market, so it cannot silently rot. No timings asserted."""

import urllib.request

import pytest

from bench import orders
from bench.orders import (
    BIG_STOCK,
    LAST_UNITS,
    bars,
    build,
    checkout_post_queries,
    cleanup,
    concurrency,
    page_queries,
    percentile,
    placement_queries,
    session_cookie,
)
from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.markets.models import Market
from pasar.orders.models import Order, OrderLine
from pasar.traders.models import Stall


def _counted_stock(ds) -> int:
    return sum(s or 0 for s in Product.objects.filter(market=ds.market).values_list("stock", flat=True))


def _tiny():
    return build(stalls=6, products=5)


@pytest.mark.django_db
def test_build_makes_one_market_of_counted_and_weighed_goods_all_available():
    ds = _tiny()

    assert ds.market.slug == "bench-orders"
    assert [len(products) for products in ds.stalls] == [5] * 6
    products = Product.objects.filter(market=ds.market)
    assert products.count() == 6 * 5 + 2
    assert not products.filter(available=False).exists()
    assert not products.filter(weighed=False, stock__isnull=True).exists()
    assert not products.filter(weighed=True, stock__isnull=False).exists()
    assert (ds.hot.stock, ds.last_units.stock) == (BIG_STOCK, LAST_UNITS)
    assert all(p.phone.startswith("+6288999") for p in User.objects.filter(trader__isnull=False))
    with pytest.raises(ValueError, match="not enough for 7"):
        ds.lines(7, 1)


@pytest.mark.django_db
def test_cleanup_removes_the_market_its_orders_traders_and_buyers():
    ds = _tiny()
    placement_queries(ds, 1, 1)

    cleanup()

    assert not Market.objects.exists()
    assert not Stall.objects.exists()
    assert not Order.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_placement_queries_counts_the_statements_of_one_order():
    ds = _tiny()

    found = placement_queries(ds, 3, 5)

    order = Order.objects.get()
    assert order.parts.count() == 3
    assert OrderLine.objects.filter(part__order=order).count() == 15
    assert found.queries == len(found.sql) == sum(found.by_kind.values())
    assert found.stocked_lines == sum(1 for p, _q in ds.lines(3, 5) if p.stock is not None)
    # The counted rows are locked in one SELECT … FOR UPDATE and taken in one UPDATE, however many.
    assert found.stocked_lines > 1
    assert found.by_kind["UPDATE"] == 1
    [take] = [q for q in found.sql if q.lstrip().upper().startswith("UPDATE")]
    assert take.count("WHEN") == found.stocked_lines
    assert found.as_dict()["lines_per_stall"] == 5


@pytest.mark.django_db
def test_checkout_post_places_the_order_through_the_form():
    ds = _tiny()

    found = checkout_post_queries(ds)

    order = Order.objects.get()
    assert (found.status, found.redirect) == (302, order.get_absolute_url())
    assert found.queries == len(found.sql)
    assert OrderLine.objects.filter(part__order=order).count() == 15


@pytest.mark.django_db
def test_page_queries_compare_a_one_line_buyer_with_a_thirty_line_one():
    ds = _tiny()

    found = page_queries(ds)

    assert set(found["pages"]) == {"cart", "checkout", "order", "order-status", "orders", "carts"}
    for page in found["pages"].values():
        assert page["small"]["status"] == page["large"]["status"] == 200
        assert page["constant"] == (page["small"]["queries"] == page["large"]["queries"])
        assert page["writes"] == 0
    assert Order.objects.filter(buyer__name__startswith="Pembeli page 6x5").count() == 10


@pytest.mark.django_db(transaction=True)
def test_concurrency_runs_count_orders_and_check_stock():
    ds = _tiny()
    counted_before = _counted_stock(ds)

    # Threads: a forked child inherits pytest's open files and the test database's setup; the harness's
    # process mode is exercised by `python -m bench.orders` itself.
    found = concurrency(ds, seconds=0.3, threads=2, processes=False)

    runs = found["runs"]
    assert set(runs) == {"serial", "full", "hot", "spread", "last_units"}
    for run in runs.values():
        assert run["errors"] == []
        assert run["consistent"] is True
        assert run["oversold_units"] == run["negative_stock"] == 0
        # Warm-up orders (3 per buyer, before the timed run; none for the last units) are counted apart.
        assert run["warmup_orders"] == (0 if run["name"] == "last_units" else 3 * run["threads"])
        assert (
            run["orders"] + run["warmup_orders"]
            == run["orders_in_database"]
            == Order.objects.filter(buyer__name__contains=run["name"]).count()
        )
    assert runs["serial"]["threads"] == 1
    assert runs["full"]["lines_per_order"] == 15
    assert runs["hot"]["units_sold"] == runs["hot"]["orders"] + runs["hot"]["warmup_orders"]
    assert (runs["last_units"]["units_sold"], runs["last_units"]["refusals"]) == (LAST_UNITS, 2)
    ds.last_units.refresh_from_db()
    assert ds.last_units.stock == 0
    sold = sum(OrderLine.objects.values_list("stock_taken", flat=True))
    counted_after = _counted_stock(ds)
    assert counted_before - counted_after == sold
    spread = runs["spread"]["orders_per_s"]  # 0 when a loaded machine fits no order in the short window
    assert found["hot_over_spread"] == (runs["hot"]["orders_per_s"] / spread if spread else None)


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]

    assert (percentile(values, 50), percentile(values, 95), percentile(values, 100)) == (50.0, 95.0, 100.0)
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 95) == 0.0


def test_session_cookie_is_sent_by_urlopen_and_removed_after():
    with session_cookie("sessionid", "abc"):
        opener = urllib.request._opener  # type: ignore[attr-defined]
        assert opener.addheaders == [("Cookie", "sessionid=abc")]
    assert urllib.request._opener is None  # type: ignore[attr-defined]


def _run(**extra):
    base = {
        "orders_per_s": 120.0,
        "p95_ms": 90.0,
        "oversold_units": 0,
        "negative_stock": 0,
        "consistent": True,
        "errors": [],
        "units_sold": 50,
    }
    return base | extra


def test_bars_read_the_figures():
    weight = {"total_bytes": 20_000, "own_js_bytes": 370, "web_fonts": []}
    page = {"small": {"queries": 6}, "large": {"queries": 7}, "constant": False, "writes": 0}
    results = {
        "placement_sql": {"shapes": {"3x5": {"queries": 41}}},
        "concurrency": {
            "threads": 8,
            "last_units_stock": 50,
            "hot_over_spread": 0.5,
            "runs": {"full": _run(p95_ms=160.0), "hot": _run(), "spread": _run(), "last_units": _run(units_sold=49)},
        },
        "pages": {
            "weight": {"cart": weight, "checkout": weight, "order": weight | {"total_bytes": 41_000}},
            "queries": {"pages": {"order": page}},
        },
    }

    found = {b["bar"]: b["pass"] for b in bars(results, "postgresql")}
    on_sqlite = {b["bar"]: b["pass"] for b in bars(results, "sqlite")}

    assert found == {
        "placing one order across 3 stalls × 5 lines ≤ 40 SQL queries": False,
        "p95 ≤ 150 ms at 8 concurrent buyers (3 × 5 lines, PostgreSQL)": False,
        "hot product ≥ 100 orders/s (PostgreSQL)": True,
        "0 oversold; stock moved by exactly the units ordered": True,
        "last units: exactly 50 sold to 8 buyers": False,
        "no errors besides 'not enough stock'": True,
        "hot ÷ spread throughput (reported)": None,
        "cart page first visit ≤ 40 KB (compressed, excl. photos)": True,
        "checkout page first visit ≤ 40 KB (compressed, excl. photos)": True,
        "order page first visit ≤ 40 KB (compressed, excl. photos)": False,
        "no web fonts (cart, checkout, order)": True,
        "own JS ≤ 8 KB beyond htmx (cart, checkout, order)": True,
        "order page ≤ 6 SQL queries, constant in size": False,
        "no database writes on GET (buyer pages)": True,
    }
    assert on_sqlite["p95 ≤ 150 ms at 8 concurrent buyers (3 × 5 lines, PostgreSQL)"] is None
    assert on_sqlite["hot product ≥ 100 orders/s (PostgreSQL)"] is None


def test_run_hands_only_orders_to_bench_orders(monkeypatch):
    from bench import run

    seen: list[list[str]] = []

    def fake_main(argv: list[str]) -> int:
        seen.append(argv)
        return 0

    monkeypatch.setattr(orders, "main", fake_main)

    assert run.main(["--only", "orders", "--database-url", "postgres://x/y", "--seconds", "2"]) == 0

    assert seen == [["--database-url", "postgres://x/y", "--seconds", "2.0"]]
