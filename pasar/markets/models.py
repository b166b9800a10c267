from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pasar.core.models import TimeStampedModel


class Category(models.Model):
    """What a stall mainly sells (sayur, bumbu, daging, ikan, pakaian, ...); shared by all markets."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Market(TimeStampedModel):
    """A traditional market (pasar rakyat) with its own hours, delivery zone and tariff."""

    class Kind(models.TextChoices):
        RAKYAT = "rakyat", _("Traditional market")
        INDUK = "induk", _("Wholesale market")
        TEMATIK = "tematik", _("Themed market")

    class OperatorKind(models.TextChoices):
        DINAS = "dinas", _("Local government office")
        PERUMDA = "perumda", _("Market company (PD/Perumda Pasar)")
        KOPERASI = "koperasi", _("Market cooperative")
        SWASTA = "swasta", _("Private operator")

    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB"
        WITA = "Asia/Makassar", "WITA"
        WIT = "Asia/Jayapura", "WIT"

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(unique=True, max_length=140)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.RAKYAT)
    operator_name = models.CharField(_("operator"), max_length=150, blank=True)
    operator_kind = models.CharField(
        _("operator type"), max_length=10, choices=OperatorKind.choices, default=OperatorKind.DINAS
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="markets", verbose_name=_("regency/city")
    )
    district = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    latitude = models.FloatField(_("latitude"), validators=[MinValueValidator(-11.5), MaxValueValidator(6.5)])
    longitude = models.FloatField(_("longitude"), validators=[MinValueValidator(94.5), MaxValueValidator(141.5)])
    coordinates_approximate = models.BooleanField(_("coordinates are approximate"), default=False)
    # The market's own WhatsApp Business number (Cloud API phone_number_id): buyers order by chat there,
    # and its orders' notifications come from it. Empty = the platform's number.
    whatsapp_phone_number_id = models.CharField(_("WhatsApp phone number id"), max_length=64, blank=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=16,
        choices=TimeZone.choices,
        default=TimeZone.WIB,
        help_text=_("Opening hours and cut-off are local times in this zone."),
    )
    opens_at = models.TimeField(_("opens at"), default=time(4, 0))
    closes_at = models.TimeField(_("closes at"), default=time(14, 0))
    # ISO weekdays the market trades, "1234567" = every day (most pasar rakyat never close).
    open_days = models.CharField(_("open days"), max_length=7, default="1234567")
    order_cutoff = models.TimeField(_("order cut-off"), default=time(11, 0))
    delivery_radius_km = models.DecimalField(_("delivery radius (km)"), max_digits=4, decimal_places=1, default=5)
    delivery_base_fee = models.PositiveIntegerField(_("delivery base fee (Rp)"), default=8000)
    delivery_fee_per_km = models.PositiveIntegerField(_("fee per km beyond 2 km (Rp)"), default=1500)
    delivery_min_fee = models.PositiveIntegerField(_("minimum delivery fee (Rp)"), default=8000)
    delivery_max_fee = models.PositiveIntegerField(_("maximum delivery fee (Rp)"), default=15000)
    pickup_point = models.CharField(_("pickup point"), max_length=200, blank=True)
    complaint_window_hours = models.PositiveSmallIntegerField(
        _("complaint window (hours)"),
        default=24,
        help_text=_("How long after delivery or pickup a buyer may complain about a line."),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("market")
        verbose_name_plural = _("markets")
        indexes = [models.Index(fields=["latitude", "longitude"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delivery_min_fee__lte=models.F("delivery_max_fee")),
                name="market_fee_min_le_max",
            ),
            models.CheckConstraint(condition=models.Q(delivery_radius_km__gte=0), name="market_radius_nonneg"),
            models.CheckConstraint(
                condition=models.Q(order_cutoff__lte=models.F("closes_at")), name="market_cutoff_before_close"
            ),
            models.UniqueConstraint(
                fields=["whatsapp_phone_number_id"],
                condition=~models.Q(whatsapp_phone_number_id=""),
                name="market_whatsapp_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:market", kwargs={"slug": self.slug})


class MarketRole(models.Model):
    """A person's role at one market: operator (pengelola/koperasi staff) or courier (ojek pangkalan)."""

    class Role(models.TextChoices):
        OPERATOR = "operator", _("Market operator")
        COURIER = "courier", _("Courier")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="market_roles")
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("market role")
        verbose_name_plural = _("market roles")
        constraints = [models.UniqueConstraint(fields=["user", "market", "role"], name="market_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.market}"
