"""End to end in Chromium on a 360-px phone: a buyer fills one cart from two stalls and orders with delivery."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from pasar.orders.models import Order
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


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]


def test_buyer_orders_from_two_stalls_with_delivery_and_cash(live_server, phone, market):
    fish = factories.product(stall=factories.stall(market=market), name="Ikan Nila", unit="kg", price=36000)
    fish.quantity_step = fish.quantity_min = Decimal("0.25")
    fish.save(update_fields=["quantity_step", "quantity_min"])
    eggs = factories.product(stall=factories.stall(market=market), name="Telur", unit="butir", price=2500, stock=10)
    buyer = factories.user(name="Sari", phone="+6281377778888")
    base = live_server.url

    phone.goto(f"{base}/akun/masuk/?next=/lapak/{fish.stall_id}/")
    phone.locator("input[name=username]").fill("081377778888")
    phone.locator("input[name=password]").fill(factories.PASSWORD)
    phone.locator("main form button").click()
    phone.wait_for_url(f"{base}/lapak/{fish.stall_id}/")
    assert fits(phone)

    # Weighed goods in their step, with a note; htmx swaps the badge without leaving the page.
    phone.evaluate("window.stillThisPage = true")
    phone.locator(f"#qty-{fish.pk}").fill("0,25")
    phone.locator(f"#note-{fish.pk}").fill("ikan dibersihkan")
    phone.locator(f"#added-{fish.pk}").locator("xpath=..").get_by_role("button").click()
    expect(phone.locator(f"#added-{fish.pk}")).to_have_text("✓ 1 item in cart")
    assert phone.evaluate("window.stillThisPage === true")

    phone.goto(f"{base}/produk/{eggs.pk}/")
    phone.locator(f"#qty-{eggs.pk}").fill("4")
    phone.get_by_role("button", name="Add to cart").click()
    expect(phone.locator(f"#added-{eggs.pk}")).to_have_text("✓ 2 items in cart")
    assert fits(phone)

    phone.locator(f"#added-{eggs.pk} a").click()
    phone.wait_for_url(f"{base}/keranjang/{market.slug}/")
    expect(phone.locator("#cart-total")).to_have_text("Rp19.000")
    expect(phone.locator("#estimate-note")).to_have_text("Estimate — the final price follows the weighing.")
    expect(phone.locator(f"#n-{fish.pk}")).to_have_value("ikan dibersihkan")
    assert fits(phone)

    phone.get_by_role("link", name="Checkout").click()
    phone.wait_for_url(f"{base}/keranjang/{market.slug}/checkout/")
    expect(phone.locator("#prepared-day")).to_contain_text("prepared")
    phone.get_by_label("Delivery address").fill("Jl. Cihapit 12, Bandung")
    phone.get_by_text("Point on the map (coordinates)").click()  # the fallback behind address and patokan
    phone.get_by_label("Latitude").fill("-6,9007")
    phone.get_by_label("Longitude").fill("107,6227")
    phone.get_by_role("button", name="Check the delivery fee").click()
    expect(phone.locator("#fee .price")).to_have_text("Rp8.000")
    phone.get_by_role("radio", name="Delivery", exact=True).check()
    phone.get_by_role("radio", name=re.compile("Cash on delivery")).check()
    assert fits(phone)
    phone.locator("#place").click()

    phone.wait_for_url(re.compile(rf"{re.escape(base)}/pesanan/[0-9]{{6}}-[0-9A-F]{{8}}/$"))
    order = Order.objects.get(buyer=buyer)
    expect(phone.locator("#handover-code")).to_have_text(order.handover_code)
    expect(phone.locator("#step-placed")).to_have_class(re.compile("done"))
    expect(phone.locator(f"#part-{order.parts.get(stall=fish.stall).pk}")).to_contain_text("“ikan dibersihkan”")
    assert fits(phone)
    assert (order.fulfilment, order.payment_method, order.goods_estimate, order.delivery_fee) == (
        "delivery",
        "cod",
        19000,
        8000,
    )
    assert order.parts.count() == 2
