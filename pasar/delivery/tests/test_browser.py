"""A courier on a phone in Chromium: check in, take the offered trip, pick up, hand over, see the earnings."""

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from pasar.delivery.tests.scenarios import product, ready_order
from pasar.orders.models import Order
from pasar.orders.tests import staff_scenarios as sc
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_VIEWPORT = {"width": 360, "height": 740}


def test_a_courier_takes_an_offer_and_delivers_on_a_phone(live_server, browser, market):
    base = live_server.url
    rider = sc.courier(market, "Asep Kurir")
    order = ready_order(market, product(market))
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

        page.locator("input[name=capacity]").fill("2")
        page.get_by_role("button", name="Check in").click()
        expect(page.locator(".messages")).to_contain_text("You are in line at Pasar Cihapit.")
        page.goto(f"{base}/kurir/antrian/")  # the next look at the queue offers the ready order
        expect(page.locator("#offer")).to_contain_text("New trip for you")
        expect(page.locator("#offer")).to_contain_text("seconds left")
        page.get_by_role("button", name="Accept").click()
        expect(page.locator(".messages")).to_contain_text("The trip is yours")

        stall = order.parts.get().stall
        expect(page.locator("#trip")).to_contain_text(stall.name)
        maps = page.get_by_role("link", name="Directions in Google Maps")
        expect(maps).to_have_attribute(
            "href", f"https://www.google.com/maps/dir/?api=1&destination={order.latitude:.6f},{order.longitude:.6f}"
        )
        page.get_by_role("button", name="Picked up").click()
        expect(page.locator(".messages")).to_contain_text("Picked up.")

        order.refresh_from_db()
        due = (order.goods_total or 0) + order.delivery_fee
        page.locator(f"#id_d{order.pk}-code").fill(order.handover_code)
        page.locator(f"#id_d{order.pk}-cash").fill(str(due))
        page.get_by_role("button", name="Hand over").click()
        expect(page.locator(".messages")).to_contain_text("Handed over.")
        expect(page.locator("#earnings")).to_contain_text("1 delivery")
        expect(page.locator("#status")).to_contain_text("number 1 in line")
        width: int = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_VIEWPORT["width"]
    finally:
        context.close()

    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED
    assert order.courier == rider
