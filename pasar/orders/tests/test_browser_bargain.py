"""End to end in Chromium, in Indonesian: a buyer bargains 20 kg of cabai down, the trader accepts, and the
order is placed at the agreed price."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from pasar.orders.models import Offer, Order, OrderLine
from pasar.orders.services.cart import cart_set
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def _login(browser, base, phone, next_url):
    context = browser.new_context(viewport=PHONE)  # the site's own language: Bahasa Indonesia
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{base}/akun/masuk/?next={next_url}")
    page.locator("input[name=username]").fill(phone)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url(f"{base}{next_url}")
    return context, page


def test_a_buyer_bargains_twenty_kilos_of_cabai_down_and_the_trader_accepts(live_server, browser, market):
    trader = factories.trader(name="Euis", phone="+6281311112001")
    chili = factories.product(
        stall=factories.stall(market=market, trader_obj=trader), name="Cabai Merah", unit="kg", price=50000
    )
    buyer = factories.user(name="Sari", phone="+6281377772001")
    base = live_server.url
    trader_context, stall = _login(browser, base, "081311112001", "/pedagang/tawaran/")
    buyer_context, phone = _login(browser, base, "081377772001", f"/keranjang/{market.slug}/")
    try:
        # The trader lets buyers bargain on cabai from 5 kg.
        stall.locator(f"#from-{chili.pk}").fill("5")
        stall.locator(f"#from-{chili.pk}").locator("xpath=../..").get_by_role("button").click()
        expect(stall.locator(".messages")).to_contain_text("Tersimpan.")
        chili.refresh_from_db()
        assert chili.bargain_from == Decimal(5)

        cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
        phone.reload()
        expect(phone.locator("#cart-total")).to_have_text("Rp1.000.000")
        phone.locator(f"#offer-price-{chili.pk}").fill("42.000")
        phone.get_by_role("button", name="Kirim tawaran").click()
        expect(phone.locator(f"#offer-status-{chili.pk}")).to_contain_text("Tawaran Anda: Rp42.000/kg")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        offer = Offer.objects.get()
        stall.reload()
        card = stall.locator(f"#offer-{offer.pk}")
        expect(card).to_contain_text("Cabai Merah · 20 kg")
        expect(card).to_contain_text("Menawar Rp42.000/kg (harga tertera Rp50.000)")
        stall.locator(f"#accept-{offer.pk}").click()
        expect(stall.locator(".messages")).to_contain_text("Tawaran diterima.")
        expect(stall.locator(f"#answered-{offer.pk}")).to_contain_text("Harga disepakati")

        phone.reload()
        expect(phone.locator(f"#offer-status-{chili.pk}")).to_have_text("Harga sepakat: Rp42.000/kg")
        expect(phone.locator("#cart-total")).to_have_text("Rp840.000")

        phone.goto(f"{base}/keranjang/{market.slug}/checkout/")
        expect(phone.locator("#waiting-offers")).to_have_count(0)  # nothing left waiting for an answer
        phone.locator("#id_address").fill("Jl. Cihapit 12, Bandung")
        phone.locator("#point summary").click()
        phone.locator("#id_lat").fill("-6,9007")
        phone.locator("#id_lng").fill("107,6227")
        phone.locator("input[name=fulfilment][value=delivery]").check()
        phone.locator("input[name=payment_method][value=cod]").check()
        phone.locator("#place").click()
        phone.wait_for_url(f"{base}/pesanan/**")

        order = Order.objects.get(buyer=buyer)
        line = OrderLine.objects.get(part__order=order)
        assert (line.unit_price, line.agreed_price, line.quantity) == (42000, 42000, Decimal(20))
        assert order.goods_estimate == 840_000
        offer.refresh_from_db()
        assert (offer.state, offer.order_id) == (Offer.State.USED, order.pk)
    finally:
        trader_context.close()
        buyer_context.close()
