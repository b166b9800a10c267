"""A trader's order part on a 360-px phone, in Indonesian: the weight written "0,5", the substitute select
prompting in Indonesian, "weigh first" told before pressing ready, and the propose button not hidden by
the sticky ready bar."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from pasar.orders.services import fulfilment
from pasar.orders.tests import staff_scenarios as sc
from pasar.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def test_a_trader_weighs_and_proposes_on_a_phone_in_indonesian(live_server, browser, market):
    trader = factories.trader(name="Euis", phone="+6281311110001")
    stall = factories.stall(market=market, trader_obj=trader)
    chili = sc.weighed_product(stall=stall, name="Cabai Merah", price=40000)
    factories.product(stall=stall, name="Cabai Rawit", unit="kg", price=50000)
    eggs = factories.product(stall=stall, name="Telur", unit="butir", price=2000)
    order = sc.place(market=market, items=[(chili, "0.5"), (eggs, "3")])
    part = order.parts.get()
    fulfilment.part_accept(part_id=part.pk, actor=trader.user)
    chili_line = part.lines.get(product=chili)
    eggs_line = part.lines.get(product=eggs)
    base = live_server.url
    context = browser.new_context(viewport=PHONE)  # the site's own language: Bahasa Indonesia
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(f"{base}/akun/masuk/?next=/pedagang/pesanan/{part.pk}/")
        page.locator("input[name=username]").fill("081311110001")
        page.locator("input[name=password]").fill(factories.PASSWORD)
        page.locator("main form button").click()
        page.wait_for_url(f"{base}/pedagang/pesanan/{part.pk}/")

        expect(page.locator(f"#id_w{chili_line.pk}-quantity")).to_have_value("0,5")
        expect(page.locator("#weigh-first")).to_contain_text("Timbang dulu")  # before pressing ready
        options = page.locator(f"#line-{eggs_line.pk} select option")
        expect(options.first).to_have_text("— pilih produk —")
        assert "Select an option" not in page.content()

        page.locator(f"#line-{eggs_line.pk} summary").click()
        propose = page.locator(f"#line-{eggs_line.pk} button[value=substitute]")
        expect(propose).to_be_visible()
        box = propose.bounding_box()
        assert box is not None
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('button')?.value || ''",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert hit == "substitute"  # not the sticky "mark ready" bar lying over it
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.goto(f"{base}/pedagang/produk/baru/")
        expect(page.locator("select[name=commodity] option").first).to_contain_text("tidak masuk laporan harga")
    finally:
        context.close()
    chili_line.refresh_from_db()
    assert chili_line.quantity == Decimal("0.5")
