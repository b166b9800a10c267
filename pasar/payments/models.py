"""Payment attempts, provider notifications, and the double-entry ledger.

The ledger is append-only: an ``Entry`` and its ``Posting`` rows are written once by
``pasar.payments.services.ledger`` (which checks that the postings sum to zero) and never changed;
a mistake is corrected by a reversal entry. Amounts are signed integer rupiah, debit positive.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentAttempt(models.Model):
    """One request for money: a provider charge (QRIS) or an operator-recorded bank mutation (transfer)."""

    class Method(models.TextChoices):
        QRIS = "qris", _("QRIS")
        TRANSFER = "transfer", _("Bank transfer")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Failed")

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payment_attempts")
    provider = models.CharField(max_length=20)
    method = models.CharField(max_length=8, choices=Method.choices)
    amount = models.PositiveIntegerField()
    # The reference the provider knows the charge by (one per attempt); for a manual transfer, the bank's.
    provider_ref = models.CharField(max_length=100)
    qr_string = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # A retried charge creation finds the first attempt; one bank mutation pays one order.
            models.UniqueConstraint(fields=["provider", "provider_ref"], name="attempt_unique_ref"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="attempt_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.provider_ref}"


class ProviderNotification(models.Model):
    """Every verified notification, once: a replay of the same (provider, transaction, status) inserts nothing."""

    class Outcome(models.TextChoices):
        RECEIVED = "received", _("Received")
        PAID = "paid", _("Order marked paid")
        ALREADY_PAID = "already_paid", _("Order was already paid")
        PENDING = "pending", _("Still pending")
        CLOSED = "closed", _("Attempt expired or failed")
        REVIEW = "review", _("Needs manual review")
        PROVIDER_ERROR = "provider_error", _("Provider status unavailable")

    provider = models.CharField(max_length=20)
    transaction_id = models.CharField(max_length=100)
    status = models.CharField(max_length=10)
    order_ref = models.CharField(max_length=100)
    amount = models.BigIntegerField()
    raw = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=14, choices=Outcome.choices, default=Outcome.RECEIVED)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_id", "status"], name="notification_once_per_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.transaction_id}:{self.status}"


class Account(models.Model):
    """Who money is owed to or held by. ``code`` names the party, e.g. ``trader:3:17`` (market 3, trader 17)."""

    class Kind(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        TRADER = "trader", _("Trader")
        COURIER = "courier", _("Courier fees")
        COURIER_CASH = "courier_cash", _("Cash held")
        OPERATOR = "operator", _("Market operator")
        PLATFORM = "platform", _("Platform")
        BANK = "bank", _("Bank")
        # What a business owes the market for tempo orders delivered and not yet paid.
        RECEIVABLE = "receivable", _("Receivable (tempo)")

    code = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The person behind a buyer, trader, courier or cash account; pairs a courier's fee and cash accounts.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.code


class AppendOnlyQuerySet[M: models.Model](models.QuerySet[M]):
    """Ledger rows are never updated or deleted in bulk either: corrections are reversal entries."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("ledger rows are append-only; post a reversal entry instead")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("ledger rows are append-only; post a reversal entry instead")


AppendOnlyManager = models.Manager.from_queryset(AppendOnlyQuerySet)


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("ledger rows are append-only; post a reversal entry instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("ledger rows are append-only; post a reversal entry instead")


class Entry(AppendOnly):
    """One balanced journal entry; ``day`` is the market day it settles on."""

    class Kind(models.TextChoices):
        DELIVERED = "delivered", _("Order delivered")
        REVERSAL = "reversal", _("Reversal")
        CORRECTION = "correction", _("Correction")
        REFUND = "refund", _("Refund after a complaint")
        RECEIPT = "receipt", _("Tempo invoice paid")

    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")

    objects = AppendOnlyManager()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "entries"
        indexes = [models.Index(fields=["market", "day"])]
        constraints = [
            # Posting a delivered order twice (a retried view, the settlement catch-up) adds nothing.
            models.UniqueConstraint(
                fields=["order", "kind"], condition=models.Q(kind="delivered"), name="entry_delivered_once"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="reversal", reverses__isnull=False)
                | (~models.Q(kind="reversal") & models.Q(reverses__isnull=True)),
                name="entry_reversal_names_its_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.order_id or ''} {self.day}"


class Posting(AppendOnly):
    """One line of an entry: signed rupiah on one account (debit positive, credit negative)."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount = models.BigIntegerField()

    objects = AppendOnlyManager()

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="posting_not_zero")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount:+d}"
