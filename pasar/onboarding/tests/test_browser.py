"""End to end in Chromium: an operator registers a trader with a stall and two products on a phone."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from pasar.catalog.models import Commodity
from pasar.markets.models import MarketRole
from pasar.testing import factories
from pasar.traders.models import Stall

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPERATOR_PHONE = "+6281255550000"


@pytest.fixture
def phone(browser, live_server):
    """A 360×740 phone with English chosen on the site, so assertions read the msgids."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_operator_registers_a_trader_and_sees_the_pin(live_server, phone, market, vocabulary):
    operator = factories.user(name="Bu Pengelola", phone=OPERATOR_PHONE)
    MarketRole.objects.create(user=operator, market=market, role=MarketRole.Role.OPERATOR)
    page, base = phone, live_server.url

    page.goto(f"{base}/akun/masuk/", timeout=120_000)  # the server's first request imports the URLconf
    page.locator("input[name=username]").fill("0812-5555-0000")
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url(f"{base}/pengelola/{market.slug}/")
    page.get_by_role("link", name="Register a trader").click()
    page.wait_for_url(f"{base}/pengelola/{market.slug}/daftar/")

    page.get_by_label("Trader's name").fill("Euis Kurniasih")
    page.get_by_label("Phone number (WhatsApp)").fill("0812-3456-7890")
    page.get_by_label("The trader agreed to be listed on Pasar Daring").check()
    page.get_by_label("Block").fill("c")
    page.get_by_label("Los (row)").fill("2")
    page.get_by_label("Number", exact=True).fill("17")
    page.get_by_label("Stall type").select_option("kios")
    page.get_by_label("What the stall sells").select_option(label="Sayur-mayur")
    page.locator("select[name=products-0-commodity]").select_option(label="Cabai Rawit Merah")
    page.locator("input[name=products-0-price]").fill("Rp 60.000")
    page.locator("input[name=products-1-name]").fill("Kangkung")
    page.locator("select[name=products-1-unit]").select_option("ikat")
    page.locator("input[name=products-1-price]").fill("3.000")
    page.get_by_role("button", name="Register trader").click()

    pin_text = page.locator("#login-pin")
    expect(pin_text).to_have_text(re.compile(r"^\d{6}$"))
    expect(page.locator("#login-phone")).to_have_text("0812-3456-7890")
    expect(page.get_by_role("link", name="Register another trader")).to_be_visible()
    pin = pin_text.inner_text()

    stall = Stall.objects.select_related("trader__user", "category").get(market=market, number="17")
    assert (stall.block, stall.row, stall.kind, stall.category.slug) == ("C", "2", "kios", "sayur")
    assert (stall.trader.user.name, stall.trader.user.phone, stall.trader.registered_by) == (
        "Euis Kurniasih",
        "+6281234567890",
        operator,
    )
    assert stall.trader.user.check_password(pin)
    assert list(stall.products.order_by("pk").values_list("name", "unit", "price", "commodity")) == [
        ("Cabai Rawit Merah", "kg", 60000, Commodity.objects.get(name="Cabai Rawit Merah").pk),
        ("Kangkung", "ikat", 3000, None),
    ]
