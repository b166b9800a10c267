"""Registration of a person and stall, and list imports: all or nothing, checked against the database."""

import re

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password
from django.test import RequestFactory
from django.utils import translation

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.core.errors import DomainError
from pasar.markets.models import Category
from pasar.testing import factories
from pasar.traders import services
from pasar.traders.models import Stall, Trader, TraderImport
from pasar.traders.services import (
    ImportConflict,
    Registration,
    StallInput,
    trader_import_apply,
    trader_import_prepare,
    trader_register,
    trader_set_status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def _english():
    # Assertions read the English msgids; the site's default language is Indonesian.
    with translation.override("en"):
        yield


def counts():
    return (User.objects.count(), Trader.objects.count(), Stall.objects.count(), Product.objects.count())


def registration(market, *, phone="0812-7777-0001", number="5", consent=True):
    stall = StallInput(market=market, category=Category.objects.get(slug="sayur"), number=number, block="b", row="2")
    return Registration(name="Bu Euis", phone=phone, stall=stall, consent=consent)


def test_register_creates_user_trader_and_stall_without_products(market, vocabulary):
    operator = factories.user(name="Operator")
    before = counts()
    result = trader_register(data=registration(market), by=operator)
    assert re.fullmatch(r"\d{6}", result.pin or "")
    user = result.trader.user
    assert (user.phone, user.name) == ("+6281277770001", "Bu Euis")
    assert authenticate(RequestFactory().post("/akun/masuk/"), username="0812-7777-0001", password=result.pin) == user
    assert (result.trader.registered_by, result.trader.consent_recorded_by) == (operator, operator)
    assert result.trader.consent_at is not None
    assert user.must_change_password  # the operator chose the PIN: the trader chooses their own at first login
    assert (result.stall.block, result.stall.row, result.stall.number, result.stall.name) == (
        "B",
        "2",
        "5",
        "Bu's stall",
    )
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1, before[3])
    assert not result.stall.products.exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"phone": "12345"}, "phone_invalid"),
        ({"consent": False}, "consent_required"),
        ({"number": " "}, "stall_number_required"),
    ],
)
def test_register_refusals_write_nothing(market, vocabulary, changes, code):
    operator = factories.user()
    before = counts()
    with pytest.raises(DomainError) as error:
        trader_register(data=registration(market, **changes), by=operator)
    assert error.value.code == code
    assert counts() == before


def test_register_taken_stall_location_is_refused(market, vocabulary):
    operator = factories.user()
    trader_register(data=registration(market), by=operator)
    before = counts()
    with pytest.raises(DomainError) as error:
        trader_register(data=registration(market, phone="0812-7777-0002"), by=operator)
    assert (error.value.code, error.value.field) == ("stall_taken", "number")
    assert counts() == before


def test_register_existing_phone_adds_a_stall_without_a_new_pin(market, vocabulary):
    existing = factories.user(name="Pak Ujang", phone="+6281277770001")
    result = trader_register(data=registration(market), by=factories.user())
    assert result.pin is None
    assert result.trader.user == existing
    assert check_password(factories.PASSWORD, User.objects.get(pk=existing.pk).password)


def test_status_moves_forward_never_backwards(stall):
    trader = stall.trader
    trader_set_status(trader=trader, status=Trader.Status.TRAINED)
    trader_set_status(trader=trader, status=Trader.Status.ACTIVE)
    with pytest.raises(DomainError) as error:
        trader_set_status(trader=trader, status=Trader.Status.REGISTERED)
    assert error.value.code == "status_backwards"
    assert Trader.objects.get(pk=trader.pk).status == Trader.Status.ACTIVE


def test_first_move_past_registered_stamps_trained_at_once(stall):
    trader = stall.trader
    assert trader.trained_at is None
    trader_set_status(trader=trader, status=Trader.Status.TRAINED)
    first = Trader.objects.get(pk=trader.pk).trained_at
    assert first is not None

    trader_set_status(trader=trader, status=Trader.Status.ACTIVE)

    assert Trader.objects.get(pk=trader.pk).trained_at == first


def test_trained_at_on_a_registered_trader_is_refused_by_the_database(stall):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        Trader.objects.filter(pk=stall.trader_id).update(trained_at=timezone.now())


# --- import ---------------------------------------------------------------------------------

CSV = (
    b"Nama;No HP;Blok;Los;Nomor;Kategori;Jenis Lapak\n"
    b"Euis;0812-1000-0001;A;1;1;sayur;kios\n"
    b"Ujang;0812-1000-0002;A;1;2;Daging;\n"
    b"Siti;0812-1000-0003;A;1;1;ikan;\n"  # same stall as row 2
    b"Dedi;12345;A;1;4;sayur;\n"
)


@pytest.fixture
def operator(market):
    return factories.role_users(
        market=market,
        other_market=factories.market(name="Pasar Lain", regency_code="34.71"),
        stall=factories.stall(market=market, number="900"),
    ).operator


def prepared(market, operator, data=CSV):
    return trader_import_prepare(market=market, by=operator, filename="pedagang.csv", data=data)


def test_prepare_keeps_rows_and_writes_no_trader(market, vocabulary, operator):
    before = counts()
    trader_import = prepared(market, operator)
    assert counts() == before
    assert trader_import.status == TraderImport.Status.PENDING
    assert [(r["line"], [p["code"] for p in r["problems"]]) for r in trader_import.rows] == [
        (2, []),
        (3, []),
        (4, ["stall_duplicate"]),
        (5, ["phone_invalid"]),
    ]


def test_prepare_refuses_a_bad_file_and_writes_nothing(market, vocabulary, operator):
    with pytest.raises(DomainError) as error:
        prepared(market, operator, data=b"nama;telepon\n")
    assert (error.value.code, error.value.field) == ("columns_missing", "file")
    assert TraderImport.objects.count() == 0


def test_prepare_flags_stalls_already_in_the_market(market, vocabulary, operator):
    factories.stall(market=market, number="2")  # block A, los 1, number 2 — Ujang's row
    assert [p["code"] for p in prepared(market, operator).rows[1]["problems"]] == ["stall_taken"]


def test_apply_inserts_all_valid_rows_in_one_go(market, vocabulary, operator):
    trader_import = prepared(market, operator)
    imported = trader_import_apply(trader_import=trader_import, by=operator, consent=True)
    assert [(t.line, t.name, t.phone, t.location) for t in imported] == [
        (2, "Euis", "+6281210000001", "Blok A · Los 1 · No. 1"),
        (3, "Ujang", "+6281210000002", "Blok A · Los 1 · No. 2"),
    ]
    assert all(re.fullmatch(r"\d{6}", t.pin or "") for t in imported)
    stalls = Stall.objects.filter(market=market, trader__user__phone__startswith="+62812100").order_by("number")
    assert [(s.trader.user.name, s.number, s.category.slug, s.kind, s.name) for s in stalls] == [
        ("Euis", "1", "sayur", "kios", "Euis's stall"),
        ("Ujang", "2", "daging", "lapak", "Ujang's stall"),
    ]
    trader = stalls[0].trader
    assert (trader.status, trader.registered_by, trader.consent_recorded_by) == ("terdata", operator, operator)
    assert TraderImport.objects.get(pk=trader_import.pk).status == TraderImport.Status.APPLIED


def test_imported_pin_logs_in_and_is_rehashed_at_full_strength(market, vocabulary, operator, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    imported = trader_import_apply(trader_import=prepared(market, operator), by=operator, consent=True)
    user = User.objects.get(phone=imported[0].phone)
    assert f"${services.IMPORT_PIN_ITERATIONS}$" in user.password
    assert (
        authenticate(RequestFactory().post("/akun/masuk/"), username="081210000001", password=imported[0].pin) == user
    )
    assert "$1500000$" in User.objects.get(pk=user.pk).password
    assert user.must_change_password


def test_apply_twice_does_nothing_the_second_time(market, vocabulary, operator):
    trader_import = prepared(market, operator)
    trader_import_apply(trader_import=trader_import, by=operator, consent=True)
    before = counts()
    with pytest.raises(DomainError) as error:
        trader_import_apply(trader_import=TraderImport.objects.get(pk=trader_import.pk), by=operator, consent=True)
    assert error.value.code == "import_applied"
    stale = prepared(market, operator)
    TraderImport.objects.filter(pk=stale.pk).update(status=TraderImport.Status.APPLIED)
    with pytest.raises(DomainError):  # a stale object still meets the locked row's status
        trader_import_apply(trader_import=stale, by=operator, consent=True)
    assert counts() == before


def test_apply_revalidates_and_inserts_nothing_if_a_row_went_bad(market, vocabulary, operator):
    trader_import = prepared(market, operator)
    factories.stall(market=market, number="2")  # Ujang's stall registered after the upload
    before = counts()
    with pytest.raises(ImportConflict) as error:
        trader_import_apply(trader_import=trader_import, by=operator, consent=True)
    assert [(r.line, [p["code"] for p in r.problems]) for r in error.value.rows] == [(3, ["stall_taken"])]
    assert counts() == before
    assert TraderImport.objects.get(pk=trader_import.pk).status == TraderImport.Status.PENDING


def test_apply_needs_consent_and_the_uploader(market, vocabulary, operator):
    trader_import = prepared(market, operator)
    before = counts()
    with pytest.raises(DomainError) as error:
        trader_import_apply(trader_import=trader_import, by=operator, consent=False)
    assert error.value.code == "consent_required"
    with pytest.raises(DomainError) as error:
        trader_import_apply(trader_import=trader_import, by=factories.user(), consent=True)
    assert error.value.code == "not_owner"
    assert counts()[1:] == before[1:]


def test_apply_adds_a_stall_to_an_existing_account(market, vocabulary, operator):
    existing = factories.trader(name="Euis Lama", phone="+6281210000001")
    trader_import = prepared(market, operator)
    assert trader_import.rows[0]["notes"] == ["phone_known"]
    imported = trader_import_apply(trader_import=trader_import, by=operator, consent=True)
    assert (imported[0].name, imported[0].pin) == ("Euis Lama", None)
    assert list(existing.stalls.values_list("number", flat=True)) == ["1"]
    assert Trader.objects.filter(user__phone="+6281210000001").count() == 1


def test_apply_with_no_valid_rows_is_refused(market, vocabulary, operator):
    data = b"nama;hp;nomor;kategori\nEuis;123;1;sayur\n"
    with pytest.raises(DomainError) as error:
        trader_import_apply(trader_import=prepared(market, operator, data), by=operator, consent=True)
    assert error.value.code == "import_empty"
