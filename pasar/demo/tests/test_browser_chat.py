"""Ordering by chat in the demo, end to end: a signed Cloud-API-shaped webhook from 6281234500001 to
Pasar Cikurubuk's number (``demo-cikurubuk``) with a shopping list, the shared location, the "Pesan"
button; the demo trader sees the order in their list in Chromium and the operator reads the replies in
Kotak keluar. The demo's settings: the fake provider and the public secret ``demo-whatsapp-secret``."""

import json
import urllib.request

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from pasar.catalog.models import Product
from pasar.cli import DEMO_WHATSAPP_SECRET
from pasar.demo.services import DEMO_PASSWORD, ROLE_LOGINS
from pasar.markets.models import Market
from pasar.notifications.models import OutboundMessage
from pasar.notifications.tests.support import fixture
from pasar.notifications.webhooks import sign
from pasar.orders.models import Order
from pasar.orders.tests.test_browser_story import fits, open_page  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUYER = "+6281234500001"
LOGINS = {role: phone for role, phone, _name in ROLE_LOGINS}


def webhook(base, payload, secret=DEMO_WHATSAPP_SECRET):
    body = json.dumps(payload).encode()
    request = urllib.request.Request(  # noqa: S310 - the live server on loopback
        f"{base}/webhooks/whatsapp/",
        data=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(body, secret)},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def log_in(page, base, phone, next_path):
    page.goto(f"{base}/akun/masuk/?next={next_path}")
    page.locator("input[name=username]").fill(phone)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url(f"{base}{next_path}")


def test_order_by_chat_in_the_demo_reaches_the_traders_list(live_server, open_page, settings):  # noqa: F811
    settings.PASAR_WHATSAPP_PROVIDER = settings.PASAR_SMS_PROVIDER = "fake"
    settings.PASAR_WHATSAPP_APP_SECRET = DEMO_WHATSAPP_SECRET
    call_command("load_demo", history_days=1)
    base = live_server.url
    market = Market.objects.get(whatsapp_phone_number_id="demo-cikurubuk")
    # A product of the demo trader's stall whose commodity no other stall of the market sells.
    mine = Product.objects.filter(stall__trader__user__phone=LOGINS["trader"], stall__market=market, available=True)
    product = next(
        p
        for p in mine.select_related("commodity").exclude(commodity=None)
        if not Product.objects.filter(stall__market=market, commodity=p.commodity).exclude(stall=p.stall).exists()
    )
    assert product.commodity is not None
    quantity = f"{product.quantity_min.normalize():f}".replace(".", ",")
    shopping_list = f"{product.commodity.name} {quantity} {product.unit}"

    # A forged signature changes nothing; the real one gets the matched products in the reply.
    text = fixture("text_message", phone_number_id="demo-cikurubuk", body=shopping_list)
    assert webhook(base, text, secret="forged") in (401, 403)
    assert not OutboundMessage.objects.filter(to=BUYER).exists()
    assert webhook(base, text) == 200
    assert webhook(base, text) == 200  # Meta's retry: one reply
    summary = OutboundMessage.objects.filter(to=BUYER, kind="text").get()
    assert product.name in summary.text
    assert OutboundMessage.objects.filter(to=BUYER, kind="buttons").count() == 1

    location = {"latitude": market.latitude + 0.01, "longitude": market.longitude, "address": "Jl. Mangkubumi 5"}
    assert webhook(base, fixture("location", phone_number_id="demo-cikurubuk", location=location)) == 200
    assert webhook(base, fixture("button_reply", phone_number_id="demo-cikurubuk")) == 200
    order = Order.objects.get(buyer__phone=BUYER)
    assert order.fulfilment == "delivery"

    # The trader sees it in their list, on a phone.
    trader = open_page(phone=True)
    log_in(trader, base, "081100000004", "/pedagang/pesanan/")
    expect(trader.locator("main")).to_contain_text(order.number)
    assert fits(trader)

    # The operator reads every message in Kotak keluar: the replies to the buyer, the trader's news.
    operator = open_page(phone=True)
    log_in(operator, base, "081100000002", f"/pengelola/{market.slug}/kotak-keluar/")
    expect(operator.locator("#outbox")).to_contain_text(product.name)
    expect(operator.locator("#outbox")).to_contain_text(order.number)
    expect(operator.locator("#month-costs")).to_contain_text("utility")
    assert fits(operator)
