"""Reminders once a day around the due date; pages: members only, the market's operator sets terms."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from pasar.business import reminders, services
from pasar.business.models import InvoiceReminder, PaymentTerms
from pasar.business.tests.scenario import delivered_tempo, hotel, operator_of
from pasar.notifications.models import Notification
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoiced(market):
    business, chef = hotel(market, days=14)
    invoice = services.invoice_issue_for_order(order=delivered_tempo(market, chef))
    assert invoice is not None
    return business, chef, invoice


def test_reminder_days():
    due = date(2026, 12, 16)
    days = [offset for offset in range(-5, 20) if reminders.reminder_due(due_on=due, today=due + timedelta(offset))]
    assert days == [-3, 0, 1, 8, 15]


def test_reminders_go_once_a_day_and_stop_when_paid(invoiced, market):
    business, chef, invoice = invoiced
    before = invoice.due_on - timedelta(days=3)
    assert reminders.remind_invoices(today=before) == 1
    assert reminders.remind_invoices(today=before) == 0  # the same day again: nothing
    note = Notification.objects.get(user=chef)
    assert note.message == reminders.INVOICE_DUE_SOON.inbox
    assert note.params["invoice"] == invoice.code
    assert reminders.remind_invoices(today=invoice.due_on - timedelta(days=1)) == 0  # not a reminder day
    assert reminders.remind_invoices(today=invoice.due_on + timedelta(days=1)) == 1
    assert list(InvoiceReminder.objects.values_list("overdue", flat=True).order_by("day")) == [False, True]
    services.payment_record(
        invoice=invoice, amount=invoice.total, reference="TRF", paid_on=invoice.due_on, actor=operator_of(market, "K")
    )
    assert reminders.remind_invoices(today=invoice.due_on + timedelta(days=8)) == 0
    assert Notification.objects.filter(user=chef).count() == 2


def test_only_members_see_a_business_and_its_invoices(client, invoiced):
    business, chef, invoice = invoiced
    urls = [
        reverse("business:detail", args=[business.pk]),
        reverse("business:invoice", args=[business.pk, invoice.pk]),
        reverse("business:invoice-file", args=[business.pk, invoice.pk, "pdf"]),
        reverse("business:statement", args=[business.pk]),
    ]
    client.force_login(factories.user(name="Tetangga"))
    assert [client.get(url).status_code for url in urls] == [404] * 4
    client.force_login(chef)
    assert [client.get(url).status_code for url in urls] == [200] * 4
    page = client.get(urls[1]).content.decode()
    assert invoice.code in page
    assert "Tempo 14 hari" in page
    pdf = client.get(urls[2])
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("business:statement-file", args=[business.pk, "xlsx"]))
    assert xlsx.content.startswith(b"PK")
    assert client.get(reverse("business:invoice-file", args=[business.pk, invoice.pk, "exe"])).status_code == 404


def test_only_the_owner_manages_contacts(client, invoiced):
    business, chef, _invoice = invoiced
    cook = factories.user(name="Juru Masak")
    services.member_add(business=business, phone=cook.phone)
    client.force_login(cook)
    response = client.post(reverse("business:detail", args=[business.pk]), {"action": "member", "phone": chef.phone})
    assert response.status_code == 404
    client.force_login(chef)
    member = business.memberships.get(user=cook)
    response = client.post(reverse("business:member-remove", args=[business.pk, member.pk]))
    assert response.status_code == 302
    assert not business.memberships.filter(user=cook).exists()


def test_a_buyer_registers_a_business(client):
    owner = factories.user(name="Pemilik Warung")
    client.force_login(owner)
    response = client.post(
        reverse("business:list"), {"name": "Warung Bu Sri", "kind": "warung", "address": "Jl. Cihapit 3", "npwp": ""}
    )
    assert response.status_code == 302
    assert owner.businesses.get().name == "Warung Bu Sri"
    page = client.get(reverse("business:list")).content.decode()
    assert "Usaha saya" in page


def test_only_the_markets_operator_sets_terms(client, invoiced, market, other_market):
    business, chef, invoice = invoiced
    url = reverse("business:operator-business", args=[market.slug, business.pk])
    data = {"kind": "tempo", "days": "30", "credit_limit": "2.500.000", "invoicing": "weekly"}
    client.force_login(operator_of(other_market, name="Operator Lain"))
    assert client.post(url, data).status_code == 404
    client.force_login(chef)
    assert client.post(url, data).status_code == 404
    operator = operator_of(market, name="Operator Pasar")
    client.force_login(operator)
    assert client.get(reverse("business:operator-list", args=[market.slug])).status_code == 200
    assert client.post(url, data).status_code == 302
    terms = PaymentTerms.objects.get(business=business, market=market)
    assert (terms.days, terms.credit_limit, terms.invoicing) == (30, 2_500_000, "weekly")
    bad = client.post(url, {**data, "days": "10"})
    assert bad.status_code == 200
    terms.refresh_from_db()
    assert terms.days == 30


def test_the_operator_records_a_payment(client, invoiced, market):
    _business, _chef, invoice = invoiced
    client.force_login(operator_of(market, name="Kasir Pasar"))
    url = reverse("business:operator-invoice", args=[market.slug, invoice.pk])
    response = client.post(url, {"amount": "Rp 24.000", "reference": "BCA 123", "paid_on": str(invoice.issued_on)})
    assert response.status_code == 302
    assert invoice.payments.get().amount == 24_000


def test_documents_write_indonesian_dates():
    from pasar.business.documents import tanggal

    assert tanggal(date(2026, 12, 3)) == "3 Desember 2026"


def test_checkout_offers_tempo_only_to_members_with_terms(client, market):
    from decimal import Decimal

    from pasar.orders.services.cart import cart_set

    _business, chef = hotel(market, days=14)
    product = factories.product(stall=factories.stall(market=market), price=5000)
    neighbour = factories.user(name="Tetangga")
    for buyer in (chef, neighbour):
        cart_set(buyer=buyer, product=product, quantity=Decimal(1))
    url = reverse("orders:checkout", args=[market.slug])
    client.force_login(chef)
    assert 'value="tempo"' in client.get(url).content.decode()
    assert "Tempo 14 hari" in client.get(url).content.decode()
    client.force_login(neighbour)
    assert 'value="tempo"' not in client.get(url).content.decode()
