"""In Chromium: a hotel's tempo-14 order is delivered and invoiced, the reminder arrives three days before
the due date (frozen time), the operator records the transfer, and the ledger balances with nothing owed."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db.models import Sum
from playwright.sync_api import Page, expect

from pasar.business.models import Invoice
from pasar.business.reminders import remind_invoices
from pasar.business.tests.scenario import delivered_tempo, hotel, operator_of
from pasar.orders.models import Order
from pasar.payments.models import Account, Entry, Posting
from pasar.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def open_() -> Page:
        context = browser.new_context(viewport={"width": 360, "height": 740})
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": live_server.url}])
        context.set_default_timeout(10_000)
        contexts.append(context)
        page: Page = context.new_page()
        return page

    yield open_
    for context in contexts:
        context.close()


def test_tempo_invoice_reminded_then_paid_and_the_ledger_balances(live_server, open_page, market):
    business, chef = hotel(market, days=14, limit=500_000)
    order = delivered_tempo(market, chef)  # the delivery task issues the invoice after the handover
    invoice = Invoice.objects.get(invoice_orders__order=order)
    assert invoice.tempo_days == 14
    base = live_server.url

    buyer = open_page()
    log_in(buyer, base, chef, f"/usaha/{business.pk}/")
    buyer.get_by_role("link", name=invoice.code).click()
    expect(buyer.locator("#invoice")).to_contain_text("Tempo 14 hari")
    expect(buyer.locator("#invoice-balance")).to_have_text("Sisa tagihan: Rp24.000")

    # Three days before the due date, 07:00 WIB: the scheduled job reminds the hotel, once.
    zone = ZoneInfo(market.timezone)
    morning = datetime.combine(invoice.due_on - timedelta(days=3), time(7, 0), tzinfo=zone)
    with time_machine.travel(morning, tick=False):
        assert remind_invoices(today=morning.date()) == 1
        assert remind_invoices(today=morning.date()) == 0
        buyer.goto(f"{base}/notifikasi/")
        expect(buyer.locator("main")).to_contain_text(f"Faktur {invoice.code} untuk Hotel Braga: Rp24.000 jatuh tempo")

        operator = open_page()
        staff = operator_of(market, name="Kasir Pasar")
        log_in(operator, base, staff, f"/pengelola/{market.slug}/usaha/")
        operator.get_by_role("link", name="Hotel Braga").click()
        expect(operator.locator("#outstanding")).to_have_text("Rp24.000")
        operator.get_by_role("link", name=invoice.code).click()
        operator.get_by_label("Jumlah diterima (Rp)").fill("24.000")
        operator.get_by_label("Referensi transfer").fill("BCA 0312")
        operator.get_by_role("button", name="Catat pembayaran").click()
        expect(operator.locator(".messages")).to_contain_text("Pembayaran dicatat.")
        expect(operator.locator("#invoice-balance")).to_have_text("Sisa tagihan: Rp0")

    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.PAID
    receivable = Account.objects.get(code=f"receivable:{market.pk}:{business.pk}")
    assert receivable.postings.aggregate(s=Sum("amount"))["s"] == 0
    for entry in Entry.objects.all():
        assert entry.postings.aggregate(s=Sum("amount"))["s"] == 0
    assert Posting.objects.aggregate(s=Sum("amount"))["s"] == 0
