"""Summary tables of commodity prices (written only by the daily job) and imported reference prices.

Pages and the API read these tables, never the products: a price board is a handful of indexed rows
whatever the number of stalls. A price of 0 is never stored: "no data" is a missing row (or NULL).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pasar.catalog.units import Unit
from pasar.core.money import MAX_PRICE


def _price_range(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(**{f"{field}__gt": 0, f"{field}__lte": MAX_PRICE}), name=name)


class MarketCommodityPrice(models.Model):
    """One market's price of one commodity on one day: the median of its stalls' listed prices."""

    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")
    commodity = models.ForeignKey("catalog.Commodity", on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    median = models.PositiveIntegerField(_("median price (Rp)"))
    min = models.PositiveIntegerField(_("lowest price (Rp)"))
    max = models.PositiveIntegerField(_("highest price (Rp)"))
    stalls = models.PositiveIntegerField(_("stalls"))
    listings = models.PositiveIntegerField(_("listed products"))
    # The same market's median the day before and seven days before (NULL: no data that day).
    prev_day = models.PositiveIntegerField(null=True, blank=True)
    prev_week = models.PositiveIntegerField(null=True, blank=True)
    alert = models.BooleanField(_("change above the alert threshold"), default=False)
    ceiling = models.PositiveIntegerField(_("ceiling price (HET/HAP)"), null=True, blank=True)
    above_ceiling = models.PositiveIntegerField(_("listings above the ceiling"), default=0)

    class Meta:
        verbose_name = _("market commodity price")
        verbose_name_plural = _("market commodity prices")
        indexes = [models.Index(fields=["market", "date"]), models.Index(fields=["date", "commodity"])]
        constraints = [
            models.UniqueConstraint(fields=["market", "commodity", "date"], name="market_price_unique_day"),
            _price_range("median", "market_price_median_range"),
            _price_range("min", "market_price_min_range"),
            models.CheckConstraint(
                condition=models.Q(min__lte=models.F("median"), median__lte=models.F("max")),
                name="market_price_min_le_median_le_max",
            ),
            models.CheckConstraint(
                condition=models.Q(stalls__gt=0, listings__gte=models.F("stalls")), name="market_price_counts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.market_id}/{self.commodity_id} {self.date}: {self.median}"


class RegionCommodityPrice(models.Model):
    """A roll-up: kab/kota from its markets, province from its kab/kota, the installation (region NULL)
    from its provinces; each the mean of the level below rounded to Rp 50 (docs/prices.md)."""

    class Level(models.IntegerChoices):
        INSTALLATION = 0, _("All regions")
        PROVINCE = 1, _("Province")
        REGENCY = 2, _("Regency/city")

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    commodity = models.ForeignKey("catalog.Commodity", on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    price = models.PositiveIntegerField(_("price (Rp)"))
    min = models.PositiveIntegerField(_("lowest market price (Rp)"))
    max = models.PositiveIntegerField(_("highest market price (Rp)"))
    markets = models.PositiveIntegerField(_("markets"))
    prev_day = models.PositiveIntegerField(null=True, blank=True)
    prev_week = models.PositiveIntegerField(null=True, blank=True)
    alert = models.BooleanField(_("change above the alert threshold"), default=False)

    class Meta:
        verbose_name = _("regional commodity price")
        verbose_name_plural = _("regional commodity prices")
        indexes = [models.Index(fields=["region", "date"]), models.Index(fields=["level", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "commodity", "date"],
                condition=models.Q(region__isnull=False),
                name="region_price_unique_day",
            ),
            models.UniqueConstraint(
                fields=["commodity", "date"],
                condition=models.Q(region__isnull=True),
                name="installation_price_unique_day",
            ),
            models.CheckConstraint(
                condition=models.Q(level=0, region__isnull=True) | models.Q(level__gt=0, region__isnull=False),
                name="region_price_level_matches_region",
            ),
            _price_range("price", "region_price_range"),
            models.CheckConstraint(condition=models.Q(markets__gt=0), name="region_price_markets_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id or '*'}/{self.commodity_id} {self.date}: {self.price}"


class ReferencePrice(models.Model):
    """A price from outside the stalls: a ceiling (HET/HAP) valid over a range of days, or a Bapanas/PIHPS
    daily figure (valid one day). ``market`` NULL applies to every market of the installation."""

    class Kind(models.TextChoices):
        CEILING = "het", _("Ceiling price (HET/HAP)")
        BAPANAS = "bapanas", _("Bapanas daily price")
        PIHPS = "pihps", _("PIHPS daily price")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    commodity = models.ForeignKey("catalog.Commodity", on_delete=models.CASCADE, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    price = models.PositiveIntegerField(_("price (Rp)"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported = models.ForeignKey(
        "pricing.ReferenceImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="prices"
    )

    class Meta:
        verbose_name = _("reference price")
        verbose_name_plural = _("reference prices")
        indexes = [models.Index(fields=["market", "commodity", "kind", "valid_from"])]
        constraints = [
            _price_range("price", "reference_price_range"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="reference_price_valid_range",
            ),
            models.UniqueConstraint(
                fields=["kind", "market", "commodity", "valid_from"],
                condition=models.Q(market__isnull=False),
                name="reference_price_unique_market_day",
            ),
            models.UniqueConstraint(
                fields=["kind", "commodity", "valid_from"],
                condition=models.Q(market__isnull=True),
                name="reference_price_unique_installation_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.commodity_id} {self.valid_from}: {self.price}"


class ReferenceImport(models.Model):
    """An uploaded reference-price file, checked row by row and kept until the operator confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        APPLIED = "applied", _("Imported")

    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=ReferencePrice.Kind.choices)
    filename = models.CharField(_("file name"), max_length=200)
    # ``importer.PriceRow.as_dict()`` for every data row, with its verdict at upload time.
    rows = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reference price import")
        verbose_name_plural = _("reference price imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class CeilingBreach(models.Model):
    """A stall's listed price above the ceiling that applied to its market on that day (found by the job)."""

    date = models.DateField(_("date"))
    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    commodity = models.ForeignKey("catalog.Commodity", on_delete=models.CASCADE, related_name="+")
    price = models.PositiveIntegerField(_("listed price (Rp)"))
    ceiling = models.PositiveIntegerField(_("ceiling price (Rp)"))

    class Meta:
        verbose_name = _("price above ceiling")
        verbose_name_plural = _("prices above ceiling")
        indexes = [models.Index(fields=["market", "date"]), models.Index(fields=["date"])]
        constraints = [
            models.UniqueConstraint(fields=["date", "product"], name="ceiling_breach_unique_day"),
            models.CheckConstraint(condition=models.Q(price__gt=models.F("ceiling")), name="ceiling_breach_above"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.date}: {self.price} > {self.ceiling}"
