"""Complaints (komplain) about one line of a delivered or picked-up order, and the refund they lead to.

open → agreed (the trader accepts the remedy: resolved at once) | disagreed | escalated (the trader was
silent past ``answer_due_at``) → decided (the operator grants a refund, possibly partial, or rejects).
States only move forward (``NEXT``); every step writes an ``OrderEvent`` (``complaint_*``), which notifies
the people concerned. A granted refund is a ledger entry (``payments.Entry.Kind.REFUND``) that moves the
amount from the trader's account back to the buyer; ``refund_entry`` names it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pasar.core.models import TimeStampedModel


class Complaint(TimeStampedModel):
    class Reason(models.TextChoices):
        SHORT = "short", _("Short quantity or weight")
        SPOILED = "spoiled", _("Rotten or damaged")
        WRONG_ITEM = "wrong_item", _("Wrong item")
        MISSING = "missing", _("Did not arrive")
        LATE = "late", _("Late")
        OTHER = "other", _("Other")

    class Remedy(models.TextChoices):
        REFUND_FULL = "refund_full", _("Refund of the whole line")
        REFUND_PART = "refund_part", _("Refund of part of the line")
        REPLACEMENT = "replacement", _("Replacement with the next order")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the trader")
        AGREED = "agreed", _("Trader agreed")
        DISAGREED = "disagreed", _("Trader disagreed: the operator decides")
        ESCALATED = "escalated", _("No answer from the trader: the operator decides")
        DECIDED = "decided", _("Decided by the operator")

    class RefundMethod(models.TextChoices):
        PROVIDER = "provider", _("Back to the payment account")
        CASH = "cash", _("Cash returned by the courier")
        CREDIT = "credit", _("Credit for the next order")

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="complaints")
    line = models.OneToOneField("orders.OrderLine", on_delete=models.PROTECT, related_name="complaint")
    # Carried for scoping (operator lists, the trader's parts) and for distribution by market later.
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    stall = models.ForeignKey("traders.Stall", on_delete=models.PROTECT, related_name="complaints")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    description = models.CharField(max_length=500, blank=True)
    photo = models.ImageField(upload_to="complaints/%Y/%m/", blank=True)
    remedy = models.CharField(max_length=11, choices=Remedy.choices)
    amount_asked = models.PositiveIntegerField(help_text=_("Refund asked, in rupiah (0 for a replacement)."))
    state = models.CharField(max_length=9, choices=State.choices, default=State.OPEN)
    answer_due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    trader_note = models.CharField(max_length=500, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField(max_length=500, blank=True)
    refund_amount = models.PositiveIntegerField(default=0)
    refund_method = models.CharField(max_length=8, choices=RefundMethod.choices, blank=True)
    refund_entry = models.OneToOneField(
        "payments.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="complaint"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["market", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(remedy="replacement", amount_asked=0)
                | (~models.Q(remedy="replacement") & models.Q(amount_asked__gt=0)),
                name="complaint_amount_asked_matches_remedy",
            ),
            # A refund is money only through its ledger entry.
            models.CheckConstraint(
                condition=models.Q(refund_amount=0, refund_entry__isnull=True)
                | models.Q(refund_amount__gt=0, refund_entry__isnull=False),
                name="complaint_refund_has_entry",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["agreed", "decided"]) | models.Q(refund_amount=0),
                name="complaint_refund_only_when_resolved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_id} {self.reason}"

    @property
    def resolved(self) -> bool:
        return self.state in (self.State.AGREED, self.State.DECIDED)

    @property
    def awaits_operator(self) -> bool:
        return self.state in (self.State.DISAGREED, self.State.ESCALATED)


CS = Complaint.State
NEXT: dict[str, frozenset[str]] = {
    CS.OPEN: frozenset({CS.AGREED, CS.DISAGREED, CS.ESCALATED}),
    CS.DISAGREED: frozenset({CS.DECIDED}),
    CS.ESCALATED: frozenset({CS.DECIDED}),
    CS.AGREED: frozenset(),
    CS.DECIDED: frozenset(),
}
