"""A market day under load: ``pasar serve`` (web + worker + scheduler) soaked with every role at once.

    uv run python -m bench.soak --minutes 1 --rate-multiplier 1 --markets 1          # SQLite, fresh data dir
    psql postgres://pasar:pasar@127.0.0.1:5432/postgres -c "CREATE DATABASE pasar_soak"
    uv run python -m bench.soak --database-url postgres://pasar:pasar@127.0.0.1:5432/pasar_soak \\
        --minutes 10 --rate-multiplier 10

Buyers browse, search and order across stalls (cash on delivery), traders accept, weigh and ready
their parts and save prices, couriers check in, take offers, pick up and hand over with the buyer's
code, an officer reads the dinas dashboards — real HTTP with a session per person, open-loop Poisson
arrivals (``bench.soak_plan``, ``bench.soak_load``). After the timed window the traders and couriers
carry on until every placed order is delivered and the task queue is empty; then the database is
checked (orders, ledger, stock) and RSS/CPU of every process is reported. Results:
``bench/results/soak-<backend>.json``; figures and their reading: the "Soak" section of bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

from bench import environment, soak_plan
from bench.server import free_port

RESULTS_DIR = Path(__file__).with_name("results")
SLUG_PREFIX = "soak-"
COURIER_PHONE_PREFIX = "+6288997"
BUYER_PHONE_PREFIX = "+6288996"
OFFICER_PHONE = "+628899500001"
COUNTED_STOCK = 500


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- processes -----------------------------------------------------------------------------------


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def process_roles(supervisor: int) -> dict[str, int]:
    """``supervisor``, ``gunicorn-master``, ``gunicorn-worker-N``, ``worker``, ``scheduler`` → pid."""
    roles = {"supervisor": supervisor}
    for child in children(supervisor):
        line = cmdline(child)
        if "--worker-only" in line:
            roles["worker"] = child
        elif "--scheduler-only" in line:
            roles["scheduler"] = child
        elif "gunicorn" in line or "--web-only" in line:
            roles["gunicorn-master"] = child
            for n, worker in enumerate(sorted(children(child)), start=1):
                roles[f"gunicorn-worker-{n}"] = worker
    return roles


def rss_by_role(supervisor: int) -> tuple[dict[str, int], dict[str, int]]:
    roles = process_roles(supervisor)
    return {r: kb for r, pid in roles.items() if (kb := rss_kb(pid)) is not None}, roles


def tree_cpu_seconds(supervisor: int) -> float:
    """CPU of the supervisor and every descendant, including descendants already gone (a parent's
    cutime/cstime holds its reaped children: gunicorn recycles workers after --max-requests)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, stack = 0, [supervisor]
    while stack:
        pid = stack.pop()
        try:
            fields = _stat(pid)
        except OSError:
            continue
        total += sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime, stime, cutime, cstime
        stack.extend(children(pid))
    return total / ticks


class BackendCpu:
    """CPU of the PostgreSQL backends serving the soak's database: sampled every few seconds (backends
    come and go with CONN_MAX_AGE), the last reading of each kept; at most one interval is lost per backend."""

    def __init__(self) -> None:
        import threading

        self.seen: dict[int, float] = {}
        self.first: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        from bench.server import database_backend_pids, proc_cpu_seconds

        for pid in database_backend_pids():
            try:
                cpu = proc_cpu_seconds(Path(f"/proc/{pid}/stat").read_text())
            except OSError:
                continue
            self.first.setdefault(pid, cpu)
            self.seen[pid] = cpu

    def _run(self) -> None:
        from django.db import connection

        while not self.stop.wait(3.0):
            try:
                self._sample()
            except Exception:  # noqa: S112 - a missed sample only loses a few seconds of a backend
                continue
        connection.close()

    def start(self) -> None:
        self._sample()  # backends already up count from now, not from their start
        self.thread.start()

    def seconds(self) -> float:
        self.stop.set()
        self.thread.join(timeout=10)
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.seen.items())


class Serve:
    """``pasar serve`` on a free port, against the soak's database, as production runs it."""

    def __init__(self, data_dir: Path, database_url: str | None, *, workers: int, collected: bool) -> None:
        self.port = free_port()
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PASAR_", "DJANGO_"))}
        self.env = base | {
            "DJANGO_SETTINGS_MODULE": "pasar.settings",
            "PASAR_DATA_DIR": str(data_dir),
            "PASAR_BACKUP_NIGHTLY": "0",
            "PASAR_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(environment.REPO_ROOT),
        }
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.log = data_dir / "serve.log"
        argv = [sys.executable, "-m", "pasar.cli", "serve", "--bind", f"127.0.0.1:{self.port}"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our interpreter and command
                [*argv, "--workers", str(workers), *(["--no-collectstatic"] if collected else [])],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, timeout: float = 600) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pasar serve exited with {self.process.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=5) as r:  # noqa: S310
                    report: dict[str, Any] = json.loads(r.read())
                    if r.status == 200 and len(process_roles(self.process.pid)) >= 5:
                        return report
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"pasar serve not ready within {timeout:.0f} s; see {self.log}")

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.process.returncode


# --- dataset -------------------------------------------------------------------------------------


def build(*, markets: int, stalls: int, products: int, couriers: int, buyers: int, seed: int) -> dict[str, Any]:
    """``markets`` markets of one city (one kab/kota), open all day so the wall clock is always inside
    the ordering hours; counted goods carry a stock count; couriers, buyers and one officer."""
    from django.contrib.auth.hashers import make_password

    from bench.generate import Generator, prerequisites_load
    from pasar.accounts.models import OfficerAssignment, User
    from pasar.catalog.models import Product
    from pasar.markets.models import Market, MarketRole

    if Market.objects.exists():
        raise SystemExit("the soak needs an empty database (a fresh data dir, or a new PostgreSQL database)")
    say(f"building {markets} markets × {stalls} stalls × {products} products")
    prerequisites_load()
    generator = Generator(seed=seed)
    for i in range(markets):
        generator.market(slug=f"{SLUG_PREFIX}{i + 1:03d}", name_index=i, stalls=stalls, products=products, mix_offset=i)
    soak = Market.objects.filter(slug__startswith=SLUG_PREFIX)
    first = soak.order_by("slug").first()
    assert first is not None
    regency = first.region
    soak.update(
        region=regency, opens_at=dtime(0, 0), closes_at=dtime(23, 59), order_cutoff=dtime(23, 59), open_days="1234567"
    )
    Product.objects.filter(market__in=soak).update(available=True)
    Product.objects.filter(market__in=soak, weighed=False).update(stock=COUNTED_STOCK)
    unusable = make_password(None)
    people = []
    for m in range(soak.count()):
        people += [
            User(phone=f"{COURIER_PHONE_PREFIX}{m:03d}{c:02d}", name=f"Ojek {m + 1}-{c + 1}", password=unusable)
            for c in range(couriers)
        ]
        people += [
            User(phone=f"{BUYER_PHONE_PREFIX}{m:03d}{b:03d}", name=f"Pembeli {m + 1}-{b + 1}", password=unusable)
            for b in range(buyers)
        ]
    people.append(User(phone=OFFICER_PHONE, name="Petugas Dinas", password=unusable))
    User.objects.bulk_create(people, batch_size=2000)
    roles = []
    for m, market in enumerate(soak.order_by("slug")):
        for user in User.objects.filter(phone__startswith=f"{COURIER_PHONE_PREFIX}{m:03d}"):
            roles.append(MarketRole(user=user, market=market, role=MarketRole.Role.COURIER))
    MarketRole.objects.bulk_create(roles)
    province = regency.parent or regency
    OfficerAssignment.objects.create(user=User.objects.get(phone=OFFICER_PHONE), region=province, agency="Disperindag")
    return {"regency": regency.code, "province": province.code}


def sessions(users: list[Any]) -> dict[int, str]:
    """A logged-in session cookie per user, made the way a login makes it (session row + auth hash)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    out = {}
    for user in users:
        client.force_login(user)
        out[user.pk] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        client.cookies.clear()
    return out


def world(regions: dict[str, Any]) -> Any:
    from bench.soak_load import MarketPlan, Person, World, minimum_text
    from pasar.accounts.models import User
    from pasar.catalog.models import Product
    from pasar.markets.models import Market, MarketRole
    from pasar.orders.models import Order
    from pasar.traders.models import Stall

    markets = list(Market.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug"))
    stalls = list(Stall.objects.filter(market__in=markets).select_related("trader__user").order_by("pk"))
    couriers = list(MarketRole.objects.filter(market__in=markets, role="courier").select_related("user"))
    buyers = list(User.objects.filter(phone__startswith=BUYER_PHONE_PREFIX).order_by("phone"))
    officer = User.objects.get(phone=OFFICER_PHONE)
    cookies = sessions([s.trader.user for s in stalls] + [c.user for c in couriers] + buyers + [officer])
    person = {uid: Person(uid, cookie) for uid, cookie in cookies.items()}
    by_stall: dict[int, list[tuple[int, str]]] = {}
    for p in Product.objects.filter(market__in=markets, available=True).order_by("pk"):
        by_stall.setdefault(p.stall_id, []).append((p.pk, minimum_text(p.quantity_min)))
    plans = []
    for m, market in enumerate(markets):
        own = [s for s in stalls if s.market_id == market.pk and by_stall.get(s.pk)]
        plans.append(
            MarketPlan(
                slug=market.slug,
                stalls=[s.pk for s in own],
                products={s.pk: by_stall[s.pk] for s in own},
                traders={s.pk: person[s.trader.user_id] for s in own},
                buyers=[person[b.pk] for b in buyers if b.phone.startswith(f"{BUYER_PHONE_PREFIX}{m:03d}")],
                couriers=[person[c.user_id] for c in couriers if c.market_id == market.pk],
                lat=str(market.latitude + 0.01),
                lng=str(market.longitude),
            )
        )

    def handover_code(number: str) -> tuple[int, str] | None:
        row = Order.objects.filter(number=number).values_list("pk", "handover_code").first()
        return (row[0], row[1]) if row else None

    paths = ["/dinas/", f"/dinas/wilayah/{regions['province']}/", f"/dinas/wilayah/{regions['regency']}/"]
    paths += [f"/dinas/pasar/{m.slug}/" for m in markets[:3]]
    return World(plans, person[officer.pk], paths, handover_code)


def counted_stock() -> dict[int, int]:
    from pasar.catalog.models import Product

    rows = Product.objects.filter(market__slug__startswith=SLUG_PREFIX, stock__isnull=False)
    return {pk: int(stock or 0) for pk, stock in rows.values_list("pk", "stock")}


def tasks_pending() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()


def ledger(placed: int, stock_before: dict[int, int]) -> soak_plan.Ledger:
    from django.db.models import Sum

    from pasar.catalog.models import Product
    from pasar.orders.models import Order, OrderLine
    from pasar.payments.models import Entry, Posting

    orders = Order.objects.filter(market__slug__startswith=SLUG_PREFIX)
    delivered = list(orders.filter(state=Order.State.DELIVERED).values_list("pk", flat=True))
    entries = Entry.objects.filter(order__in=orders, kind=Entry.Kind.DELIVERED)
    unbalanced = entries.annotate(total=Sum("postings__amount")).exclude(total=0).count()
    taken = (
        OrderLine.objects.filter(part__order__in=orders, product_id__in=list(stock_before))
        .values("product_id")
        .annotate(n=Sum("stock_taken"))
    )
    after = dict(Product.objects.filter(pk__in=list(stock_before)).values_list("pk", "stock"))
    return soak_plan.Ledger(
        orders_placed_reported=placed,
        orders_in_database=orders.count(),
        delivered=delivered,
        with_entry=list(entries.values_list("order_id", flat=True)),
        entries_unbalanced=unbalanced,
        postings_total=int(Posting.objects.aggregate(t=Sum("amount"))["t"] or 0),
        stock_before=stock_before,
        stock_after=after,
        stock_taken={r["product_id"]: int(r["n"] or 0) for r in taken},
    )


# --- the run -------------------------------------------------------------------------------------


def schedule(soak: Any, sched: Any, w: Any, rates: soak_plan.Rates, window: float, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    planned: dict[str, int] = {}

    def plan(name: str, rate: float, job: Any) -> None:
        instants = soak_plan.arrivals(rate, window, rng)
        planned[name] = len(instants)
        for t in instants:
            sched.at(t, job)

    for market in w.markets:
        for courier in market.couriers:
            sched.at(rng.uniform(0, 10), lambda t, c=courier, m=market: soak.courier_start(c, m, t))
    plan("orders", rates.orders_per_s, soak.order)
    for kind, rate in rates.views_per_s.items():
        plan(kind, rate, soak.browse(kind))
    plan("price_saves", rates.price_saves_per_s, soak.price_save)
    plan("dashboard_reads", rates.dashboard_reads_per_s, soak.dashboard)
    return planned


def prepare(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    """Migrate, build the markets and collect static files, or reuse what ``--prepare-only`` left
    (a dataset untouched by orders): building is not part of the soak."""
    from django.core.management import call_command

    from pasar.markets.models import Market
    from pasar.orders.models import Order

    environment.migrate()
    first = Market.objects.filter(slug__startswith=SLUG_PREFIX).select_related("region__parent").first()
    if first is not None and not Order.objects.exists():
        say("reusing the prepared soak dataset")
        regency = first.region
        return {"regency": regency.code, "province": (regency.parent or regency).code}
    regions = build(
        markets=args.markets,
        stalls=args.stalls,
        products=args.products,
        couriers=args.couriers,
        buyers=args.buyers,
        seed=args.seed,
    )
    say("collectstatic (hashed, compressed), as pasar serve would")
    call_command("collectstatic", interactive=False, verbosity=0)
    (data_dir / "soak-static-collected").write_text("1")
    return regions


def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.soak_load import Http, Recorder, Scheduler, Soak

    data_dir = environment.configure(data_dir=args.data_dir, database_url=args.database_url)
    backend = environment.backend()
    say(f"{backend}: {environment.database_label()}; data dir {data_dir}")
    regions = prepare(args, data_dir)
    if args.prepare_only:
        return {}
    w = world(regions)
    traders = sum(len(m.traders) for m in w.markets)
    peak, mix = soak_plan.Peak(), soak_plan.Mix()
    rates = soak_plan.rates(peak, mix, multiplier=args.rate_multiplier, traders=traders)
    window = args.minutes * 60
    say(f"rate ×{args.rate_multiplier:g}: {rates.orders_per_s * 3600:,.0f} orders/h ({rates.orders_per_s:.3f}/s)")
    serve = Serve(
        data_dir, args.database_url, workers=args.workers, collected=(data_dir / "soak-static-collected").exists()
    )
    try:
        readiness = serve.wait_ready()
        say(f"pasar serve ready on :{serve.port} ({readiness})")
        rss_start, roles_start = rss_by_role(serve.process.pid)
        cpu_start, load_start = tree_cpu_seconds(serve.process.pid), os.getloadavg()
        stock_before = counted_stock()
        recorder = Recorder()
        sched = Scheduler(threads=args.threads)
        client = Http(serve.port, recorder, sched.now, window)
        soak = Soak(w, client, sched, window=window, polls=mix.order_polls)
        planned = schedule(soak, sched, w, rates, window, args.seed)
        say(f"soak for {args.minutes:g} min: planned {planned}")
        curve: list[dict[str, Any]] = []
        for minute in range(1, int(args.minutes) + 1):  # RSS each minute: warm-up, then flat or a leak
            sched.at(minute * 60 - 1, lambda t: curve.append({"t": round(t), **rss_by_role(serve.process.pid)[0]}))
        generator_cpu = time.process_time()
        db_cpu = BackendCpu() if backend == "postgresql" else None
        if db_cpu:
            db_cpu.start()
        sched.run_until(window)
        generator_cpu = time.process_time() - generator_cpu
        db_seconds = db_cpu.seconds() if db_cpu else None
        cpu_window, load_end = tree_cpu_seconds(serve.process.pid), os.getloadavg()
        rss_window, roles_window = rss_by_role(serve.process.pid)
        say(f"window over: {len(w.placed)} orders placed, {len(w.delivered)} delivered; draining")

        def all_delivered() -> bool:
            with w.lock:
                return bool(set(w.codes) <= w.delivered)

        sched.run_until(window + args.drain_seconds, lambda: all_delivered() and sched.idle())
        sched.close()
        deadline = time.monotonic() + 60
        while tasks_pending() and time.monotonic() < deadline:
            time.sleep(1)
        pending = tasks_pending()
        rss_end, roles_end = rss_by_role(serve.process.pid)
        drained_at = sched.now()
    finally:
        code = serve.stop()
    say(f"pasar serve stopped ({code}); checking the database")
    checks = ledger(len(w.placed), stock_before)
    problems = soak_plan.invariant_problems(checks)
    stats = soak_plan.summarize((s.action, s.ms, s.ok) for s in recorder.samples if s.measured)
    errors_all = sum(1 for s in recorder.samples if not s.ok)
    orders_in_window = sum(1 for s in recorder.samples if s.action == "place_order" and s.ok and s.measured)
    cpu = cpu_window - cpu_start
    return {
        "backend": backend,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["uv run python -m bench.soak", *sys.argv[1:]]),
        "shape": {k: getattr(args, k) for k in ("markets", "stalls", "products", "couriers", "buyers", "workers")},
        "peak": peak.as_dict(),
        "rates": rates.as_dict(),
        "planned": planned,
        "window_s": window,
        "drained_after_s": round(drained_at, 1),
        "tasks_pending_at_end": pending,
        "load_average": {"before": [round(x, 2) for x in load_start], "end_of_window": [round(x, 2) for x in load_end]},
        "cpus": os.cpu_count(),
        "requests": len(recorder.samples),
        "requests_in_window": sum(1 for s in recorder.samples if s.measured),
        "errors": errors_all,
        "failures": recorder.failures[:50],
        "counts": recorder.counts | {"visits_never_started": sched.unstarted_at_close},
        "undelivered_orders": sorted(set(w.codes) - w.delivered)[:50],
        "actions": {a: s.as_dict() for a, s in stats.items()},
        "orders": {
            "placed": len(w.placed),
            "placed_in_window": orders_in_window,
            "in_database": checks.orders_in_database,
            "delivered": len(checks.delivered),
            "with_ledger_entry": len(checks.with_entry),
            "postings_total": checks.postings_total,
            "entries_unbalanced": checks.entries_unbalanced,
            "counted_products": len(stock_before),
            "units_taken": sum(checks.stock_taken.values()),
        },
        "invariants_hold": not problems,
        "problems": problems,
        "app_cpu": {
            "seconds_in_window": round(cpu, 1),
            "cores": round(cpu / window, 3),
            "ms_per_request": round(1000 * cpu / max(1, sum(1 for s in recorder.samples if s.measured)), 2),
            "seconds_per_order": round(cpu / max(1, orders_in_window), 3),
            "note": "supervisor + gunicorn + worker + scheduler (incl. recycled workers); database CPU not included",
            "load_generator_cores": round(generator_cpu / window, 3),
            "database_seconds_in_window": round(db_seconds, 1) if db_seconds is not None else None,
            "database_cores": round(db_seconds / window, 3) if db_seconds is not None else None,
        },
        "rss_kb": {
            "start": soak_plan.rss_growth(rss_start, rss_window),
            "after_drain": soak_plan.rss_growth(rss_start, rss_end),
            "each_minute": curve,
            "pids": {"start": roles_start, "end_of_window": roles_window, "after_drain": roles_end},
        },
        "server_exit": code,
    }


def print_report(r: dict[str, Any]) -> None:
    print(
        f"\nSoak — {r['backend']}, {r['window_s'] / 60:g} min at ×{r['rates']['multiplier']:g} "
        f"({r['rates']['orders_per_s'] * 3600:,.0f} orders/h), {r['shape']['markets']} markets; "
        f"load average before {r['load_average']['before']}, end {r['load_average']['end_of_window']}"
    )
    print(f"{'action':18}{'count':>8}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for a in r["actions"].values():
        print(
            f"{a['action']:18}{a['count']:>8}{a['errors']:>8}{a['p50_ms']:>9.0f}{a['p95_ms']:>9.0f}"
            f"{a['p99_ms']:>9.0f}{a['max_ms']:>9.0f}"
        )
    o = r["orders"]
    print(
        f"orders: placed {o['placed']} (in window {o['placed_in_window']}), in database {o['in_database']}, "
        f"delivered {o['delivered']}, with ledger entry {o['with_ledger_entry']}; ledger sum {o['postings_total']}; "
        f"units taken {o['units_taken']} from {o['counted_products']} counted products"
    )
    print(f"errors (all requests, incl. drain): {r['errors']} of {r['requests']}; counts {r['counts']}")
    print(f"invariants: {'hold' if r['invariants_hold'] else 'BROKEN'} {r['problems']}")
    c = r["app_cpu"]
    print(
        f"app CPU: {c['cores']} cores, {c['ms_per_request']} ms/request, {c['seconds_per_order']} s/order; "
        f"database {c.get('database_cores')} cores; load generator {c.get('load_generator_cores')} cores"
    )
    print(f"{'process':20}{'RSS start kB':>14}{'end kB':>10}{'change':>9}{'after drain':>13}")
    for role, v in r["rss_kb"]["start"].items():
        drained = r["rss_kb"]["after_drain"].get(role, {}).get("end_kb")
        print(f"{role:20}{v['start_kb'] or 0:>14}{v['end_kb'] or 0:>10}{v['change_kb'] or 0:>9}{drained or 0:>13}")
    for f in r["failures"][:10]:
        print("  failure:", f)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", help="PostgreSQL URL of an empty database; default SQLite in a fresh data dir")
    p.add_argument("--data-dir", help="data dir (SQLite file, static files, serve.log); default a fresh temp dir")
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--rate-multiplier", type=float, default=10.0, help="× the busy city's peak hour")
    p.add_argument("--markets", type=int, default=40, help="markets the load is spread over (the city's 40)")
    p.add_argument("--stalls", type=int, default=24, help="stalls per market (on the platform)")
    p.add_argument("--products", type=int, default=8, help="products per stall")
    p.add_argument("--couriers", type=int, default=2, help="couriers per market")
    p.add_argument("--buyers", type=int, default=10, help="buyer accounts per market")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (pasar serve --workers)")
    p.add_argument("--threads", type=int, default=48, help="load generator threads")
    p.add_argument(
        "--drain-seconds", type=float, default=180.0, help="after the window: until every order is delivered"
    )
    p.add_argument("--seed", type=int, default=20261203)
    p.add_argument("--output", help="JSON path; default bench/results/soak-<backend>.json")
    p.add_argument("--show", help="print an earlier JSON report")
    p.add_argument("--prepare-only", action="store_true", help="build the dataset and static files, then stop")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.show:
        print_report(json.loads(Path(args.show).read_text()))
        return 0
    report = run(args)
    if args.prepare_only:
        return 0
    output = Path(args.output) if args.output else RESULTS_DIR / f"soak-{report['backend']}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n")
    print_report(report)
    print(f"\nJSON: {output}")
    return 0 if report["invariants_hold"] and not report["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
