"""End to end in Chromium, in Bahasa Indonesia: a restaurant's Monday/Thursday standing order across three stalls.

It is created from the cart, next Monday's draft is edited, the cut-off job places it on a frozen clock,
and the chicken that ran out is reported on the page and in the inbox.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from pasar.orders.models import Order, OrderLine
from pasar.orders.services.cart import cart_set
from pasar.runtime.periodic import Run as PeriodicRun
from pasar.standing.models import StandingOrder
from pasar.standing.schedule import place_due
from pasar.standing.tests.scenarios import MONDAY, THURSDAY, at, restaurant
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_restaurant_standing_order_placed_at_cutoff_reports_out_of_stock(live_server, phone, time_machine):
    time_machine.move_to(at(THURSDAY, 12), tick=True)  # Thursday's cut-off has passed: next is Monday
    r = restaurant()
    r.buyer.phone = "+6281300001111"
    r.buyer.save()
    cart_set(buyer=r.buyer, product=r.cabai, quantity=Decimal("1.5"))
    cart_set(buyer=r.buyer, product=r.bawang, quantity=Decimal(2))
    cart_set(buyer=r.buyer, product=r.ayam, quantity=Decimal(4))
    base = live_server.url

    phone.goto(f"{base}/akun/masuk/?next=/rutin/")
    phone.locator("input[name=username]").fill("081300001111")
    phone.locator("input[name=password]").fill(factories.PASSWORD)
    phone.locator("main form button").click()
    phone.wait_for_url(f"{base}/rutin/")
    expect(phone.locator("h1")).to_have_text("Pesanan rutin")

    phone.get_by_role("link", name="Dari keranjang saya di Pasar Cihapit").click()
    expect(phone.locator("#new-lines li")).to_have_count(3)
    phone.get_by_label("Nama").fill("Dapur RM Sunda")
    phone.get_by_role("checkbox", name="Senin").check()
    phone.get_by_role("checkbox", name="Kamis").check()
    phone.get_by_label("Alamat pengantaran").fill("Jl. Braga 10, Bandung")
    phone.locator("#id_lat").fill("-6,915")
    phone.locator("#id_lng").fill("107,61")
    phone.get_by_role("radio", name="Bayar di tempat (COD)").check()
    phone.locator("#save-standing").click()
    expect(phone.locator("#draft h2")).to_have_text("Pengiriman berikutnya: Senin, 7 Desember")
    expect(phone.locator("#cutoff")).to_contain_text("Senin, 7 Desember 11.00")
    standing = StandingOrder.objects.get(buyer=r.buyer)
    assert standing.weekdays == "14"

    # Next Monday only: more cabai (htmx swaps the page's main part; the usual lines stay as they were).
    cabai = phone.locator("#draft-lines li", has_text="Cabai Rawit")
    cabai.locator("input[name=quantity]").fill("2,5")
    cabai.get_by_role("button", name="Simpan").click()
    expect(phone.locator("#draft-estimate")).to_have_text("Rp410.000")  # 2,5 × 60.000 + 2 × 40.000 + 4 × 45.000
    expect(phone.locator("#usual")).to_contain_text("Cabai Rawit · 1,5 kg")

    # The chicken stall sells out over the weekend; Monday's cut-off passes and the job runs.
    r.ayam.stock = 0
    r.ayam.save(update_fields=["stock"])
    time_machine.move_to(at(MONDAY, 11, 5), tick=False)
    place_due(PeriodicRun(due_at=at(MONDAY, 11, 5), previous=None))
    order = Order.objects.get(buyer=r.buyer)
    assert order.for_date == MONDAY
    assert dict(OrderLine.objects.filter(part__order=order).values_list("name", "quantity")) == {
        "Cabai Rawit": Decimal("2.5"),
        "Bawang Merah": Decimal(2),
    }

    phone.reload()
    history = phone.locator(f"#run-{MONDAY:%Y%m%d}")
    expect(history).to_contain_text("Dipesan")
    expect(history).to_contain_text(order.number)
    expect(history).to_contain_text("Ayam Potong: stok habis, tidak dipesan")
    expect(phone.locator("#draft h2")).to_have_text("Pengiriman berikutnya: Kamis, 10 Desember")

    phone.goto(f"{base}/notifikasi/")
    expect(phone.locator("main")).to_contain_text(f"sudah dipesan sebagai pesanan {order.number}")
    expect(phone.locator("main")).to_contain_text("Tidak tersedia: Ayam Potong")
