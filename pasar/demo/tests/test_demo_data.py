"""The demo data itself: loaded once for the whole module (a load takes a quarter of a minute, and every
test here only reads it), on one xdist worker, and flushed when the module ends."""

import io
from collections import defaultdict

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from pasar.accounts.models import OfficerAssignment, User
from pasar.catalog.models import Product
from pasar.demo.markets import MARKETS
from pasar.demo.services import DEMO_PASSWORD, ROLE_LOGINS
from pasar.demo.tests.test_demo import BAWANG_MERAH_BAPANAS_ID, latest_nonzero_price
from pasar.markets.models import Market, MarketRole
from pasar.testing.clock import TEST_NOW
from pasar.traders.models import Stall

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_data")]

HISTORY = 2


@pytest.fixture(scope="module")
def _demo_database(django_db_setup, django_db_blocker):
    """Committed outside the tests' transactions, so each test's own writes roll back and the data stays."""
    out = io.StringIO()
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock():
        with fast_hasher, time_machine.travel(TEST_NOW, tick=True):  # the tests' clock: "yesterday" is theirs
            call_command(
                "load_demo", history_days=HISTORY, stdout=out
            )  # a short history: the command test has the full one
        yield out.getvalue()
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def loaded(_demo_database, db):
    return _demo_database


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


def test_the_demo_buyer_may_pay_a_restaurants_orders_on_tempo_at_the_first_market(loaded):
    from pasar.business.models import PaymentTerms
    from pasar.orders import payment_terms

    buyer = User.objects.get(phone={role: phone for role, phone, _name in ROLE_LOGINS}["buyer"])
    first, second = (Market.objects.get(name=m.name) for m in MARKETS[:2])

    terms = payment_terms.tempo_terms(buyer=buyer, market=first)

    assert terms is not None
    assert terms.days == 14
    assert PaymentTerms.objects.get(market=first).credit_limit == 5_000_000
    assert [b.name for b in buyer.businesses.all()] == ["Rumah Makan Sari Rasa"]
    assert payment_terms.tempo_terms(buyer=buyer, market=second) is None
