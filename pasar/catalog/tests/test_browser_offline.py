"""Without signal in Chromium: a trader changes five prices with the network off, closes the tab, reopens
it (the page comes from the service worker's cache), signal returns and each price changes once."""

import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from pasar.catalog.models import Product
from pasar.runtime.models import IdempotencyRecord
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
QUEUE = "JSON.parse(localStorage.getItem('pasar-queue') || '[]')"


def wait_for(page, expression, seconds=30):
    """Poll ``expression`` from the test side: the page's Content-Security-Policy forbids the eval that
    ``page.wait_for_function`` runs inside the page (``page.evaluate`` goes through the debugger protocol)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if page.evaluate(expression):
                return
        except PlaywrightError:  # the page reloaded under us (the replay reloads it): ask the new one
            pass
        page.wait_for_timeout(100)
    raise AssertionError(f"{expression} still false after {seconds} s")


def test_five_prices_changed_offline_are_each_applied_once_after_reopening(live_server, browser, market):
    trader = factories.trader(name="Euis Kurniasih", phone="+6281311110009")
    stall = factories.stall(market=market, trader_obj=trader)
    names = ["Bayam", "Cabai", "Kangkung", "Tomat", "Wortel"]
    products = [factories.product(stall=stall, name=name, price=10000 + i * 1000) for i, name in enumerate(names)]
    base = live_server.url
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(30_000)  # a service worker install on a busy machine
    page = context.new_page()
    try:
        page.goto(f"{base}/akun/masuk/?next=/pedagang/harga/")
        page.locator("input[name=username]").fill("081311110009")
        page.locator("input[name=password]").fill(factories.PASSWORD)
        page.locator("main form button").click()
        page.wait_for_url(f"{base}/pedagang/harga/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # now controlled by the service worker, which keeps a copy of the page
        wait_for(page, "!!navigator.serviceWorker.controller")

        context.set_offline(True)
        for i, product in enumerate(products):
            page.locator(f"#price-{product.pk}").fill(str(20000 + i * 500))
            page.get_by_role("button", name="Simpan semua harga").click()
            expect(page.locator("#queue-status")).to_have_text("Tersimpan, dikirim nanti.")
        assert page.evaluate(f"{QUEUE}.length") == 5
        assert [p.price for p in Product.objects.filter(pk__in=[p.pk for p in products]).order_by("name")] == [
            10000, 11000, 12000, 13000, 14000,
        ]  # fmt: skip
        # A queue replayed twice (two tabs, a retry): the same key sent again must not apply again.
        page.evaluate(f"localStorage.setItem('pasar-queue', JSON.stringify({QUEUE}.concat([{QUEUE}[0]])))")
        page.close()

        page = context.new_page()  # reopened without signal: the page comes from the cache
        page.goto(f"{base}/pedagang/harga/")
        expect(page.locator("h1")).to_have_text("Harga hari ini")
        assert page.evaluate(f"{QUEUE}.length") == 6

        context.set_offline(False)  # signal returns: the queue is sent once
        wait_for(page, f"{QUEUE}.length === 0")
        page.wait_for_load_state()
        expect(page.locator(f"#price-{products[4].pk}")).to_have_value("22000")
    finally:
        context.close()

    assert [p.price for p in Product.objects.filter(pk__in=[p.pk for p in products]).order_by("name")] == [
        20000, 20500, 21000, 21500, 22000,
    ]  # fmt: skip
    assert IdempotencyRecord.objects.count() == 5
