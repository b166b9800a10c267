"""Summary tables built by the aggregation job (never written on a page view), and export jobs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pasar.core.storage import private_name, private_storage


class SalesFigures(models.Model):
    """A day's orders and sales, for a market or rolled up for a region."""

    orders = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)  # delivered or picked up
    cancelled = models.PositiveIntegerField(default=0)
    turnover = models.PositiveBigIntegerField(default=0)  # rupiah of the completed orders' kept lines
    business_turnover = models.PositiveBigIntegerField(default=0)  # the part of it ordered for a business
    items_sold = models.PositiveIntegerField(default=0)  # kept lines of completed orders
    kg_sold = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    delivery_orders = models.PositiveIntegerField(default=0)
    pickup_orders = models.PositiveIntegerField(default=0)
    courier_trips = models.PositiveIntegerField(default=0)  # rides: a queue trip of several orders is one

    class Meta:
        abstract = True


class CommoditySales(models.Model):
    """A day's sales of one commodity (products without a commodity are not counted)."""

    items_sold = models.PositiveIntegerField(default=0)
    kg_sold = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    turnover = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True


class AdoptionFigures(models.Model):
    """How many traders were registered, trained and digitally active on a day.

    Digitally active: updated a price or received an order in the 30 days up to ``date``.
    """

    registered = models.PositiveIntegerField(default=0)
    trained = models.PositiveIntegerField(default=0)  # status dilatih or aktif
    active = models.PositiveIntegerField(default=0)
    trained_active = models.PositiveIntegerField(default=0)  # trained and digitally active

    class Meta:
        abstract = True


class DailyMarketStats(SalesFigures):
    """One market's orders and sales on one market day (``Order.for_date``)."""

    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["market", "date"], name="daily_market_stats_unique")]
        indexes = [models.Index(fields=["date", "market"])]

    def __str__(self) -> str:
        return f"{self.market_id} {self.date}"


class DailyStallStats(models.Model):
    """One stall's part of a market day, for the stall drill-down."""

    stall = models.ForeignKey("traders.Stall", on_delete=models.CASCADE, related_name="+")
    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    orders = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    turnover = models.PositiveBigIntegerField(default=0)
    items_sold = models.PositiveIntegerField(default=0)
    kg_sold = models.DecimalField(max_digits=14, decimal_places=3, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stall", "date"], name="daily_stall_stats_unique")]
        indexes = [models.Index(fields=["market", "date"])]

    def __str__(self) -> str:
        return f"{self.stall_id} {self.date}"


class DailyCommodityStats(CommoditySales):
    """Sales of one commodity at one market on one day."""

    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")
    commodity = models.ForeignKey("catalog.Commodity", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["market", "commodity", "date"], name="daily_commodity_stats_unique")
        ]
        indexes = [models.Index(fields=["date", "market"])]

    def __str__(self) -> str:
        return f"{self.market_id}/{self.commodity_id} {self.date}"


class MarketAdoptionSnapshot(AdoptionFigures):
    """A market's traders on one day (see ``AdoptionFigures``)."""

    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["market", "date"], name="adoption_snapshot_unique"),
            models.CheckConstraint(
                condition=models.Q(trained__lte=models.F("registered"), active__lte=models.F("registered")),
                name="adoption_snapshot_within_registered",
            ),
        ]
        indexes = [models.Index(fields=["date", "market"])]

    def __str__(self) -> str:
        return f"{self.market_id} {self.date}"


class DailyRegionStats(SalesFigures):
    """The market rows of one day summed per kab/kota and per province (the nightly roll-up).

    A province page reads one row per day instead of a thousand markets' rows. ``markets`` counts the
    markets with at least one order that day.
    """

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    markets = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "date"], name="daily_region_stats_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.date}"


class DailyRegionCommodityStats(CommoditySales):
    """Sales of one commodity in one kab/kota or province on one day (rolled up from the market rows)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    commodity = models.ForeignKey("catalog.Commodity", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "commodity", "date"], name="daily_region_commodity_stats_unique")
        ]
        indexes = [models.Index(fields=["region", "date"])]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.commodity_id} {self.date}"


class RegionAdoptionSnapshot(AdoptionFigures):
    """The adoption snapshots of a kab/kota's or province's markets on one day, summed."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "date"], name="region_adoption_snapshot_unique"),
            models.CheckConstraint(
                condition=models.Q(trained__lte=models.F("registered"), active__lte=models.F("registered")),
                name="region_adoption_within_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.date}"


def export_file_name(instance: "Export", filename: str) -> str:
    return private_name("exports", filename)


class Export(models.Model):
    """A table requested for download, built by a background task; only the requester may fetch it."""

    class Kind(models.TextChoices):
        MARKETS = "markets", _("Figures per market")
        DAYS = "days", _("Figures per day")
        COMMODITIES = "commodities", _("Top commodities")
        STALLS = "stalls", _("Figures per stall")
        TRAINED = "trained", _("Trained, not yet active")

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The scope: a market, or a region (province or kab/kota). Checked against the requester when created.
    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    format = models.CharField(max_length=4, choices=Format.choices)
    date_from = models.DateField()
    date_to = models.DateField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    # Private storage (outside the media folder), a random name: downloaded only through the export view.
    file = models.FileField(upload_to=export_file_name, storage=private_storage, blank=True)
    error = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(market__isnull=False, region__isnull=True)
                | models.Q(market__isnull=True, region__isnull=False),
                name="export_one_scope",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="export_progress_le_100"),
            models.CheckConstraint(condition=models.Q(date_from__lte=models.F("date_to")), name="export_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} ({self.state})"
