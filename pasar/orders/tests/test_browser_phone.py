"""A buyer's first walk on a 360-px phone: header links after login, the orders list with the delivery fee,
a checkout whose sticky total leaves the form visible, pickup slots only for pickup, and "Use my location"
that says so when the phone refuses."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from pasar.orders.services.cart import cart_set
from pasar.orders.tests import staff_scenarios as sc
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_buyer_finds_cart_and_orders_and_checks_out_on_a_phone(live_server, browser, market):
    eggs = factories.product(stall=factories.stall(market=market), name="Telur", unit="butir", price=2500, stock=50)
    buyer = factories.user(name="Sari", phone="+6281377778888")
    earlier = sc.place(market=market, items=[(eggs, "2")], buyer=buyer)
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(4))
    base = live_server.url
    context = browser.new_context(viewport=PHONE)  # no geolocation permission: the phone refuses
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
    context.set_default_timeout(10_000)
    phone = context.new_page()
    try:
        phone.goto(f"{base}/akun/masuk/")
        phone.locator("input[name=username]").fill("081377778888")
        phone.locator("input[name=password]").fill(factories.PASSWORD)
        phone.locator("main form button").click()
        phone.wait_for_url(f"{base}/akun/saya/")
        expect(phone.locator("main")).to_contain_text("My orders")
        expect(phone.locator("#nav-cart")).to_be_visible()
        assert fits(phone)

        phone.locator("#nav-orders").click()
        phone.wait_for_url(f"{base}/pesanan/")
        total = phone.locator(f"#total-{earlier.pk}")
        expect(total).to_have_text(f"± Rp{(earlier.goods_estimate + earlier.delivery_fee):,}".replace(",", "."))
        expect(phone.locator("main")).to_contain_text(f"incl. delivery Rp{earlier.delivery_fee:,}".replace(",", "."))

        phone.locator("#nav-cart").click()
        phone.goto(f"{base}/keranjang/{market.slug}/checkout/")
        sticky = phone.locator("#checkout .sticky").bounding_box()
        assert sticky is not None
        assert sticky["height"] <= 140  # was ~255 of 740 px, covering the address
        expect(phone.locator("#pickup")).to_be_hidden()  # "Diantar" is chosen: no pickup slots
        expect(phone.get_by_label("Landmark (patokan)")).to_be_visible()
        phone.get_by_role("radio", name="Pickup at the market").check()
        expect(phone.locator("#pickup")).to_be_visible()
        expect(phone.locator("#delivery")).to_be_hidden()
        phone.get_by_role("radio", name="Delivery", exact=True).check()

        phone.get_by_role("button", name="Use my location").click()
        expect(phone.locator("#locate-status")).to_contain_text("did not share its location")
        expect(phone.locator("details#point")).to_have_attribute("open", "")
        phone.get_by_label("Delivery address").fill("Jl. Cihapit 12, Bandung")
        phone.get_by_label("Latitude").fill("-6,9007")
        phone.get_by_label("Longitude").fill("107,6227")
        phone.get_by_role("button", name="Check the delivery fee").click()
        expect(phone.locator("#fee .price")).to_have_text("Rp8.000")
        phone.get_by_label("Latitude").fill("-6;9")
        phone.get_by_role("button", name="Check the delivery fee").click()
        expect(phone.locator("#lat-error")).to_contain_text("Latitude: write a number such as -6,914")
        assert fits(phone)
        assert re.search(r"/checkout/$", phone.url)
    finally:
        context.close()
