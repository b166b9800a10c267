from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pasar.core.models import TimeStampedModel


class Trader(TimeStampedModel):
    """A pedagang. Most are registered by the market operator on their behalf, with recorded consent."""

    class Status(models.TextChoices):
        REGISTERED = "terdata", _("Registered")
        TRAINED = "dilatih", _("Trained")
        ACTIVE = "aktif", _("Active")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trader")
    status = models.CharField(_("onboarding status"), max_length=8, choices=Status.choices, default=Status.REGISTERED)
    # When the trader first counted as trained (a training's date, or when the status was set): the
    # dashboards' adoption figures for a past day depend on it.
    trained_at = models.DateTimeField(_("trained since"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("trader")
        verbose_name_plural = _("traders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trained_at__isnull=True) | ~models.Q(status="terdata"),
                name="trader_trained_at_only_when_trained",
            )
        ]

    def __str__(self) -> str:
        return self.user.name


class Stall(TimeStampedModel):
    """A lapak, kios or los inside one market, held by one trader (a trader may hold several)."""

    class Kind(models.TextChoices):
        LAPAK = "lapak", _("Stand (lapak)")
        KIOS = "kios", _("Kiosk (kios)")
        LOS = "los", _("Open hall (los)")

    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="stalls")
    trader = models.ForeignKey(Trader, on_delete=models.PROTECT, related_name="stalls")
    category = models.ForeignKey("markets.Category", on_delete=models.PROTECT, related_name="stalls")
    name = models.CharField(_("stall name"), max_length=120)
    kind = models.CharField(_("stall type"), max_length=5, choices=Kind.choices, default=Kind.LAPAK)
    block = models.CharField(_("block"), max_length=10, blank=True)
    row = models.CharField(_("row (los)"), max_length=10, blank=True)
    number = models.CharField(_("number"), max_length=10)
    description = models.CharField(_("description"), max_length=250, blank=True)
    is_open = models.BooleanField(_("open for orders"), default=True)

    class Meta:
        ordering = ["block", "row", "number"]
        verbose_name = _("stall")
        verbose_name_plural = _("stalls")
        constraints = [
            models.UniqueConstraint(fields=["market", "block", "row", "number"], name="stall_unique_location"),
        ]
        indexes = [models.Index(fields=["market", "category"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.location})"

    @property
    def location(self) -> str:
        parts = [
            p for p in (self.block and f"Blok {self.block}", self.row and f"Los {self.row}", f"No. {self.number}") if p
        ]
        return " · ".join(parts)

    def get_absolute_url(self) -> str:
        return reverse("catalog:stall", kwargs={"pk": self.pk})


class TraderImport(models.Model):
    """An uploaded trader list, checked and kept until the operator confirms it (then applied once)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        APPLIED = "applied", _("Imported")

    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file name"), max_length=200)
    # ``importer.ImportRow.as_dict()`` for every data row, with its verdict at upload time.
    rows = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("trader list import")
        verbose_name_plural = _("trader list imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
