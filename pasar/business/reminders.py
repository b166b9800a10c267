"""Reminders of tempo invoices: 3 days before the due date, on it, then every 7 days while overdue.

Each invoice is reminded at most once a day (``InvoiceReminder`` unique per invoice and day, and the
notification's key), so the job may run as often as the scheduler likes.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from pasar.accounts.models import BusinessMember
from pasar.business.models import Invoice, InvoiceReminder
from pasar.business.selectors import balance
from pasar.core.money import format_rupiah
from pasar.notifications.messages import Template
from pasar.notifications.services import notify

INVOICE_DUE_SOON = Template(
    "tagihan_jatuh_tempo",
    gettext_noop("Invoice %(invoice)s of %(business)s: %(amount)s is due on %(due)s."),
    ("invoice", "business", "amount", "due", "url"),
)
INVOICE_OVERDUE = Template(
    "tagihan_lewat_tempo",
    gettext_noop("Invoice %(invoice)s of %(business)s is overdue since %(due)s: %(amount)s still to pay."),
    ("invoice", "business", "amount", "due", "url"),
)
BEFORE_DAYS = 3
OVERDUE_EVERY = 7


def reminder_due(*, due_on: date, today: date) -> bool:
    days = (today - due_on).days
    return days in (-BEFORE_DAYS, 0) or (days > 0 and (days - 1) % OVERDUE_EVERY == 0)


def remind_invoices(*, today: date) -> int:
    """Remind the owners and contacts of every tempo invoice still owed whose reminder day is today."""
    sent = 0
    invoices = Invoice.objects.filter(kind=Invoice.Kind.INVOICE, tempo_days__isnull=False).select_related(
        "business", "market"
    )
    for invoice in invoices.filter(due_on__lte=date.fromordinal(today.toordinal() + BEFORE_DAYS)):
        left = balance(invoice)
        if left <= 0 or not reminder_due(due_on=invoice.due_on, today=today):
            continue
        try:
            with transaction.atomic():
                InvoiceReminder.objects.create(invoice=invoice, day=today, overdue=invoice.due_on < today)
        except IntegrityError:
            continue  # already reminded today
        template = INVOICE_OVERDUE if invoice.due_on < today else INVOICE_DUE_SOON
        url = reverse("business:invoice", kwargs={"business_id": invoice.business_id, "invoice_id": invoice.pk})
        params = {
            "invoice": invoice.code,
            "business": invoice.business.name,
            "amount": format_rupiah(left),
            "due": f"{invoice.due_on:%d-%m-%Y}",
            "url": url,
        }
        for member in BusinessMember.objects.filter(business=invoice.business).select_related("user"):
            notify(
                user=member.user,
                key=f"invoice:{invoice.pk}:{today:%Y%m%d}",
                template=template,
                params=params,
                url=url,
                market_id=invoice.market_id,
            )
        sent += 1
    return sent
