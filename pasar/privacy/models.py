"""Requests under UU PDP No. 27/2022 (art. 14: requests are recorded), each with its 3×24 h clock."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Access, correction, restriction and the end of processing after a withdrawn consent: 3 × 24 hours
# (art. 30–32, 40–41); the same clock is kept for erasure.
ANSWER_WITHIN = timedelta(hours=72)


def _due() -> datetime:
    return timezone.now() + ANSWER_WITHIN


class DataRequest(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", _("Copy of my data")
        CORRECTION = "correction", _("Correct my data")
        DELETION = "deletion", _("Delete my data")
        WITHDRAWAL = "withdrawal", _("Withdraw my consent")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_requests")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    detail = models.TextField(_("what to change, or why"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(default=_due)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(_("answer to the person"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["status", "due_at"]
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], condition=models.Q(status="open"), name="data_request_one_open_per_kind"
            ),
            models.CheckConstraint(condition=models.Q(due_at__gt=models.F("created_at")), name="data_request_due"),
            models.CheckConstraint(
                condition=models.Q(status="open", handled_at__isnull=True)
                | (~models.Q(status="open") & models.Q(handled_at__isnull=False)),
                name="data_request_handled_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.OPEN and timezone.now() > self.due_at
