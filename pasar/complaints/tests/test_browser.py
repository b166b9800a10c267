"""On a 360-px phone: a buyer complains about one line with a photo, the trader disagrees, the operator
grants a partial refund; the buyer's order and the trader's settlement show it; the ledger sums to zero."""

import pytest
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from pasar.complaints.models import Complaint
from pasar.complaints.tests.scenario import delivered
from pasar.payments.models import Posting
from pasar.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_VIEWPORT = {"width": 360, "height": 740}


def fits(page: Page) -> bool:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= PHONE_VIEWPORT["width"]


@pytest.fixture
def open_phone(browser, live_server):
    contexts = []

    def open_() -> Page:
        context = browser.new_context(viewport=PHONE_VIEWPORT)
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
        context.set_default_timeout(10_000)
        contexts.append(context)
        page: Page = context.new_page()
        return page

    yield open_
    for context in contexts:
        context.close()


def test_complaint_to_partial_refund_on_a_phone(live_server, open_phone, market, media_root, tmp_path):
    d = delivered(market)
    base = live_server.url
    photo = tmp_path / "tomat.jpg"
    Image.new("RGB", (1600, 1200), "brown").save(photo, "JPEG")

    buyer = open_phone()
    log_in(buyer, base, d.buyer, d.order.get_absolute_url())
    buyer.get_by_role("link", name="Complain (komplain)").click()
    buyer.wait_for_url(f"{base}/pesanan/{d.order.number}/komplain/")
    buyer.get_by_label("Which item").select_option(str(d.line.pk))
    buyer.get_by_label("What went wrong").select_option("spoiled")
    buyer.get_by_label("Describe it (optional)").fill("Setengahnya busuk")
    buyer.get_by_label("Photo (optional)").set_input_files(str(photo))
    buyer.get_by_label("What you ask for").select_option("refund_part")
    buyer.get_by_label("Refund asked (Rp), for part of the line").fill("5.000")
    assert fits(buyer)
    buyer.get_by_role("button", name="Send the complaint").click()
    buyer.wait_for_url(f"{base}{d.order.get_absolute_url()}")
    complaint = Complaint.objects.get()
    expect(buyer.locator(f"#complaint-{complaint.pk} .complaint-state")).to_have_text("Waiting for the trader")
    assert complaint.photo

    trader = open_phone()
    log_in(trader, base, d.trader, f"/pedagang/pesanan/{d.line.part_id}/")
    trader.get_by_role("link", name="Open the complaint").click()
    trader.get_by_label("I disagree").check()
    trader.get_by_label("Note (required to disagree)").fill("Masih segar waktu diambil kurir")
    assert fits(trader)
    trader.get_by_role("button", name="Send the answer").click()
    expect(trader.locator(".complaint-state")).to_have_text("Trader disagreed: the operator decides")

    operator = open_phone()
    log_in(operator, base, d.operator, f"/pengelola/{market.slug}/komplain/")
    operator.locator(f"#complaint-row-{complaint.pk} a").click()
    operator.get_by_label("Refund (Rp), 0 to reject").fill("2.500")
    operator.get_by_label("Paid as").select_option("cash")
    assert fits(operator)
    operator.get_by_role("button", name="Save the decision").click()
    expect(operator.locator(".complaint-refund")).to_contain_text("Rp2.500")

    buyer.reload()
    expect(buyer.locator(f"#complaint-{complaint.pk} .complaint-refund")).to_contain_text("Rp2.500")
    expect(buyer.locator(f"#complaint-{complaint.pk} .complaint-state")).to_have_text("Decided by the operator")

    operator.goto(f"{base}/pengelola/{market.slug}/setoran/?tanggal={timezone.localdate():%Y-%m-%d}")
    expect(operator.locator("#settlement-traders")).to_contain_text("−Rp2.500")
    expect(operator.locator("#settlement-reconciles")).to_be_visible()
    assert Posting.objects.aggregate(total=Sum("amount"))["total"] == 0
