"""Training and mentoring (pendampingan) events and who attended them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingEvent(models.Model):
    """One session held for traders of a market, or of a whole region (several markets)."""

    class Organiser(models.TextChoices):
        DINAS = "dinas", _("Local government office (dinas)")
        PARTNER = "mitra", _("Marketplace partner")
        BANK = "bank", _("Bank")
        KOPERASI = "koperasi", _("Cooperative (koperasi)")
        OTHER = "lainnya", _("Other")

    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=150)
    topic = models.CharField(_("topic"), max_length=150)
    organiser_kind = models.CharField(_("organiser type"), max_length=10, choices=Organiser.choices)
    organiser_name = models.CharField(_("organiser"), max_length=150, blank=True)
    # Exactly one scope: a market (an operator's event) or a region (an officer's event across markets).
    market = models.ForeignKey(
        "markets.Market", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("market")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        indexes = [models.Index(fields=["market", "date"]), models.Index(fields=["region", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(market__isnull=False, region__isnull=True)
                | models.Q(market__isnull=True, region__isnull=False),
                name="training_event_one_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"


class Attendance(models.Model):
    """A trader present at an event (recorded once)."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="attendances")
    trader = models.ForeignKey("traders.Trader", on_delete=models.PROTECT, related_name="attendances")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["event", "trader"], name="attendance_once_per_event")]
        indexes = [models.Index(fields=["trader", "event"])]

    def __str__(self) -> str:
        return f"{self.trader_id} @ {self.event_id}"
