import csv
import os
import sqlite3
import subprocess
import sys
from collections import defaultdict
from importlib import resources

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from pasar.accounts.models import OfficerAssignment, User
from pasar.catalog.models import Product
from pasar.core.phone import display_phone
from pasar.demo.markets import MARKETS
from pasar.demo.services import DEMO_PASSWORD, ROLE_LOGINS, bapanas_latest_prices
from pasar.markets.models import Market, MarketRole
from pasar.testing import factories
from pasar.traders.models import Stall

BAPANAS_CSV = "bapanas_harga_konsumen_kota_bandung_2025-09-13_2025-11-16.csv"
BAWANG_MERAH_BAPANAS_ID = 30
HISTORY = 2


def latest_nonzero_price(commodity_id):
    """Read straight from the shipped CSV, independently of the loader's own parsing."""
    text = resources.files("pasar.demo").joinpath("data", BAPANAS_CSV).read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(text.splitlines()) if int(r["ID"]) == commodity_id and float(r["Harga"] or 0) > 0]
    return int(float(max(rows, key=lambda r: r["Timestamp"])["Harga"]))


def test_bapanas_latest_prices_skip_zero_no_data_days():
    prices = bapanas_latest_prices()
    assert prices[BAWANG_MERAH_BAPANAS_ID] == latest_nonzero_price(BAWANG_MERAH_BAPANAS_ID) == 45000
    assert all(price > 0 for price in prices.values())
    assert 102 not in prices or prices[102] > 0  # Jagung Tk Peternak is mostly 0 ("no data")


@pytest.fixture
def loaded(db, capsys):
    call_command("load_demo", history_days=HISTORY)  # a short history: the full one is the command test's
    return capsys.readouterr().out


def test_load_demo_creates_the_twelve_markets_with_stalls_in_several_categories(loaded):
    markets = list(Market.objects.order_by("name"))
    assert sorted(m.name for m in markets) == sorted(d.name for d in MARKETS)
    assert all(m.coordinates_approximate for m in markets)
    categories: defaultdict[int, set[str]] = defaultdict(set)
    stalls: defaultdict[int, int] = defaultdict(int)
    for market_id, category in Stall.objects.values_list("market_id", "category__slug"):
        categories[market_id].add(category)
        stalls[market_id] += 1
    for market in markets:
        assert stalls[market.pk] >= 17, market.name
        assert {"sayur", "bumbu", "daging", "ikan", "sembako", "buah"} <= categories[market.pk], market.name
    klewer = Market.objects.get(name="Pasar Klewer")
    assert Stall.objects.filter(market=klewer, category__slug="pakaian").count() == 3
    assert not Stall.objects.filter(products__isnull=True, category__slug__in=["sayur", "bumbu"]).exists()
    assert Product.objects.count() > 12 * 60


def test_load_demo_prices_follow_the_bapanas_series_and_the_market_factor(loaded):
    base = latest_nonzero_price(BAWANG_MERAH_BAPANAS_ID)
    factor = {d.name: d.price_factor for d in MARKETS}
    shallots = list(Product.objects.filter(commodity__name="Bawang Merah").select_related("market"))

    assert len(shallots) >= 6
    for product in shallots:
        expected = base * factor[product.market.name]
        assert abs(product.price - expected) <= 0.15 * expected, (product.market.name, product.price, expected)
        assert product.price % 500 == 0
        assert product.price_updated_at is not None
    assert not Product.objects.filter(price__lte=0).exists()


def test_load_demo_products_can_be_found_by_synonym(loaded):
    from pasar.catalog.selectors import product_search

    cihapit = Market.objects.get(name="Pasar Cihapit")
    found = product_search(market=cihapit, query="brambang")
    assert found
    assert {str(p.commodity) for p in found} == {"Bawang Merah"}


def test_load_demo_prints_one_working_login_per_role(loaded):
    lines = loaded.splitlines()
    assert [line.split()[0] for line in lines] == ["admin", "operator", "officer", "trader", "courier", "buyer"]
    assert [(line.split()[1]) for line in lines] == [phone for _role, phone, _name in ROLE_LOGINS]
    users = {}
    for role, phone, name in ROLE_LOGINS:
        local = "0" + phone.removeprefix("+62")
        user = authenticate(RequestFactory().post("/akun/masuk/"), username=local, password=DEMO_PASSWORD)
        assert isinstance(user, User), role
        assert user.name == name
        users[role] = user
    first = Market.objects.get(name=MARKETS[0].name)
    assert users["admin"].is_superuser
    assert MarketRole.objects.filter(user=users["operator"], market=first, role=MarketRole.Role.OPERATOR).exists()
    assert MarketRole.objects.filter(user=users["courier"], market=first, role=MarketRole.Role.COURIER).exists()
    assert OfficerAssignment.objects.get(user=users["officer"]).region == first.region.parent
    assert Stall.objects.filter(trader__user=users["trader"], market=first).count() == 1
    assert Product.objects.filter(stall__trader__user=users["trader"]).exists()
    assert not Stall.objects.filter(trader__user=users["buyer"]).exists()


@pytest.mark.django_db
def test_load_demo_is_skipped_when_the_database_has_markets(capsys):
    factories.market()
    users = User.objects.count()

    call_command("load_demo")

    assert capsys.readouterr().out == "Database already has markets; demo data not loaded.\n"
    assert Market.objects.count() == 1
    assert User.objects.count() == users
    assert not Stall.objects.exists()


def _run_demo(data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PASAR_", "DJANGO_SETTINGS"))}
    code = f"from pasar.cli import main; main(['pasar', 'demo', '--no-serve', '--data-dir', {str(data_dir)!r}])"
    return subprocess.run(  # noqa: S603 - the test's own interpreter and a fixed command
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_pasar_demo_command_prepares_a_sqlite_database_and_exits(tmp_path):
    data_dir = tmp_path / "demo"

    first = _run_demo(data_dir)

    assert first.returncode == 0, first.stderr
    assert "Loading demo data" in first.stdout
    for _role, phone, name in ROLE_LOGINS:
        assert f"{display_phone(phone)}  {name}" in first.stdout
    database = data_dir / "pasar.sqlite3"
    assert database.is_file()
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT COUNT(*) FROM markets_market").fetchone() == (12,)
        assert connection.execute("SELECT COUNT(*) FROM regions_region").fetchone() == (7837,)

    again = _run_demo(data_dir)

    assert again.returncode == 0, again.stderr
    assert f"Demo data already present in {data_dir}" in again.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT COUNT(*) FROM markets_market").fetchone() == (12,)


def test_load_demo_has_past_orders_the_ledger_and_dashboards_agree_with(loaded):
    from datetime import timedelta

    from django.db.models import Sum
    from django.utils import timezone

    from pasar.dashboards.models import DailyMarketStats, DailyRegionStats
    from pasar.orders.models import Order
    from pasar.payments.models import Entry
    from pasar.payments.selectors import ledger_imbalances

    delivered = Order.objects.filter(state=Order.State.DELIVERED)
    days = set(Order.objects.values_list("for_date", flat=True))
    today = timezone.localdate()
    assert days == {today - timedelta(days=n) for n in range(1, HISTORY + 1)}
    assert not Market.objects.filter(orders__isnull=True).exists()  # every market has a history
    # every delivered order is posted once, and the books balance
    assert Entry.objects.filter(kind=Entry.Kind.DELIVERED).count() == delivered.count() > 0
    assert ledger_imbalances() == []
    # the officer's province shows the same orders as its markets' rows
    officer = OfficerAssignment.objects.get()
    province_orders = DailyRegionStats.objects.filter(region=officer.region).aggregate(n=Sum("orders"))["n"]
    markets_orders = DailyMarketStats.objects.filter(market__region__parent=officer.region).aggregate(n=Sum("orders"))
    assert province_orders == markets_orders["n"] == Order.objects.filter(market__region__parent=officer.region).count()


@pytest.mark.django_db(transaction=True)
def test_pasar_demo_leaves_the_slow_half_to_the_worker(settings):
    """`pasar demo` is up before the price history and the past orders' ledger are summed: a queued task
    (run by the demo's worker) does that, and gives what the synchronous load gives."""
    from django_tasks_db.models import DBTaskResult

    from pasar.demo.services import demo_load
    from pasar.demo.tasks import demo_history_finish
    from pasar.orders.models import Order
    from pasar.payments.models import Entry
    from pasar.pricing.models import MarketCommodityPrice

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    demo_load(history_days=1, defer=True)

    queued = DBTaskResult.objects.get()
    assert queued.task_path == "pasar.demo.tasks.demo_history_finish"
    assert Order.objects.filter(state=Order.State.DELIVERED).exists()
    assert (Entry.objects.count(), MarketCommodityPrice.objects.count()) == (0, 0)

    demo_history_finish.call(*queued.args_kwargs["args"])

    assert Entry.objects.count() == Order.objects.filter(state=Order.State.DELIVERED).count()
    assert MarketCommodityPrice.objects.dates("date", "day").count() == 30


def test_load_demo_sells_chicken_parts_green_chillies_and_packaged_goods_for_chat_lists(loaded):
    from pasar.orders.services.shopping_list import PRODUCT, shopping_list_match

    market = Market.objects.get(name="Pasar Cikurubuk")
    buyer = User.objects.get(phone={role: phone for role, phone, _name in ROLE_LOGINS}["buyer"])
    text = "Bu, titip ya 🙏\npaha ayam 1 kg\ncabe ijo 1/4\nsantan kara 2\nindomie goreng 5\naqua 600ml 2 botol"

    lines = shopping_list_match(buyer=buyer, market=market, text=text).lines

    matched = {line.parsed.raw: str(line.product and line.product.commodity) for line in lines if line.kind == PRODUCT}
    assert matched == {
        "paha ayam 1 kg": "Paha Ayam",
        "cabe ijo 1/4": "Cabai Hijau",
        "santan kara 2": "Santan",
        "indomie goreng 5": "Mie Instan",
        "aqua 600ml 2 botol": "Air Mineral",
    }
    assert lines[0].parsed.chatter
    for name in ("Paha Ayam", "Ati Ampela", "Santan"):
        assert Product.objects.filter(commodity__name=name).values("market").distinct().count() == len(MARKETS)


def test_load_demo_dashboards_count_the_traders_registered_trained_and_active(loaded):
    """The demo's stalls predate its history, so yesterday's adoption snapshot counts them (the dashboards
    said "Pedagang: belum ada data")."""
    from django.db.models import Sum

    from pasar.dashboards.models import MarketAdoptionSnapshot

    totals = MarketAdoptionSnapshot.objects.aggregate(registered=Sum("registered"), active=Sum("active"))
    assert totals["registered"] == Stall.objects.values("trader").distinct().count()
    assert totals["active"] > 0


def test_load_demo_gives_klewer_batik_kain_and_daster_with_sizes_never_selling_a_parent(loaded):
    from pasar.orders.models import OrderLine

    klewer = Market.objects.get(name="Pasar Klewer")
    variants = list(Product.objects.filter(market=klewer, variant_of__isnull=False))
    parents = Product.objects.in_bulk({v.variant_of_id for v in variants if v.variant_of_id is not None})
    assert {"M", "L", "XL"} <= {v.size for v in variants}
    assert {p.name for p in parents.values()} & {"Daster Batik Rayon", "Kemeja Batik Cap Pria", "Kain Jarik Batik Cap"}
    for v in variants:
        parent = parents[v.variant_of_id or 0]
        assert v.stall_id == parent.stall_id
        assert v.name.startswith(f"{parent.name} — ")
    for parent in parents.values():  # each parent summarises its variants and is never sold itself
        assert (parent.stock, parent.available) == (0, False)
        assert parent.price == min(v.price for v in variants if v.variant_of_id == parent.pk)
    assert not OrderLine.objects.filter(product__in=parents.values()).exists()
    # Sizes cost more above L (more cloth), within one colour and motif.
    by_kind: defaultdict[tuple[int | None, str, str], dict[str, int]] = defaultdict(dict)
    for v in variants:
        by_kind[(v.variant_of_id, v.colour, v.motif)][v.size] = v.price
    assert all(sizes["XL"] >= sizes["L"] for sizes in by_kind.values() if {"L", "XL"} <= set(sizes))
    assert not Product.objects.filter(variant_of__isnull=False).exclude(market=klewer).exists()
