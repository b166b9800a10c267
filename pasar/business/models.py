"""Business buyers' terms with a market, and their invoices, credit notes, payments and reminders.

Invoices are documents: once issued nothing in them changes (``Immutable``: no update, no delete); what
was paid is the sum of its ``InvoicePayment`` rows and what was credited the sum of its credit notes, so
a statement is always computed, never edited. Numbers run per market with no gaps (``InvoiceSequence``,
taken under a row lock in the issuing transaction; ``(market, number)`` unique as the backstop).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pasar.payments.models import AppendOnlyManager


class PaymentTerms(models.Model):
    """What a business agreed with one market; set by the market's operator. No row means cash."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash (pay with each order)")
        TEMPO = "tempo", _("Tempo")

    class Invoicing(models.TextChoices):
        PER_ORDER = "order", _("An invoice per order")
        WEEKLY = "weekly", _("One invoice per week")

    TEMPO_DAYS = (7, 14, 30)

    business = models.ForeignKey("accounts.Business", on_delete=models.CASCADE, related_name="payment_terms")
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("terms"), max_length=8, choices=Kind.choices, default=Kind.CASH)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    credit_limit = models.PositiveBigIntegerField(_("credit limit"), default=0)
    invoicing = models.CharField(_("invoicing"), max_length=8, choices=Invoicing.choices, default=Invoicing.PER_ORDER)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "market"], name="terms_once_per_market"),
            models.CheckConstraint(
                condition=models.Q(kind="cash", days__isnull=True, credit_limit=0)
                | models.Q(kind="tempo", days__in=(7, 14, 30), credit_limit__gt=0),
                name="terms_tempo_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business_id} @ {self.market_id}: {self.kind} {self.days or ''}"


class BusinessAddress(models.Model):
    """A further delivery address of the business (the kitchen, a second outlet)."""

    business = models.ForeignKey("accounts.Business", on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(_("label"), max_length=60)
    address = models.CharField(_("address"), max_length=250)

    def __str__(self) -> str:
        return self.label


class InvoiceSequence(models.Model):
    """The last number issued at a market, locked while the next one is taken."""

    market = models.OneToOneField("markets.Market", on_delete=models.PROTECT, primary_key=True, related_name="+")
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.market_id}: {self.last}"


class Immutable(models.Model):
    """Issued documents and recorded payments: never updated or deleted."""

    objects = AppendOnlyManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("invoices are immutable; issue a credit note instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("invoices are immutable; issue a credit note instead")


class Invoice(Immutable):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit", _("Credit note")

    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.INVOICE)
    business = models.ForeignKey("accounts.Business", on_delete=models.PROTECT, related_name="invoices")
    issued_on = models.DateField()
    due_on = models.DateField()
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    tempo_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Snapshots: the document shows who sold and bought as they were on the day it was issued.
    seller = models.JSONField(default=dict)
    buyer = models.JSONField(default=dict)
    lines = models.JSONField(default=list)
    goods_total = models.BigIntegerField(default=0)
    delivery_fee = models.BigIntegerField(default=0)
    total = models.BigIntegerField()
    payment_details = models.CharField(max_length=250, blank=True)
    credits = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes")
    refund_entry = models.OneToOneField(
        "payments.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_note"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["market", "number"]
        constraints = [
            models.UniqueConstraint(fields=["market", "number"], name="invoice_number_once_per_market"),
            models.CheckConstraint(condition=models.Q(total__gte=0), name="invoice_total_not_negative"),
            models.CheckConstraint(
                condition=models.Q(kind="invoice", credits__isnull=True)
                | models.Q(kind="credit", credits__isnull=False),
                name="invoice_credit_note_names_invoice",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        """``INV/12/2026/000042`` (credit notes ``KN/…``): the market's id, the year, the market's sequence."""
        prefix = "KN" if self.kind == self.Kind.CREDIT_NOTE else "INV"
        return f"{prefix}/{self.market_id}/{self.issued_on:%Y}/{self.number:06d}"


class InvoiceOrder(Immutable):
    """An order on an invoice: each order is invoiced once (per order, or in its week)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="invoice_orders")
    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="invoice_link")

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.order_id}"


class InvoicePayment(Immutable):
    """A transfer the operator recorded against a tempo invoice, with its ledger receipt."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.BigIntegerField()
    paid_on = models.DateField()
    reference = models.CharField(max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entry = models.OneToOneField("payments.Entry", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="invoice_payment_positive")]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.amount}"


class InvoiceReminder(models.Model):
    """One reminder per invoice and day, however often the job runs."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="reminders")
    day = models.DateField()
    overdue = models.BooleanField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invoice", "day"], name="invoice_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.day}"
