import csv
import os
import sqlite3
import subprocess
import sys
from importlib import resources

import pytest
from django.core.management import call_command

from pasar.accounts.models import User
from pasar.core.phone import display_phone
from pasar.demo.services import ROLE_LOGINS, bapanas_latest_prices
from pasar.markets.models import Market
from pasar.testing import factories
from pasar.traders.models import Stall

BAPANAS_CSV = "bapanas_harga_konsumen_kota_bandung_2025-09-13_2025-11-16.csv"
BAWANG_MERAH_BAPANAS_ID = 30


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
