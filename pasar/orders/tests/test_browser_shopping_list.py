"""A shopping-list order in Chromium, from typing the list to delivery, every step through the pages.

The buyer types a list as they would text it: one line matches a stall's product, one is not sold by
any stall ("cari di pasar", with a price cap), one is only an emoji (flagged, not added). The trader
prepares the stall's part; the courier takes the order, buys the cari-di-pasar item over the cap and
records the price; the buyer approves it; the courier hands over against the code and the exact cash,
which includes the approved price; the ledger balances and reimburses the courier.
"""

import re
from datetime import time
from decimal import Decimal

import pytest
from django.db.models import Sum
from playwright.sync_api import expect

from pasar.catalog.models import Commodity
from pasar.catalog.services import vocabulary_load
from pasar.markets.models import MarketRole
from pasar.orders.models import CartLine, CartRequest, Order, SearchLine
from pasar.orders.tests.test_browser_story import fits, log_in, open_page, rupiah  # noqa: F401 (fixture)
from pasar.payments.models import Posting
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shopping_list_order_from_typing_to_delivery(live_server, open_page, settings):  # noqa: F811
    base = live_server.url
    vocabulary_load()
    market = factories.market()
    market.delivery_radius_km = Decimal(3)
    market.closes_at = market.order_cutoff = time(23, 59, 59)
    market.save(update_fields=["delivery_radius_km", "closes_at", "order_cutoff"])
    stall = factories.stall(market=market, trader_obj=factories.trader(name="Dadang", phone="+6281311110002"))
    tempe = factories.product(
        stall=stall, name="Tempe Papan", unit="papan", price=5000, commodity_obj=Commodity.objects.get(name="Tempe")
    )
    courier = factories.user(name="Asep Kurir", phone="+6281311110003")
    MarketRole.objects.create(user=courier, market=market, role=MarketRole.Role.COURIER)
    buyer_user = factories.user(name="Sari", phone="+6281377778888")

    # 1. The buyer writes the list and checks it: matched, cari di pasar, flagged.
    buyer = open_page(phone=True)
    log_in(buyer, base, "081377778888", f"/keranjang/{market.slug}/")
    buyer.get_by_role("link", name="Write a shopping list").click()
    buyer.locator("#list-text").fill("tempe 2 papan\nkemangi 3rb\n😀")
    buyer.get_by_role("button", name="Check the list").click()
    expect(buyer.locator("#list-line-0")).to_contain_text("Tempe Papan · 2 papan")
    expect(buyer.locator("#list-line-0")).to_contain_text("Rp10.000")
    expect(buyer.locator("#list-line-1")).to_contain_text("Cari di pasar: kemangi")
    expect(buyer.locator("#cap-1")).to_have_value("3000")
    expect(buyer.locator("#list-line-2")).to_contain_text(
        "Not an item (a greeting, thanks or heading)"
    )  # an emoji alone is chatter
    assert not CartLine.objects.exists()
    assert fits(buyer)
    buyer.locator("#cap-1").fill("4.000")
    buyer.get_by_role("button", name="Put in the cart").click()
    buyer.wait_for_url(f"{base}/keranjang/{market.slug}/")
    expect(buyer.locator(".messages")).to_contain_text("2 lines are in your cart.")
    expect(buyer.locator("#cart-total")).to_have_text("Rp10.000")
    assert CartLine.objects.get().product == tempe
    expect(buyer.locator("#caps-total")).to_contain_text("at most Rp4.000")

    # 2. Checkout: delivery, cash on delivery.
    buyer.get_by_role("link", name="Checkout").click()
    expect(buyer.locator("#caps-total")).to_contain_text("1 cari-di-pasar lines: at most Rp4.000")
    buyer.get_by_label("Delivery address").fill("Jl. Cihapit 12, Bandung")
    buyer.get_by_text("Point on the map (coordinates)").click()
    buyer.get_by_label("Latitude").fill("-6.9007")
    buyer.get_by_label("Longitude").fill("107.6227")
    buyer.get_by_role("radio", name="Delivery", exact=True).check()
    buyer.get_by_role("radio", name=re.compile("Cash on delivery")).check()
    buyer.locator("#place").click()
    buyer.wait_for_url(re.compile(rf"{re.escape(base)}/pesanan/[0-9]{{6}}-[0-9A-F]{{8}}/$"))
    order_url = buyer.url
    order = Order.objects.get(buyer=buyer_user)
    line = SearchLine.objects.get(order=order)
    assert (line.text, line.quantity, line.price_cap) == ("kemangi", "Rp3.000", 4000)
    assert not CartRequest.objects.exists()
    expect(buyer.locator(f"#search-{line.pk}")).to_contain_text("To buy in the market")

    # 3. The trader prepares the stall's part.
    trader = open_page(phone=True)
    part = order.parts.get()
    log_in(trader, base, "081311110002", f"/pedagang/pesanan/{part.pk}/")
    trader.get_by_role("button", name="Accept this order").click()
    expect(trader.locator("#part")).to_contain_text("Order accepted. Prepare the lines below.")
    trader.get_by_role("button", name="Available", exact=True).click()
    expect(trader.locator("#part")).to_contain_text("Line saved.")
    trader.get_by_role("button", name="Everything is packed: mark ready").click()
    expect(trader.locator("#part")).to_contain_text("Marked ready")

    # 4. The courier takes the order, buys the kemangi over the cap, picks up the stall's bag.
    rider = open_page(phone=True)
    log_in(rider, base, "081311110003", "/kurir/")
    rider.locator(f"#take-{order.pk}").get_by_role("button", name="Take").click()
    expect(rider.locator(".messages")).to_contain_text(f"Order {order.number} is yours")
    item = rider.locator(f"#search-{line.pk}")
    expect(item).to_contain_text("at most Rp4.000")
    item.get_by_label("Price paid (Rp)").fill("4.500")
    item.get_by_role("button", name="Bought").click()
    expect(rider.locator(".messages")).to_contain_text("Price saved: the buyer approves it on their order page.")
    rider.locator(f"#order-{order.pk}").get_by_role("button", name="Picked up").click()
    expect(rider.locator(".messages")).to_contain_text("Picked up.")
    assert fits(rider)

    # 5. The buyer sees the price over the cap and approves it.
    buyer.goto(order_url)
    bought = buyer.locator(f"#search-{line.pk}")
    expect(bought).to_contain_text("Paid by the courier: Rp4.500")
    expect(bought).to_contain_text("over your cap")
    bought.get_by_role("button", name="Approve the price").click()
    expect(buyer.locator(".messages")).to_contain_text("Thank you: the courier sees your answer.")
    order.refresh_from_db()
    due = 10000 + 4500 + order.delivery_fee
    expect(buyer.locator("#amount")).to_contain_text(f"Final amount: Rp{due:,}".replace(",", "."))

    # 6. The courier hands over against the code, collecting the total with the approved price.
    rider.reload()
    card = rider.locator(f"#order-{order.pk}")
    assert rupiah(card.locator(".price").first.inner_text()) == due
    card.get_by_label("Handover code from the buyer").fill(order.handover_code)
    card.get_by_label("Cash collected (Rp)").fill(f"{due:,}".replace(",", "."))
    card.get_by_role("button", name="Hand over").click()
    expect(rider.locator(".messages")).to_contain_text(f"Order {order.number} delivered.")

    order.refresh_from_db()
    assert (order.state, order.payment_state, order.bought_total, order.cash_collected) == (
        "delivered",
        "paid",
        4500,
        due,
    )
    balances = {
        row["account__code"]: row["total"]
        for row in Posting.objects.filter(entry__order=order).values("account__code").annotate(total=Sum("amount"))
    }
    assert sum(balances.values()) == 0
    assert balances[f"courier:{market.pk}:{courier.pk}"] == -(order.delivery_fee + 4500)
    assert balances[f"courier_cash:{market.pk}:{courier.pk}"] == due
