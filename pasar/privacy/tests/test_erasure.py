"""Erasure: the person disappears from every page and record, the money records stay and still balance."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client

from pasar.accounts import lockout
from pasar.accounts.models import PersonalDataAccess, User
from pasar.core.errors import DomainError
from pasar.markets.models import MarketRole
from pasar.notifications.models import Notification
from pasar.orders.models import Cart, Order
from pasar.orders.services.cart import cart_set
from pasar.payments.models import Account, Entry, Posting
from pasar.payments.selectors import ledger_imbalances
from pasar.payments.services import ledger_post_order
from pasar.payments.tests.scenario import courier_of, deliver, make_ready, two_stall_order
from pasar.privacy.models import DataRequest
from pasar.privacy.services import person_anonymise, request_open
from pasar.testing import factories

pytestmark = pytest.mark.django_db

NAME, PHONE = "Siti Rahmawati", "+6281399887766"
TRACES = [NAME, "Rahmawati", PHONE, "081399887766", "0813-9988-7766", "813-9988-7766", "99887766", "Cihapit 1"]


@pytest.fixture(autouse=True)
def _fake_provider(settings):
    settings.PASAR_PAYMENT_PROVIDER = "fake"


@pytest.fixture
def buyer():
    return factories.user(name=NAME, phone=PHONE)


@pytest.fixture
def delivered(market, buyer):
    courier = courier_of(market)
    order = deliver(make_ready(two_stall_order(market, method=Order.PaymentMethod.COD, buyer=buyer)), courier)
    assert ledger_post_order(order) is not None
    return order


def ledger_state():
    return (
        Entry.objects.count(),
        list(Posting.objects.order_by("pk").values_list("account_id", "amount")),
        Posting.objects.aggregate(total=Sum("amount"))["total"],
    )


def test_erasure_keeps_the_orders_and_a_balanced_ledger_under_a_pseudonym(market, buyer, delivered):
    admin = factories.user(is_staff=True, is_superuser=True)
    cart_set(buyer=buyer, product=factories.product(stall=factories.stall(market=market)), quantity=Decimal(1))
    Notification.objects.create(user=buyer, key="x", message="Pesanan %(n)s", params={"n": "1"})
    request = request_open(user=buyer, kind=DataRequest.Kind.DELETION)
    before = ledger_state()
    totals = list(Order.objects.filter(buyer=buyer).values_list("number", "goods_total", "delivery_fee", "state"))

    person_anonymise(user=buyer, by=admin)

    assert ledger_state() == before
    assert before[2] == 0
    assert ledger_imbalances() == []
    assert list(Order.objects.filter(buyer=buyer).values_list("number", "goods_total", "delivery_fee", "state")) == (
        totals
    )
    buyer.refresh_from_db()
    assert buyer.name.startswith("Pengguna terhapus #")
    assert (buyer.phone.startswith("+6200"), buyer.email, buyer.is_active, buyer.has_usable_password()) == (
        True, "", False, False,
    )  # fmt: skip
    order = Order.objects.get(pk=delivered.pk)
    assert (order.address, order.latitude, order.longitude) == ("", market.latitude, market.longitude)
    assert Account.objects.get(code=f"buyer:{buyer.pk}").name == buyer.name
    assert not Cart.objects.filter(buyer=buyer).exists()
    assert not Notification.objects.filter(user=buyer).exists()
    request.refresh_from_db()
    assert (request.status, request.handled_by) == (DataRequest.Status.DONE, admin)
    assert PersonalDataAccess.objects.filter(actor=admin, subject=buyer, action="erase").exists()


def test_no_page_shows_the_erased_buyers_name_or_phone(market, buyer, delivered, roles):
    admin = factories.user(is_staff=True, is_superuser=True)
    part = delivered.parts.select_related("stall__trader__user").first()
    trader = part.stall.trader.user
    courier = delivered.courier
    operator = roles.operator
    pages = {
        operator: [f"/pengelola/{market.slug}/pesanan/", f"/pengelola/{market.slug}/setoran/?day={delivered.for_date}",
                   f"/pengelola/{market.slug}/transfer/", f"/pengelola/{market.slug}/antrian/",
                   f"/pengelola/{market.slug}/hari-ini/"],
        trader: ["/pedagang/pesanan/", f"/pedagang/pesanan/{part.pk}/"],
        courier: ["/kurir/", "/kurir/antrian/"],
        admin: ["/admin/accounts/user/", f"/admin/accounts/user/{buyer.pk}/change/", "/admin/payments/account/",
                f"/admin/payments/account/?q={buyer.pk}", "/admin/privacy/datarequest/"],
    }  # fmt: skip
    seen_before = _shown(pages)
    assert any(NAME in body for body in seen_before.values())  # the check can fail: the name was there

    person_anonymise(user=buyer, by=admin)

    for url, body in _shown(pages).items():
        for trace in TRACES:
            assert trace not in body, (url, trace)


def _shown(pages):
    bodies = {}
    for who, urls in pages.items():
        client = Client()
        client.force_login(who)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            bodies[url] = response.content.decode()
    return bodies


def test_erasure_waits_for_orders_in_progress(market, buyer):
    two_stall_order(market, method=Order.PaymentMethod.COD, buyer=buyer)
    with pytest.raises(DomainError) as refused:
        person_anonymise(user=buyer, by=factories.user(is_staff=True))
    assert refused.value.code == "erase_orders_open"
    assert User.objects.get(pk=buyer.pk).name == NAME


def test_erasing_a_trader_or_courier_removes_roles_locks_and_list_rows(market, stall):
    from pasar.traders.services import trader_import_apply, trader_import_prepare

    operator = factories.user()
    MarketRole.objects.create(user=operator, market=market, role=MarketRole.Role.OPERATOR)
    data = b"nama,telepon,nomor,kategori\nIbu Imas,0812-7777-0001,B12,sayur\n"
    trader_import = trader_import_prepare(market=market, by=operator, filename="a.csv", data=data)
    trader_import_apply(trader_import=trader_import, by=operator, consent=True)
    imas = User.objects.get(phone="+6281277770001")
    MarketRole.objects.create(user=imas, market=market, role=MarketRole.Role.COURIER)
    anyone = Client()
    for _ in range(10):
        anyone.post("/akun/masuk/", {"username": imas.phone, "password": "salah-sekali"})
    assert lockout.lock_ends_at(phone="+6281277770001")

    person_anonymise(user=imas, by=factories.user(is_staff=True))

    trader_import.refresh_from_db()
    assert "Imas" not in str(trader_import.rows)
    assert "7777" not in str(trader_import.rows)
    assert not MarketRole.objects.filter(user=imas).exists()
    assert lockout.lock_ends_at(phone="+6281277770001") is None
    assert "Imas" not in imas.trader.stalls.get().name
