"""One courier page per trip, on a 360-px phone: the offer tells the fee and the cash, the trip page holds the
stall checklist, the cari-di-pasar buys and the handover; ``/kurir/`` sends the courier to it."""

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from pasar.delivery import services
from pasar.delivery.models import Trip
from pasar.delivery.tests.scenarios import product
from pasar.orders.models import Order, SearchLine
from pasar.orders.services import search
from pasar.orders.services.cart import cart_set
from pasar.orders.services.placement import order_place
from pasar.orders.tests import staff_scenarios as sc
from pasar.orders.tests.test_search_lines import _checkout
from pasar.payments.services.ledger import delivery_operator_share
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_VIEWPORT = {"width": 360, "height": 740}


def _fits(page: Page) -> None:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEWPORT["width"]


def test_the_trip_page_holds_the_buys_and_the_handover_and_closes_the_trip(live_server, browser, market):
    from decimal import Decimal

    base = live_server.url
    rider = sc.courier(market, "Asep Kurir")
    services.checkin(courier=rider, market=market, capacity=2)
    buyer = factories.user(name="Bu Titip")
    eggs = product(market)
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(3))
    search.cart_request_add(buyer=buyer, market=market, text="Kemangi", quantity="2 ikat", price_cap=5000)
    order = sc.prepare(order_place(buyer=buyer, checkout=_checkout(market, "cod")))
    fee_kept = order.delivery_fee - delivery_operator_share(order.delivery_fee)
    goods_and_fee = (order.goods_total or 0) + order.delivery_fee
    line = SearchLine.objects.get(order=order)

    context = browser.new_context(viewport=PHONE_VIEWPORT)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
    context.set_default_timeout(10_000)
    page: Page = context.new_page()
    try:
        page.goto(f"{base}/akun/masuk/?next=/kurir/antrian/")
        page.locator("input[name=username]").fill(rider.phone)
        page.locator("input[name=password]").fill(factories.PASSWORD)
        page.locator("main form button").click()
        page.wait_for_url(f"{base}/kurir/antrian/")
        money = page.locator("#offer-money")
        expect(money).to_contain_text(f"You earn Rp{fee_kept:,}".replace(",", "."))
        expect(money).to_contain_text(f"cash to collect Rp{goods_and_fee:,}".replace(",", "."))
        expect(money).to_contain_text("1 item to buy in the market")
        _fits(page)
        page.get_by_role("button", name="Accept").click()

        buy = page.locator(f"#search-{line.pk}")
        expect(buy).to_contain_text("Kemangi")
        buy.locator(f"#b{line.pk}-amount").fill("4000")
        buy.get_by_role("button", name="Bought").click()
        expect(page.locator(".messages")).to_contain_text("Price saved")
        expect(page.locator(f"#search-{line.pk}")).to_contain_text("waiting for the buyer's approval")
        search.search_decide(order=order, line_id=line.pk, approve=True, actor=buyer)
        page.get_by_role("button", name="Picked up").click()
        expect(page.locator(".messages")).to_contain_text("Picked up.")

        page.goto(f"{base}/kurir/")  # the other courier page points at the trip instead of a second handover
        expect(page.locator(f"#in-trip-{order.pk}")).to_be_visible()
        expect(page.get_by_role("button", name="Hand over")).to_have_count(0)
        page.get_by_role("link", name="Open my trip").click()

        order.refresh_from_db()
        page.locator(f"#id_d{order.pk}-code").fill(order.handover_code)
        page.locator(f"#id_d{order.pk}-cash").fill(str(order.total))
        page.get_by_role("button", name="Hand over").click()
        expect(page.locator(".messages")).to_contain_text("Handed over.")
        expect(page.locator("#status")).to_contain_text("number 1 in line")
        expect(page.locator("#trip")).to_have_count(0)
        _fits(page)
    finally:
        context.close()

    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED
    assert order.total == goods_and_fee + 4000
    assert Trip.objects.get().state == Trip.State.DONE
