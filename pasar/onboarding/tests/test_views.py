"""The operator's registration page: person, stall and first products saved together or not at all."""

import re

import pytest
from django.urls import reverse

from pasar.accounts.models import User
from pasar.catalog.models import Commodity, Product
from pasar.markets.models import Category
from pasar.traders.models import Stall, Trader

pytestmark = pytest.mark.django_db


def counts():
    return (User.objects.count(), Trader.objects.count(), Stall.objects.count(), Product.objects.count())


def found(pattern, text):
    match = re.search(pattern, text)
    assert match is not None
    return match.group(1)


def url(name, market, **kwargs):
    return reverse(f"onboarding:{name}", kwargs={"slug": market.slug, **kwargs})


def form_data(**changes):
    data = {
        "name": "Bu Euis",
        "phone": "0812-7777-0001",
        "consent": "on",
        "block": "B",
        "row": "2",
        "number": "5",
        "kind": "kios",
        "category": str(Category.objects.get(slug="sayur").pk),
        "stall_name": "",
        "products-TOTAL_FORMS": "5",
        "products-INITIAL_FORMS": "0",
        "products-MIN_NUM_FORMS": "0",
        "products-MAX_NUM_FORMS": "5",
    }
    return data | changes


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def operator_client(client, roles):
    client.force_login(roles.operator)
    return client


def test_register_keeps_its_url_under_the_operator_pages(market):
    assert url("register", market) == f"/pengelola/{market.slug}/daftar/"


def test_register_page_renders_for_the_operator(operator_client, market, vocabulary):
    response = operator_client.get(url("register", market))
    assert response.status_code == 200
    assert b'name="products-4-price"' in response.content
    assert "Cabai Rawit Merah" in response.text


def test_register_success_shows_the_pin_once(operator_client, market, vocabulary, roles):
    rawit = Commodity.objects.get(name="Cabai Rawit Merah")
    data = form_data(
        **{
            "products-0-commodity": str(rawit.pk),
            "products-0-price": "Rp 60.000",
            "products-1-name": "Kangkung",
            "products-1-unit": "ikat",
            "products-1-price": "3.000",
        }
    )
    response = operator_client.post(url("register", market), data)
    assert response.status_code == 200
    pin = found(r'id="login-pin"[^>]*>(\d{6})<', response.text)
    assert "0812-7777-0001" in response.text
    assert response.headers["Cache-Control"].startswith("max-age=0")
    stall = Stall.objects.get(market=market, number="5")
    assert (stall.trader.user.phone, stall.kind, stall.block, stall.row) == ("+6281277770001", "kios", "B", "2")
    assert stall.trader.user.check_password(pin)
    assert stall.trader.registered_by == roles.operator
    assert list(stall.products.order_by("pk").values_list("name", "unit", "price")) == [
        ("Cabai Rawit Merah", "kg", 60000),
        ("Kangkung", "ikat", 3000),
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "0812"}, "phone", "Not a valid Indonesian phone number (e.g. 0812-3456-7890)."),
        ({"consent": ""}, "consent", "Ask the trader first: their consent must be recorded."),
        ({"number": ""}, "number", "This field is required."),
        ({"name": ""}, "name", "This field is required."),
        (
            {"products-0-name": "Bayam", "products-0-unit": "ikat", "products-0-price": "12,50"},
            "products-0-price",
            "Write the price in whole rupiah, e.g. 12500 or 12.500.",
        ),
        ({"products-0-name": "Bayam", "products-0-price": "3000"}, "products-0-unit", "Choose a unit."),
        ({"products-0-price": "3000"}, "products-0-name", "Pick a commodity or type a product name."),
    ],
)
def test_register_errors_are_shown_per_field_and_nothing_is_written(
    operator_client, market, vocabulary, changes, field, message
):
    before = counts()
    response = operator_client.post(url("register", market), form_data(**changes))
    assert response.status_code == 200
    assert f'id="id_{field}-errors"><li>{message}</li>' in response.text
    assert "Nothing was saved" in response.text
    assert counts() == before


def test_register_taken_stall_shows_the_service_message(operator_client, market, vocabulary):
    operator_client.post(url("register", market), form_data())
    before = counts()
    response = operator_client.post(url("register", market), form_data(phone="0812-7777-0002"))
    assert 'id="id_number-errors"><li>This stall location is already registered.</li>' in response.text
    assert counts() == before


def test_accepts_every_common_phone_spelling(operator_client, market, vocabulary):
    for number, phone in enumerate(["0812-7777-0001", "6281277770002", "+62 812 7777 0003"], start=1):
        operator_client.post(url("register", market), form_data(phone=phone, number=str(number)))
    assert sorted(Stall.objects.filter(market=market, block="B").values_list("trader__user__phone", flat=True)) == [
        "+6281277770001",
        "+6281277770002",
        "+6281277770003",
    ]


def test_one_submit_shows_person_and_product_errors_together(operator_client, market, vocabulary):
    data = form_data(phone="0812", **{"products-2-name": "Bayam", "products-2-unit": "ikat", "products-2-price": "x"})
    response = operator_client.post(url("register", market), data)
    assert 'id="id_phone-errors"' in response.text
    assert 'id="id_products-2-price-errors"' in response.text


@pytest.mark.parametrize("who", ["other_operator", "trader", "buyer", "courier", "officer"])
def test_other_roles_and_other_markets_get_404_and_nothing_changes(client, roles, market, vocabulary, who):
    client.force_login(getattr(roles, who))
    before = counts()
    assert client.get(url("register", market)).status_code == 404
    assert client.post(url("register", market), form_data()).status_code == 404
    assert counts() == before


def test_anonymous_is_sent_to_login(client, roles, market, vocabulary):
    before = counts()
    responses = [client.get(url("register", market)), client.post(url("register", market), form_data())]
    assert [r.status_code for r in responses] == [302] * 2
    assert all(r.url.startswith("/akun/masuk/?next=") for r in responses)
    assert counts() == before


def test_done_page_links_to_the_next_registration_and_the_market(operator_client, market, vocabulary):
    response = operator_client.post(url("register", market), form_data())
    assert response.status_code == 200
    assert f'href="{url("register", market)}"' in response.text
    assert f'href="{reverse("traders:operator-market", kwargs={"slug": market.slug})}"' in response.text
