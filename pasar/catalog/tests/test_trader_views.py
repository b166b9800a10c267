"""The trader's price screen: a save keeps the stock orders took while the screen was open."""

import re

import pytest

from pasar.catalog.models import Product
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def screen(client, stall):
    """A trader with one counted product (stock 10) and one weighed, and the price screen as loaded."""
    tomat = factories.product(stall=stall, name="Telur", unit="butir", price=2000, stock=10)
    kangkung = factories.product(stall=stall, name="Kangkung", unit="ikat", price=3000)
    client.force_login(stall.trader.user)
    page = client.get("/pedagang/harga/").text
    form = dict(re.findall(r'name="((?:price|stock|seen)-\d+)"[^>]*value="([^"]*)"', page))
    form |= {f"available-{tomat.pk}": "on", f"available-{kangkung.pk}": "on"}
    return client, tomat, kangkung, form


def test_the_screen_remembers_the_stock_it_showed(screen):
    _client, tomat, kangkung, form = screen
    assert form[f"stock-{tomat.pk}"] == form[f"seen-{tomat.pk}"] == "10"
    assert f"seen-{kangkung.pk}" not in form  # not counted: no stock field at all


def test_saving_prices_keeps_units_sold_since_the_screen_was_loaded(screen):
    client, tomat, _kangkung, form = screen
    Product.objects.filter(pk=tomat.pk).update(stock=7)  # an order took 3 while the trader typed
    form[f"price-{tomat.pk}"] = "2500"

    response = client.post("/pedagang/harga/", form)

    assert response.status_code == 302
    tomat.refresh_from_db()
    assert (tomat.price, tomat.stock) == (2500, 7)


def test_a_stock_the_trader_typed_is_saved(screen):
    client, tomat, _kangkung, form = screen
    Product.objects.filter(pk=tomat.pk).update(stock=7)
    form[f"stock-{tomat.pk}"] = "30"  # restocked

    assert client.post("/pedagang/harga/", form).status_code == 302
    tomat.refresh_from_db()
    assert tomat.stock == 30


def test_an_emptied_stock_stops_counting(screen):
    client, tomat, _kangkung, form = screen
    form[f"stock-{tomat.pk}"] = ""

    assert client.post("/pedagang/harga/", form).status_code == 302
    tomat.refresh_from_db()
    assert tomat.stock is None


def test_a_refused_save_shows_what_was_typed_and_the_stock_first_seen(screen):
    client, tomat, kangkung, form = screen
    form[f"price-{kangkung.pk}"] = "abc"
    form[f"stock-{tomat.pk}"] = "12"

    page = client.post("/pedagang/harga/", form).text

    assert f'name="seen-{tomat.pk}" value="10"' in page
    tomat.refresh_from_db()
    assert tomat.stock == 10
