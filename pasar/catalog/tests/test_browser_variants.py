"""End to end in Chromium on a 360-px phone: a buyer picks a batik in size L and its stock falls."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from pasar.catalog.models import Product
from pasar.catalog.services import VariantInput, variant_create
from pasar.orders.models import Order, OrderLine
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_VIEWPORT = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE_VIEWPORT)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_buyer_picks_a_batik_in_size_l_and_its_stock_falls(live_server, phone, market):
    kiosk = factories.stall(market=market)
    batik = factories.product(stall=kiosk, name="Kemeja Batik Cap", unit="pcs", price=95000)
    sizes = {
        size: variant_create(parent=batik, data=VariantInput(price=price, size=size, motif="parang", stock=stock))
        for size, price, stock in (("M", 95000, 3), ("L", 95000, 4), ("XL", 105000, 0))
    }
    buyer = factories.user(name="Sari", phone="+6281377778888")
    base = live_server.url

    phone.goto(f"{base}/akun/masuk/?next=/produk/{batik.pk}/")
    phone.locator("input[name=username]").fill("081377778888")
    phone.locator("input[name=password]").fill(factories.PASSWORD)
    phone.locator("main form button").click()
    phone.wait_for_url(f"{base}/produk/{batik.pk}/")

    expect(phone.locator(f"#variant-{sizes['XL'].pk}")).to_be_disabled()  # sold out: shown, not choosable
    phone.locator(f"label[for=variant-{sizes['L'].pk}]").click()
    phone.get_by_role("button", name="Add to cart").click()
    expect(phone.locator(f"#added-{batik.pk}")).to_have_text("✓ 1 item in cart")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]

    phone.locator(f"#added-{batik.pk} a").click()
    phone.wait_for_url(f"{base}/keranjang/{market.slug}/")
    expect(phone.locator("main")).to_contain_text("Kemeja Batik Cap — L, parang")
    phone.get_by_role("link", name="Checkout").click()
    phone.wait_for_url(f"{base}/keranjang/{market.slug}/checkout/")
    phone.get_by_label("Delivery address").fill("Jl. Dr. Radjiman 5, Solo")
    phone.get_by_text("Point on the map (coordinates)").click()
    phone.get_by_label("Latitude").fill("-6,9007")
    phone.get_by_label("Longitude").fill("107,6227")
    phone.get_by_role("radio", name="Delivery", exact=True).check()
    phone.get_by_role("radio", name=re.compile("Cash on delivery")).check()
    phone.locator("#place").click()

    phone.wait_for_url(re.compile(rf"{re.escape(base)}/pesanan/[0-9]{{6}}-[0-9A-F]{{8}}/$"))
    order = Order.objects.get(buyer=buyer)
    line = OrderLine.objects.get(part__order=order)
    assert (line.product_id, line.name, line.unit_price) == (sizes["L"].pk, "Kemeja Batik Cap — L, parang", 95000)
    stock = dict(Product.objects.filter(variant_of=batik).values_list("size", "stock"))
    assert stock == {"M": 3, "L": 3, "XL": 0}  # only the chosen size fell
    assert Product.objects.get(pk=batik.pk).stock == 0  # the parent was never sold
