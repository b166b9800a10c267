"""The whole order story in Chromium, every step through the pages: buyer, two traders, courier, operator.

A buyer orders from two stalls with delivery and cash on delivery; trader A weighs beyond the ±10 %
tolerance and the buyer approves; trader B proposes a substitute and the buyer approves; the courier
picks up both stalls and hands over against the code and the exact cash; the operator's settlement
shows what each trader is owed and what the courier holds. Only the starting data comes from factories.
"""

import re
from datetime import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import Page, expect

from pasar.catalog.models import Product
from pasar.markets.models import MarketRole
from pasar.orders.models import Order, OrderLine
from pasar.payments.models import Account, Entry, Posting
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_VIEWPORT = {"width": 360, "height": 740}
OPERATOR_FEE_PERCENT = "2"


def rupiah(text: str) -> int:
    """``Rp34.000`` or ``± Rp10.000`` → 34000 / 10000."""
    return int(re.sub(r"\D", "", text))


def fits(page: Page) -> bool:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= PHONE_VIEWPORT["width"]


@pytest.fixture
def open_page(browser, live_server):
    """A new browser context per person (own cookies), in English, optionally on a 360-px phone."""
    contexts = []

    def open_(*, phone: bool = False) -> Page:
        context = browser.new_context(viewport=PHONE_VIEWPORT if phone else None)
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
        context.set_default_timeout(10_000)
        contexts.append(context)
        page: Page = context.new_page()
        return page

    yield open_
    for context in contexts:
        context.close()


def log_in(page: Page, base: str, phone: str, next_path: str) -> None:
    page.goto(f"{base}/akun/masuk/?next={next_path}")
    page.locator("input[name=username]").fill(phone)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url(f"{base}{next_path}")


def add_to_cart(page: Page, base: str, product_id: int, quantity: str, note: str = "") -> None:
    page.goto(f"{base}/produk/{product_id}/")
    page.locator(f"#qty-{product_id}").fill(quantity)
    if note:
        page.locator(f"#note-{product_id}").fill(note)
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(f"#added-{product_id}")).to_contain_text("in cart")


def test_order_story_from_cart_to_settlement(live_server, open_page, settings):
    settings.PASAR_OPERATOR_FEE_PERCENT_BY_MARKET = {"pasar-cihapit": OPERATOR_FEE_PERCENT}
    base = live_server.url

    # 1. A market delivering within 3 km whose market day is today until a minute before midnight.
    market = factories.market()
    market.delivery_radius_km = Decimal(3)
    market.closes_at = market.order_cutoff = time(23, 59, 59)
    market.save(update_fields=["delivery_radius_km", "closes_at", "order_cutoff"])
    stall_a = factories.stall(market=market, trader_obj=factories.trader(name="Euis", phone="+6281311110001"))
    stall_b = factories.stall(market=market, trader_obj=factories.trader(name="Dadang", phone="+6281311110002"))
    chili = factories.product(
        stall=stall_a, name="Cabai Rawit Merah", unit="kg", price=40000, commodity_obj=factories.commodity()
    )
    chili.quantity_step = chili.quantity_min = Decimal("0.25")
    chili.save(update_fields=["quantity_step", "quantity_min"])
    eggs = factories.product(stall=stall_a, name="Telur Ayam", unit="butir", price=2500, stock=30)
    tofu = factories.product(stall=stall_b, name="Tahu Putih", unit="bungkus", price=5000, stock=10)
    tempeh = factories.product(stall=stall_b, name="Tempe Papan", unit="papan", price=6000, stock=8)
    courier = factories.user(name="Asep Kurir", phone="+6281311110003")
    MarketRole.objects.create(user=courier, market=market, role=MarketRole.Role.COURIER)
    operator = factories.user(name="Bu Operator", phone="+6281311110004")
    MarketRole.objects.create(user=operator, market=market, role=MarketRole.Role.OPERATOR)
    buyer_user = factories.user(name="Sari", phone="+6281377778888")

    # 2. The buyer fills one cart from both stalls, with a note, and orders delivery, cash on delivery.
    buyer = open_page()
    log_in(buyer, base, "081377778888", f"/produk/{chili.pk}/")
    add_to_cart(buyer, base, chili.pk, "0,25", note="yang merah saja")
    add_to_cart(buyer, base, eggs.pk, "4")
    add_to_cart(buyer, base, tofu.pk, "2")
    buyer.goto(f"{base}/keranjang/{market.slug}/")
    expect(buyer.locator("#cart-total")).to_have_text("Rp30.000")
    buyer.get_by_role("link", name="Checkout").click()
    buyer.get_by_label("Delivery address").fill("Jl. Cihapit 12, Bandung")
    buyer.get_by_text("Point on the map (coordinates)").click()
    buyer.get_by_label("Latitude").fill("-6.9007")
    buyer.get_by_label("Longitude").fill("107.6227")
    buyer.get_by_role("button", name="Check the delivery fee").click()
    expect(buyer.locator("#fee .price")).to_have_text("Rp8.000")
    buyer.get_by_role("radio", name="Delivery", exact=True).check()
    buyer.get_by_role("radio", name=re.compile("Cash on delivery")).check()
    buyer.locator("#place").click()
    buyer.wait_for_url(re.compile(rf"{re.escape(base)}/pesanan/[0-9]{{6}}-[0-9A-F]{{8}}/$"))
    order = Order.objects.get(buyer=buyer_user)
    order_url = buyer.url
    expect(buyer.locator("#handover-code")).to_have_text(order.handover_code)
    part_a, part_b = order.parts.get(stall=stall_a), order.parts.get(stall=stall_b)
    chili_line, eggs_line = part_a.lines.get(product=chili), part_a.lines.get(product=eggs)
    tofu_line = part_b.lines.get(product=tofu)
    assert (order.goods_estimate, order.delivery_fee, order.for_date) == (30000, 8000, timezone.localdate())

    # 3. Trader A accepts, weighs 0,3 kg (+20 %: the buyer must approve), marks the eggs available.
    trader_a = open_page(phone=True)
    log_in(trader_a, base, "081311110001", "/pedagang/pesanan/")
    trader_a.locator(f"#part-{part_a.pk} a").click()
    trader_a.wait_for_url(f"{base}/pedagang/pesanan/{part_a.pk}/")
    expect(trader_a.locator(f"#line-{chili_line.pk}")).to_contain_text("“yang merah saja”")
    trader_a.get_by_role("button", name="Accept this order").click()
    expect(trader_a.locator("#part")).to_contain_text("Order accepted. Prepare the lines below.")
    chili_card = trader_a.locator(f"#line-{chili_line.pk}")
    chili_card.get_by_label("Weighed quantity (kg)").fill("0,3")
    chili_card.get_by_role("button", name="Calculate price").click()
    expect(chili_card.get_by_label("Price (Rp)")).to_have_value("12000")
    expect(chili_card).to_contain_text("More than 10 % away from the estimate: the buyer must approve this weight.")
    chili_card.get_by_role("button", name="Save weight").click()
    expect(trader_a.locator("#part")).to_contain_text("Weight saved.")
    expect(chili_card).to_contain_text("the buyer must approve this weight")
    trader_a.locator(f"#line-{eggs_line.pk}").get_by_role("button", name="Available", exact=True).click()
    expect(trader_a.locator("#part")).to_contain_text("Line saved.")
    assert fits(trader_a)
    trader_a.get_by_role("button", name="Everything is packed: mark ready").click()
    expect(trader_a.locator("#part")).to_contain_text("Mark every line, and wait for the buyer's approvals, first.")
    part_a.refresh_from_db()
    assert part_a.state == "accepted"

    buyer.goto(order_url)
    change = buyer.locator(f"#change-{chili_line.pk}")
    expect(change).to_contain_text("Cabai Rawit Merah weighed 0,3 kg (ordered 0,25): Rp12.000 (estimate Rp10.000)")
    change.get_by_role("button", name="Approve").click()
    expect(buyer.locator(".messages")).to_contain_text("Thank you: the trader sees your answer.")

    trader_a.reload()
    trader_a.get_by_role("button", name="Everything is packed: mark ready").click()
    expect(trader_a.locator("#part")).to_contain_text("Marked ready: a courier or the buyer will collect it.")

    # 4. Trader B accepts and proposes tempeh instead of tofu; the buyer approves; B marks ready.
    trader_b = open_page(phone=True)
    log_in(trader_b, base, "081311110002", f"/pedagang/pesanan/{part_b.pk}/")
    trader_b.get_by_role("button", name="Accept this order").click()
    expect(trader_b.locator("#part")).to_contain_text("Order accepted. Prepare the lines below.")
    tofu_card = trader_b.locator(f"#line-{tofu_line.pk}")
    tofu_card.get_by_text("Propose a substitute").click()
    tofu_card.get_by_label("Substitute", exact=True).select_option(str(tempeh.pk))
    tofu_card.get_by_label("Quantity").fill("2")
    tofu_card.get_by_role("button", name="Propose to the buyer").click()
    expect(trader_b.locator("#part")).to_contain_text("Substitute proposed: the buyer approves or refuses it.")
    substitute = OrderLine.objects.get(substitute_for=tofu_line)
    expect(trader_b.locator(f"#line-{substitute.pk}")).to_contain_text("waiting for the buyer's answer")
    assert fits(trader_b)

    buyer.goto(order_url)
    change = buyer.locator(f"#change-{substitute.pk}")
    expect(change).to_contain_text("Tempe Papan instead of Tahu Putih: 2 papan, Rp12.000")
    change.get_by_role("button", name="Approve").click()
    expect(buyer.locator(".messages")).to_contain_text("Thank you: the trader sees your answer.")

    trader_b.reload()
    trader_b.get_by_role("button", name="Everything is packed: mark ready").click()
    expect(trader_b.locator("#part")).to_contain_text("Marked ready: a courier or the buyer will collect it.")

    # The buyer now sees the final amount: the lines as weighed and substituted, plus the fee.
    buyer.goto(order_url)
    expect(buyer.locator("#step-ready")).to_have_class(re.compile("done"))
    shown_lines = [rupiah(text) for text in buyer.locator("section[id^=part-] td.price").all_inner_texts()]
    assert sorted(shown_lines) == [0, 10000, 12000, 12000]  # tofu (replaced), eggs, chili, tempeh
    expect(buyer.locator("#amount")).to_contain_text("Final amount: Rp42.000")
    expect(buyer.locator("#amount")).to_contain_text("(Rp34.000 + Rp8.000 delivery)")

    # 5. The courier takes the order, ticks both stalls, and hands over: a wrong code first.
    rider = open_page(phone=True)
    log_in(rider, base, "081311110003", "/kurir/")
    rider.locator(f"#take-{order.pk}").get_by_role("button", name="Take").click()
    expect(rider.locator(".messages")).to_contain_text(f"Order {order.number} is yours")
    card = rider.locator(f"#order-{order.pk}")
    for _stall in range(2):
        card.get_by_role("button", name="Picked up").first.click()
        expect(rider.locator(".messages")).to_contain_text("Picked up.")
    expect(card.get_by_role("button", name="Picked up")).to_have_count(0)
    collect = rupiah(card.locator(".price").inner_text())
    assert collect == 42000
    wrong = "000000" if order.handover_code != "000000" else "111111"
    card.get_by_label("Handover code from the buyer").fill(wrong)
    card.get_by_label("Cash collected (Rp)").fill("42.000")
    card.get_by_role("button", name="Hand over").click()
    expect(rider.locator(".messages")).to_contain_text(
        "Wrong handover code: ask the buyer for the code on their order page."
    )
    order.refresh_from_db()
    assert (order.state, order.payment_state, order.cash_collected) == ("picked_up", "unpaid", None)
    assert not Entry.objects.filter(order=order).exists()
    card.get_by_label("Handover code from the buyer").fill(order.handover_code)
    card.get_by_label("Cash collected (Rp)").fill(f"{collect:,}".replace(",", "."))  # the figure the card shows
    card.get_by_role("button", name="Hand over").click()
    expect(rider.locator(".messages")).to_contain_text(f"Order {order.number} delivered.")
    expect(rider.locator("main")).to_contain_text("Fees earned: Rp8.000 · cash held: Rp42.000")
    assert fits(rider)

    # 6. The database: delivered and paid, the total the buyer saw, a balanced ledger, exact stock.
    order.refresh_from_db()
    assert (order.state, order.payment_state, order.goods_total, order.cash_collected) == (
        "delivered",
        "paid",
        sum(shown_lines),
        42000,
    )
    assert order.goods_total == 34000
    entries = list(Entry.objects.filter(order=order))
    assert [entry.kind for entry in entries] == ["delivered"]
    for entry in entries:
        assert entry.postings.aggregate(total=Sum("amount"))["total"] == 0
    balances = {
        row["account__code"]: row["total"]
        for row in Posting.objects.filter(entry__order=order).values("account__code").annotate(total=Sum("amount"))
    }
    trader_a_user, trader_b_user = stall_a.trader.user, stall_b.trader.user
    assert balances == {
        f"buyer:{buyer_user.pk}": 0,
        f"courier_cash:{market.pk}:{courier.pk}": 42000,
        f"trader:{market.pk}:{trader_a_user.pk}": -(22000 - 440),  # chili 12.000 + eggs 10.000, 2 % fee
        f"trader:{market.pk}:{trader_b_user.pk}": -(12000 - 240),  # tempeh 12.000, 2 % fee
        f"courier:{market.pk}:{courier.pk}": -8000,
        f"operator:{market.pk}": -680,
    }
    assert Account.objects.get(code=f"trader:{market.pk}:{trader_a_user.pk}").name == "Euis"
    stock = dict(Product.objects.filter(pk__in=[eggs.pk, tofu.pk, tempeh.pk, chili.pk]).values_list("name", "stock"))
    assert stock == {"Telur Ayam": 26, "Tahu Putih": 10, "Tempe Papan": 6, "Cabai Rawit Merah": None}

    # 7. The operator's settlement of the day: each trader, the courier's cash and fee, balanced.
    office = open_page()
    log_in(office, base, "081311110004", f"/pengelola/{market.slug}/setoran/")
    expect(office.locator("#settlement-day")).to_contain_text("1 order delivered")
    traders = office.locator("#settlement-traders tbody tr")
    assert [row.split("\t") for row in traders.all_inner_texts()] == [
        ["Dadang", "–", "Rp11.760"],
        ["Euis", "–", "Rp21.560"],
    ]
    couriers = office.locator("#settlement-couriers tbody tr")
    assert [row.split("\t") for row in couriers.all_inner_texts()] == [
        ["Asep Kurir", "Rp42.000", "Rp8.000", "Rp0", "Rp34.000"]  # cash, fees, cari-di-pasar, to hand in
    ]
    expect(office.locator("#settlement-operator-fee")).to_have_text("Rp680")
    expect(office.locator("#settlement-reconciles")).to_be_visible()
