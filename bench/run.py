"""The harness runner: dataset, server, load, and a report against the issue's bars.

    uv run python -m bench.run                                   # SQLite, 20 × 50 × 5 (+ probes)
    uv run python -m bench.run --quick                           # smoke test, under a minute
    uv run python -m bench.run --database-url postgres://pasar:pasar@127.0.0.1:5432/pasar_bench
    uv run python -m bench.run --products-total 1000000 --only search [--database-url ...]
    uv run python -m bench.run --only orders [--database-url ...]   # = python -m bench.orders

See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import environment
from bench.generate import Shape, market_slug, probe_products, probe_slug

RESULTS_DIR = Path(__file__).with_name("results")
PROBES = (10, 60)
# The 1,000,000-product shape: 250 stalls × 20 products = 5,000 products per market, a large pasar.
LARGE_STALLS, LARGE_PRODUCTS = 250, 20
LOAD_QUERIES = ["cabe", "brambang", "bawang merh", "telur", "kangkung yg seger", "ayam"]
KB = 1000
WIDTHS = (14, 10, 10, 9, 9, 9, 9, 10, 8)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL; default: SQLite in the data dir")
    parser.add_argument("--data-dir", help="data dir (SQLite file, static files); default: a cache under the temp dir")
    parser.add_argument("--markets", type=int)
    parser.add_argument("--stalls", type=int, help="stalls per market")
    parser.add_argument("--products", type=int, help="products per stall")
    parser.add_argument("--products-total", type=int, help="about N products, 250 stalls × 20 products per market")
    parser.add_argument("--quick", action="store_true", help="small dataset, 2 rounds of 3 s: a smoke test")
    parser.add_argument("--rounds", type=int, help="alternating rounds (default 3, quick 2)")
    parser.add_argument("--seconds", type=float, help="seconds per wrk run (default 5, quick 3)")
    parser.add_argument("--search-queries", type=int, default=300)
    parser.add_argument(
        "--only",
        choices=["all", "pages", "search", "orders"],
        default="all",
        help="pages: server, queries and weight; search: in-process search latency; "
        "orders: the order bars (bench.orders, its own market; not part of 'all')",
    )
    parser.add_argument("--fresh", action="store_true", help="regenerate the dataset even if a matching one exists")
    parser.add_argument("--output", help="JSON file (default: bench/results/latest-<backend>.json)")
    parser.add_argument("--show", metavar="JSON", help="print the report of an earlier run's JSON file and exit")
    return parser.parse_args(argv)


def shape_of(args: argparse.Namespace) -> Shape:
    if args.products_total:
        stalls, products = args.stalls or LARGE_STALLS, args.products or LARGE_PRODUCTS
        markets = args.markets or math.ceil(args.products_total / (stalls * products))
        return Shape(markets, stalls, products, probes=PROBES)
    if args.quick:
        return Shape(args.markets or 4, args.stalls or 20, args.products or 5, probes=PROBES)
    return Shape(args.markets or 20, args.stalls or 50, args.products or 5, probes=PROBES)


def data_dir_for(args: argparse.Namespace, shape: Shape) -> Path:
    if args.data_dir:
        return Path(args.data_dir)
    root = Path(tempfile.gettempdir()) / "pasar-bench"
    if args.database_url:
        return root / "postgresql-static"
    return root / f"sqlite-{hashlib.sha256(shape.marker().encode()).hexdigest()[:10]}"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- dataset ---------------------------------------------------------------------------------


def ensure_dataset(shape: Shape, *, fresh: bool) -> dict[str, Any]:
    from django.core.management import call_command

    from bench.generate import dataset_matches, generate
    from pasar.markets.models import Market

    environment.migrate()
    if not fresh and dataset_matches(shape):
        say(f"reusing dataset: {shape.total_products:,} products")
        return {"reused": True, "generate_seconds": None}
    if Market.objects.exclude(slug__startswith="bench-").exists():
        raise SystemExit("This database holds markets the harness did not make; give it an empty database.")
    if Market.objects.exists():
        say("flushing the previous benchmark dataset")
        call_command("flush", interactive=False, verbosity=0)
    say(
        f"generating {shape.markets} × {shape.stalls} × {shape.products} (+ probes {shape.probes}) "
        f"= {shape.total_products:,} products"
    )
    summary = generate(shape, progress=say)
    say(f"generated in {summary.seconds:.1f} s")
    return {"reused": False, "generate_seconds": round(summary.seconds, 1)}


def dataset_info(shape: Shape, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "markets": shape.markets,
        "stalls_per_market": shape.stalls,
        "products_per_stall": shape.products,
        "probes": list(shape.probes),
        "seed": shape.seed,
        "products_total": shape.total_products,
        "database": environment.database_label(),
        **extra,
    }


# --- in-process checks -----------------------------------------------------------------------


def first_stall_id(slug: str) -> int:
    from pasar.traders.models import Stall

    pk = Stall.objects.filter(market__slug=slug).order_by("pk").values_list("pk", flat=True).first()
    if pk is None:
        raise RuntimeError(f"market {slug} has no stall")
    return pk


def comparison_query(small: str, large: str) -> str:
    """A common word that finds products in both probe markets, so both pages take the same path."""
    from pasar.catalog.selectors import product_search
    from pasar.markets.models import Market

    markets = [Market.objects.get(slug=small), Market.objects.get(slug=large)]
    for word in ("cabe", "bawang", "ayam", "telur", "beras", "kangkung", "tahu"):
        if all(product_search(market=m, query=word) for m in markets):
            return word
    return "cabe"


def query_checks() -> dict[str, Any]:
    from bench.queries import compare, page_queries

    small, large = probe_slug(PROBES[0]), probe_slug(PROBES[-1])
    word = comparison_query(small, large)
    comparisons = [
        compare("market", f"/pasar/{small}/", f"/pasar/{large}/"),
        compare("stall", f"/lapak/{first_stall_id(small)}/", f"/lapak/{first_stall_id(large)}/"),
        compare("search", f"/pasar/{small}/cari/?q={quote(word)}", f"/pasar/{large}/cari/?q={quote(word)}"),
        compare("floor-market", f"/_floor/market/{small}/", f"/_floor/market/{large}/"),
        compare("floor-stall", f"/_floor/stall/{first_stall_id(small)}/", f"/_floor/stall/{first_stall_id(large)}/"),
    ]
    main = market_slug(0)
    searches = [page_queries(f"/pasar/{main}/cari/?q={quote(q)}") for q in LOAD_QUERIES]
    return {
        "sizes": {
            "small": f"{small}: {PROBES[0]} stalls × {probe_products(PROBES[0])} products",
            "large": f"{large}: {PROBES[-1]} stalls × {probe_products(PROBES[-1])} products",
            "search_word": word,
        },
        "comparisons": {c.page: c.as_dict() for c in comparisons},
        "search_queries": {q: s.as_dict() for q, s in zip(LOAD_QUERIES, searches, strict=True)},
    }


def search_latency(shape: Shape, size: int) -> dict[str, Any]:
    from bench.search import measure

    slugs = [market_slug(i) for i in range(shape.markets)]
    say(f"search latency: {size} queries over {len(slugs)} markets")
    return measure(market_slugs=slugs, size=size).as_dict()


# --- server ----------------------------------------------------------------------------------


def targets(shape: Shape) -> dict[str, list[str]]:
    main = market_slug(0)
    stall = first_stall_id(main)
    return {
        "floor-market": [f"/_floor/market/{main}/"],
        "market": [f"/pasar/{main}/"],
        "floor-stall": [f"/_floor/stall/{stall}/"],
        "stall": [f"/lapak/{stall}/"],
        "search": [f"/pasar/{main}/cari/?q={quote(q)}" for q in LOAD_QUERIES],
    }


def serve_and_measure(shape: Shape, data_dir: Path, *, rounds: int, seconds: float) -> dict[str, Any]:
    from bench import load, server, weight

    paths = targets(shape)
    say("starting gunicorn (2 sync workers, DEBUG off)")
    gunicorn = server.start(env=dict(os.environ), log_dir=data_dir, ready_path=paths["market"][0])
    try:
        weights = {name: weight.page_weight(gunicorn.base_url, p[0]).as_dict() for name, p in paths.items()}
        for p in paths.values():  # warm-up: imports, template caches, connections
            load.measure(gunicorn, p, seconds=1)
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in paths}
        for number in range(1, rounds + 1):
            for name, p in paths.items():
                result = load.measure(gunicorn, p, seconds=seconds)
                runs[name].append(result.as_dict())
                say(
                    f"round {number}/{rounds} {name:13} {result.requests_per_s:8.1f} req/s  "
                    f"p95 {result.p95_ms:7.1f} ms  CPU {_fmt(result.cpu_ms_per_request, 2)} ms/req "
                    f"(+ DB {_fmt(result.db_cpu_ms_per_request, 2)})"
                )
    finally:
        gunicorn.stop()
    return {
        "paths": paths,
        "weight": weights,
        "runs": runs,
        "rounds": rounds,
        "seconds": seconds,
        "threads": load.THREADS,
        "connections": load.CONNECTIONS,
    }


def summarize_load(measured: dict[str, Any]) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = measured["runs"]
    medians = {}
    for name, results in runs.items():
        medians[name] = {
            key: _median([r[key] for r in results])
            for key in (
                "cpu_ms_per_request",
                "db_cpu_ms_per_request",
                "total_cpu_ms_per_request",
                "requests_per_s",
                "p50_ms",
                "p95_ms",
                "requests",
            )
        } | {"non_2xx": sum(r["non_2xx"] for r in results), "socket_errors": sum(r["socket_errors"] for r in results)}
    ratios = {}
    for ours, floor in (("market", "floor-market"), ("stall", "floor-stall")):
        per_round = [
            o["total_cpu_ms_per_request"] / f["total_cpu_ms_per_request"]
            for o, f in zip(runs[ours], runs[floor], strict=True)
            if o["total_cpu_ms_per_request"] and f["total_cpu_ms_per_request"]
        ]
        ratios[ours] = {"cpu_ratio_median": _median(per_round), "cpu_ratio_rounds": per_round}
    return {"medians": medians, "ratios": ratios}


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


# --- report ----------------------------------------------------------------------------------


def environment_info() -> dict[str, Any]:
    import django

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], capture_output=True, text=True, cwd=environment.REPO_ROOT, timeout=10, check=False
            ).stdout.strip()
        except OSError:
            return ""

    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "machine": platform.machine(),
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(git("status", "--porcelain", "pasar")),
    }


def bars(results: dict[str, Any], backend: str) -> list[dict[str, Any]]:
    """Each bar of the issue with the measured figure and pass/fail (None: not measured)."""
    out: list[dict[str, Any]] = []

    def bar(name: str, value: Any, passed: bool | None, note: str = "") -> None:
        out.append({"bar": name, "value": value, "pass": passed, "note": note})

    pages = results.get("pages")
    if pages:
        w = pages["weight"]
        for page in ("market", "stall"):
            total = w[page]["total_bytes"]
            bar(f"{page} page first visit ≤ 40 KB (compressed, excl. photos)", f"{total / KB:.1f} KB", total <= 40 * KB)
        fonts = sorted({f for page in w.values() for f in page["web_fonts"]})
        bar("no web fonts", ", ".join(fonts) or "none", not fonts)
        own = max(w[p]["own_js_bytes"] for p in ("market", "stall", "search"))
        bar("own JS ≤ 8 KB beyond htmx", f"{own / KB:.2f} KB", own <= 8 * KB)
        ratio = pages["summary"]["ratios"]["market"]["cpu_ratio_median"]
        bar("market page CPU/request ≤ 2× floor", f"{ratio:.2f}×" if ratio else "n/a", ratio is not None and ratio <= 2)
    queries = results.get("queries")
    if queries:
        comps = {k: v for k, v in queries["comparisons"].items() if not k.startswith("floor")}
        for page, c in comps.items():
            n = (c["small"]["queries"], c["large"]["queries"])
            bar(
                f"{page} page ≤ 6 SQL queries, constant in page size", f"{n[0]} → {n[1]}", max(n) <= 6 and c["constant"]
            )
        named = max(s["queries"] for s in queries["search_queries"].values())
        bar("search ≤ 6 SQL queries for every load query", named, named <= 6)
        writes = sum(c["writes"] for c in queries["comparisons"].values())
        writes += sum(len(s["writes"]) for s in queries["search_queries"].values())
        bar("no database writes on GET", writes, writes == 0)
    limit = 50.0 if backend == "postgresql" else 150.0
    searches = results.get("search") or {}
    if searches:
        largest = searches[max(searches, key=int)]
        big = largest["products_total"] >= 1_000_000
        bar(
            f"search p95 ≤ {limit:.0f} ms over 1,000,000 products ({backend})",
            f"{largest['p95_ms']:.1f} ms over {largest['products_total']:,}",
            (largest["p95_ms"] <= limit) if big else None,
            "" if big else "dataset smaller than 1,000,000 products: run --products-total 1000000",
        )
    return out


def merge(path: Path, backend: str, sections: dict[str, Any]) -> dict[str, Any]:
    """Update the sections this run measured and keep the others (e.g. an earlier 1M search run)."""
    old: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    results = old.get("results", {})
    for key, value in sections.items():
        if key == "search":
            results.setdefault("search", {})[str(value["products_total"])] = value
        else:
            results[key] = value
    return {
        "backend": backend,
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "results": results,
        "bars": bars(results, backend),
    }


def print_report(report: dict[str, Any]) -> None:
    results = report["results"]
    pages = results.get("pages")
    if pages:
        d = pages["dataset"]
        print(
            f"\nPages — {report['backend']}, {d['markets']} markets × {d['stalls_per_market']} stalls × "
            f"{d['products_per_stall']} products ({d['products_total']:,}), wrk -t{pages['threads']} "
            f"-c{pages['connections']} -d{pages['seconds']:g}s, medians of {pages['rounds']} alternating rounds"
        )
        header = ("page", "CPU ms", "DB CPU ms", "× floor", "req/s", "p50 ms", "p95 ms", "KB first", "errors")
        print("".join(f"{h:{'<' if i == 0 else '>'}{w}}" for i, (h, w) in enumerate(zip(header, WIDTHS, strict=True))))
        ratios = pages["summary"]["ratios"]
        for name, m in pages["summary"]["medians"].items():
            ratio = ratios.get(name, {}).get("cpu_ratio_median")
            kb = pages["weight"][name]["total_bytes"] / KB
            print(
                f"{name:14}{_fmt(m['cpu_ms_per_request'], 2):>10}{_fmt(m.get('db_cpu_ms_per_request'), 2):>10}"
                f"{_fmt(ratio, 2, '×'):>9}"
                f"{_fmt(m['requests_per_s'], 0):>9}{_fmt(m['p50_ms'], 1):>9}{_fmt(m['p95_ms'], 1):>9}"
                f"{kb:>10.1f}{m['non_2xx'] + m['socket_errors']:>8}"
            )
        print(
            "CPU × floor per round: "
            + "; ".join(f"{page} " + " ".join(f"{r:.2f}" for r in v["cpu_ratio_rounds"]) for page, v in ratios.items())
        )
        print(f"\n{'first visit':14}{'HTML':>8}{'CSS':>8}{'htmx':>8}{'own JS':>8}{'total KB':>10}")
        for name, w in pages["weight"].items():
            print(
                f"{name:14}{w['html_bytes'] / KB:>8.1f}{w['css_bytes'] / KB:>8.1f}{w['htmx_bytes'] / KB:>8.1f}"
                f"{w['own_js_bytes'] / KB:>8.2f}{w['total_bytes'] / KB:>10.1f}"
            )
    queries = results.get("queries")
    if queries:
        s = queries["sizes"]
        print(f"\nSQL per page (repeat visit; first visit in brackets): small = {s['small']}, large = {s['large']}")
        for page, c in queries["comparisons"].items():
            print(
                f"{page:14} small {c['small']['queries']} ({c['small']['first_queries']})  "
                f"large {c['large']['queries']} ({c['large']['first_queries']})  writes {c['writes']}"
            )
        print("search " + ", ".join(f"{q!r}: {v['queries']}" for q, v in queries["search_queries"].items()))
    for total, sl in sorted((results.get("search") or {}).items(), key=lambda kv: int(kv[0])):
        print(
            f"\nSearch latency, product_search in process, {sl['queries']} queries, {int(total):,} products "
            f"({sl['products_per_market']:,.0f} per market): p50 {sl['p50_ms']:.1f} ms, p95 {sl['p95_ms']:.1f} ms, "
            f"p99 {sl['p99_ms']:.1f} ms, max {sl['max_ms']:.1f} ms; {sl['with_results']} with results\n"
            f"  process CPU per query (SQLite: includes the SQL): p50 {sl.get('cpu_p50_ms', 0):.1f} ms, "
            f"p95 {sl.get('cpu_p95_ms', 0):.1f} ms"
        )
        print("  by kind: " + ", ".join(f"{k} p95 {v['p95_ms']:.1f}" for k, v in sl["by_kind"].items()))
        print("  named: " + ", ".join(f"{t['query']!r} {t['ms']:.1f} ms ({t['results']})" for t in sl["named"]))
        print(
            "  slowest (wall/CPU ms): "
            + ", ".join(f"{t['query']!r} {t['ms']:.0f}/{t.get('cpu_ms', 0):.0f}" for t in sl["slowest"][:5])
        )
    print("\nBars")
    for b in report["bars"]:
        mark = {True: "PASS", False: "MISS", None: "n/a "}[b["pass"]]
        print(f"  {mark}  {b['bar']}: {b['value']}{'  — ' + b['note'] if b['note'] else ''}")


def _fmt(value: float | None, digits: int, suffix: str = "") -> str:
    return "–" if value is None else f"{value:.{digits}f}{suffix}"


def orders_main(args: argparse.Namespace) -> int:
    """``--only orders``: hand the shared flags to ``bench.orders`` (its own dataset and report)."""
    from bench import orders

    forwarded = [
        *(["--database-url", args.database_url] if args.database_url else []),
        *(["--data-dir", args.data_dir] if args.data_dir else []),
        *(["--seconds", str(args.seconds or (3.0 if args.quick else 10.0))]),
        *(["--output", args.output] if args.output else []),
    ]
    return orders.main(forwarded)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.show:
        print_report(json.loads(Path(args.show).read_text()))
        return 0
    if args.only == "orders":
        return orders_main(args)
    shape = shape_of(args)
    rounds = args.rounds or (2 if args.quick else 3)
    seconds = args.seconds or (3.0 if args.quick else 5.0)
    data_dir = environment.configure(data_dir=data_dir_for(args, shape), database_url=args.database_url)
    backend = environment.backend()
    say(f"{backend}: {environment.database_label()}; data dir {data_dir}")
    dataset = dataset_info(shape, ensure_dataset(shape, fresh=args.fresh))
    measured_at = datetime.now(UTC).isoformat(timespec="seconds")
    sections: dict[str, Any] = {}
    if args.only in ("all", "pages"):
        from django.core.management import call_command

        say("collectstatic")  # the pages link hashed static names, in process as under gunicorn
        call_command("collectstatic", interactive=False, verbosity=0)
        say("SQL per page (in process)")
        sections["queries"] = {"dataset": dataset, "measured_at": measured_at, **query_checks()}
        measured = serve_and_measure(shape, data_dir, rounds=rounds, seconds=seconds)
        sections["pages"] = {
            "dataset": dataset,
            "measured_at": measured_at,
            "environment": environment_info(),
            **measured,
            "summary": summarize_load(measured),
        }
    if args.only in ("all", "search"):
        sections["search"] = {
            "dataset": dataset,
            "measured_at": measured_at,
            "environment": environment_info(),
            **search_latency(shape, args.search_queries),
        }
    name = f"{'quick' if args.quick else 'latest'}-{backend}.json"
    output = Path(args.output) if args.output else RESULTS_DIR / name
    output.parent.mkdir(parents=True, exist_ok=True)
    report = merge(output, backend, sections)
    output.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print_report(report)
    print(f"\nJSON: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
