"""Onboarding a trader with the stall's first products: all or nothing, checked against the database."""

import re

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import translation

from pasar.accounts.models import User
from pasar.catalog.models import Commodity, Product
from pasar.catalog.services import ProductInput
from pasar.core.errors import DomainError
from pasar.markets.models import Category
from pasar.onboarding.services import MAX_FIRST_PRODUCTS, trader_onboard
from pasar.testing import factories
from pasar.traders.models import Stall, Trader
from pasar.traders.services import Registration, StallInput

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


def kangkung(price=3000):
    return ProductInput(name="Kangkung", unit="ikat", price=price)


def test_onboard_creates_user_trader_stall_and_products(market, vocabulary):
    operator = factories.user(name="Operator")
    rawit = Commodity.objects.get(name="Cabai Rawit Merah")
    products = [
        ProductInput(name="Cabai Rawit Merah", unit="kg", price=60000, commodity=rawit),
        ProductInput(name="Kangkung", unit="ikat", price=3000),
    ]
    result = trader_onboard(data=registration(market), products=products, by=operator)
    assert re.fullmatch(r"\d{6}", result.pin or "")
    user = result.trader.user
    assert (user.phone, user.name) == ("+6281277770001", "Bu Euis")
    assert authenticate(RequestFactory().post("/akun/masuk/"), username="0812-7777-0001", password=result.pin) == user
    assert (result.trader.registered_by, result.trader.consent_recorded_by) == (operator, operator)
    assert result.trader.consent_at is not None
    assert (result.stall.block, result.stall.row, result.stall.number, result.stall.name) == (
        "B",
        "2",
        "5",
        "Bu's stall",
    )
    assert list(result.stall.products.order_by("pk").values_list("name", "unit", "price", "commodity")) == [
        ("Cabai Rawit Merah", "kg", 60000, rawit.pk),
        ("Kangkung", "ikat", 3000, None),
    ]
    assert list(result.stall.products.values_list("market", flat=True)) == [market.pk, market.pk]


def test_onboard_without_products_registers_the_stall_alone(market, vocabulary):
    operator = factories.user()
    before = counts()
    result = trader_onboard(data=registration(market), products=[], by=operator)
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1, before[3])
    assert not result.stall.products.exists()


def test_onboard_with_a_bad_product_writes_nothing(market, vocabulary):
    before = counts()
    products = [kangkung(), ProductInput(name="Bayam", unit="ikat", price=0)]
    with pytest.raises(DomainError) as error:
        trader_onboard(data=registration(market), products=products, by=factories.user())
    assert error.value.code == "price_range"
    assert counts() == (before[0] + 1, *before[1:])  # only the operator made by factories.user()


def test_onboard_checks_products_before_the_person(market, vocabulary):
    operator = factories.user()
    before = counts()
    with pytest.raises(DomainError) as error:
        trader_onboard(data=registration(market, consent=False), products=[kangkung(price=0)], by=operator)
    assert error.value.code == "price_range"
    assert counts() == before


def test_onboard_refuses_more_than_five_products(market, vocabulary):
    operator = factories.user()
    before = counts()
    with pytest.raises(DomainError) as error:
        trader_onboard(data=registration(market), products=[kangkung()] * (MAX_FIRST_PRODUCTS + 1), by=operator)
    assert error.value.code == "products_too_many"
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"phone": "12345"}, "phone_invalid"),
        ({"consent": False}, "consent_required"),
        ({"number": " "}, "stall_number_required"),
    ],
)
def test_onboard_refusals_of_the_person_write_no_products(market, vocabulary, changes, code):
    operator = factories.user()
    before = counts()
    with pytest.raises(DomainError) as error:
        trader_onboard(data=registration(market, **changes), products=[kangkung()], by=operator)
    assert error.value.code == code
    assert counts() == before


def test_onboard_taken_stall_location_writes_nothing(market, vocabulary):
    operator = factories.user()
    trader_onboard(data=registration(market), products=[kangkung()], by=operator)
    before = counts()
    with pytest.raises(DomainError) as error:
        trader_onboard(data=registration(market, phone="0812-7777-0002"), products=[kangkung()], by=operator)
    assert (error.value.code, error.value.field) == ("stall_taken", "number")
    assert counts() == before
