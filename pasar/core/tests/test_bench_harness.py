"""The benchmark harness (bench/) on a tiny dataset, so it cannot silently rot. No timings asserted."""

import os

import pytest

from bench import floor
from bench.generate import Shape, dataset_matches, generate, market_slug, probe_products, probe_slug
from bench.load import parse_wrk
from bench.queries import page_queries
from bench.run import bars
from bench.search import measure, query_list
from bench.server import proc_cpu_seconds
from bench.weight import _Assets, _css_fonts
from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.catalog.search import product_search_text
from pasar.markets.models import Market
from pasar.traders.models import Stall, Trader

TINY = Shape(markets=2, stalls=3, products=2)


def _snapshot():
    return list(
        Product.objects.order_by("pk").values_list("market__slug", "stall__name", "name", "price", "unit", "available")
    )


@pytest.mark.django_db
def test_generate_makes_the_shape_with_real_search_text():
    summary = generate(TINY)

    assert (summary.markets, summary.stalls, summary.products) == (2, 6, 12)
    assert summary.slugs == ["bench-0001", "bench-0002"]
    assert Market.objects.count() == 2
    assert Stall.objects.count() == 6
    assert Trader.objects.count() == 6
    assert Product.objects.count() == 12 == TINY.total_products
    for product in Product.objects.select_related("commodity", "stall"):
        commodity = product.commodity
        expected = product_search_text(
            name=product.name,
            commodity_name=commodity.name if commodity else "",
            synonyms=commodity.synonyms if commodity else "",
        )
        assert product.search_text == expected
        assert product.market_id == product.stall.market_id
    assert dataset_matches(TINY)
    assert not dataset_matches(Shape(markets=2, stalls=3, products=3))


@pytest.mark.django_db
def test_generate_is_deterministic_for_a_seed():
    generate(TINY)
    first = _snapshot()
    Product.objects.all().delete()
    Stall.objects.all().delete()
    Trader.objects.all().delete()
    User.objects.all().delete()
    Market.objects.all().delete()

    generate(TINY)

    assert _snapshot() == first


@pytest.mark.django_db
def test_probe_markets_have_their_own_stall_count():
    shape = Shape(markets=1, stalls=2, products=1, probes=(3,))

    generate(shape)

    probe = Market.objects.get(slug=probe_slug(3))
    assert Stall.objects.filter(market=probe).count() == 3
    assert Product.objects.filter(market=probe).count() == 3 * probe_products(3) == 6
    assert shape.total_products == 2 + 6


@pytest.mark.django_db
@pytest.mark.urls("bench.urls")
def test_floor_market_shows_the_stalls_in_one_query(client, django_assert_num_queries):
    generate(TINY)
    market = Market.objects.get(slug=market_slug(0))
    stalls = list(Stall.objects.filter(market=market))

    with django_assert_num_queries(1):
        response = client.get(f"/_floor/market/{market.slug}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert market.name in html
    for stall in stalls:
        assert f'<a href="/lapak/{stall.pk}/">{stall.name}</a>' in html
    assert client.get("/_floor/market/no-such-market/").status_code == 404


@pytest.mark.django_db
@pytest.mark.urls("bench.urls")
def test_floor_stall_shows_the_products_in_one_query(client, django_assert_num_queries):
    generate(TINY)
    stall = Stall.objects.earliest("pk")

    with django_assert_num_queries(1):
        response = client.get(f"/_floor/stall/{stall.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    for product in Product.objects.filter(stall=stall):
        assert f'<a href="/produk/{product.pk}/">{product.name}</a>' in html
    Product.objects.filter(stall=stall).delete()
    with django_assert_num_queries(2):
        assert client.get(f"/_floor/stall/{stall.pk}/").status_code == 200
    assert client.get("/_floor/stall/999999/").status_code == 404


@pytest.mark.django_db
@pytest.mark.urls("bench.urls")
def test_page_queries_counts_and_lists_writes():
    generate(TINY)

    found = page_queries(f"/_floor/market/{market_slug(0)}/")

    assert (found.status, found.queries, found.first_queries, found.writes) == (200, 1, 1, [])


@pytest.mark.django_db
def test_search_measure_runs_every_query():
    generate(TINY)

    result = measure(market_slugs=[market_slug(0), market_slug(1)], size=12, warmup=2)

    assert result.queries == 12
    assert result.products_total == 12
    assert result.markets == 2
    assert [t.query for t in result.named] == ["cabe", "brambang", "bawang merh"]


def test_query_list_is_deterministic_and_starts_with_the_named_queries():
    queries = query_list(size=300)

    assert len(queries) == 300
    assert queries[:3] == [("synonym", "cabe"), ("synonym", "brambang"), ("typo", "bawang merh")]
    assert queries == query_list(size=300)
    assert {kind for kind, _ in queries} == {"synonym", "name", "common", "multi", "typo", "miss"}


def test_parse_wrk_reads_summary_and_script_line():
    output = """Running 5s test @ http://127.0.0.1:8000
  Latency Distribution
     50%    6.27ms
     99%  160.79us
  1382 requests in 2.01s, 1.64MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    686.75
BENCH_RESULT requests=1382 duration_us=2012386 p50_us=6269 p95_us=21809 p99_us=60786 max_us=224572 non2xx=3 \
socket_errors=0
"""
    figures = parse_wrk(output)

    assert figures["requests_per_s"] == 686.75
    assert figures["wrk_p50_ms"] == 6.27
    assert figures["wrk_p99_ms"] == pytest.approx(0.16079)
    assert figures["non_2xx"] == 3
    assert figures["requests"] == 1382
    assert figures["p95_us"] == 21809


def test_proc_cpu_seconds_handles_spaces_in_the_process_name():
    ticks = os.sysconf("SC_CLK_TCK")
    line = f"123 (gunicorn: worker [x]) S 1 2 3 4 5 6 7 8 9 10 {3 * ticks} {ticks} 0 0 20 0 1 0"

    assert proc_cpu_seconds(line) == 4.0


def test_asset_parser_finds_styles_scripts_fonts_and_inline_script():
    assets = _Assets()
    assets.feed(
        '<link rel="stylesheet" href="/static/a.css"><link rel="preload" as="font" href="/f.woff2">'
        '<script src="/static/htmx.min.js"></script><script>var x = 1;</script>'
    )

    assert assets.styles == ["/static/a.css"]
    assert assets.scripts == ["/static/htmx.min.js"]
    assert assets.fonts == ["/f.woff2"]
    assert assets.inline_script == len("var x = 1;")
    assert _css_fonts("http://h/static/a.css", "@font-face{src:url('f.woff2')} .x{background:url(i.png)}") == [
        "http://h/static/f.woff2"
    ]


def test_bars_read_the_figures():
    weight = {"total_bytes": 20_000, "own_js_bytes": 500, "web_fonts": []}
    comparison = {"small": {"queries": 3}, "large": {"queries": 3}, "constant": True, "writes": 0}
    results = {
        "pages": {
            "weight": {"market": weight, "stall": weight, "search": weight},
            "summary": {"ratios": {"market": {"cpu_ratio_median": 2.5}}},
        },
        "queries": {
            "comparisons": {"market": comparison, "floor-market": comparison},
            "search_queries": {"cabe": {"queries": 7, "writes": []}},
        },
        "search": {"1000000": {"products_total": 1_000_000, "p95_ms": 40.0}},
    }

    found = {b["bar"]: b["pass"] for b in bars(results, "postgresql")}

    assert found == {
        "market page first visit ≤ 40 KB (compressed, excl. photos)": True,
        "stall page first visit ≤ 40 KB (compressed, excl. photos)": True,
        "no web fonts": True,
        "own JS ≤ 8 KB beyond htmx": True,
        "market page CPU/request ≤ 2× floor": False,
        "market page ≤ 6 SQL queries, constant in page size": True,
        "search ≤ 6 SQL queries for every load query": False,
        "no database writes on GET": True,
        "search p95 ≤ 50 ms over 1,000,000 products (postgresql)": True,
    }


def test_floor_templates_compile():
    assert floor._template(floor.MARKET_TEMPLATE) is floor._template(floor.MARKET_TEMPLATE)
    assert floor._template(floor.STALL_TEMPLATE) is not None
