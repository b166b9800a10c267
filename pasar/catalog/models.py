from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pasar.catalog.units import Unit
from pasar.core.models import TimeStampedModel
from pasar.core.money import MAX_PRICE


class Commodity(models.Model):
    """A canonical commodity (PIHPS/Bapanas naming where one exists), e.g. ``Cabai Rawit Merah``."""

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(_("name"), max_length=80, unique=True)
    group = models.CharField(_("group"), max_length=60, help_text=_("PIHPS group, e.g. Cabai Rawit"))
    category = models.ForeignKey("markets.Category", on_delete=models.PROTECT, related_name="commodities")
    unit = models.CharField(_("usual unit"), max_length=8, choices=Unit.choices)
    weighed = models.BooleanField(_("sold by weight"), default=True)
    bapanas_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    synonyms = models.CharField(
        _("synonyms"), max_length=250, blank=True, help_text=_("Regional and spelling variants, comma separated")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("commodity")
        verbose_name_plural = _("commodities")

    def __str__(self) -> str:
        return self.name


# Counted stock a form or the API accepts (a stall holds far less; 25 nines once overflowed the database).
MAX_STOCK = 1_000_000


class Product(TimeStampedModel):
    """One stall's offer: integer-rupiah price per unit, weighed or counted, available today or not."""

    stall = models.ForeignKey("traders.Stall", on_delete=models.CASCADE, related_name="products")
    # Denormalised from the stall so a market search is one indexed range, not a join.
    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")
    commodity = models.ForeignKey(Commodity, on_delete=models.PROTECT, null=True, blank=True, related_name="products")
    name = models.CharField(_("product name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    price = models.PositiveIntegerField(_("price per unit (Rp)"))
    weighed = models.BooleanField(_("sold by weight"))
    quantity_step = models.DecimalField(_("quantity step"), max_digits=7, decimal_places=3, default=Decimal(1))
    quantity_min = models.DecimalField(_("minimum quantity"), max_digits=7, decimal_places=3, default=Decimal(1))
    available = models.BooleanField(_("available today"), default=True)
    stock = models.PositiveIntegerField(_("stock count"), null=True, blank=True)
    # Tawar: from this quantity on a buyer may propose a price per unit (empty: only business buyers may).
    bargain_from = models.DecimalField(
        _("bargaining from quantity"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    price_updated_at = models.DateTimeField(_("price updated at"), null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="products/%Y/%m/", blank=True)
    thumbnail = models.ImageField(upload_to="thumbs/%Y/%m/", blank=True)
    # Lower-cased name + commodity + synonyms, accent- and punctuation-free: what search matches.
    search_text = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [models.Index(fields=["market", "available"]), models.Index(fields=["stall", "name"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0, price__lte=MAX_PRICE), name="product_price_range"),
            models.CheckConstraint(
                condition=models.Q(stock__isnull=True) | models.Q(stock__gte=0), name="product_stock_nonneg"
            ),
            models.CheckConstraint(condition=models.Q(quantity_step__gt=0), name="product_step_positive"),
            models.CheckConstraint(
                condition=models.Q(bargain_from__isnull=True) | models.Q(bargain_from__gt=0),
                name="product_bargain_from_positive",
            ),
            models.CheckConstraint(condition=models.Q(quantity_min__gt=0), name="product_min_positive"),
            # Counted goods are sold in whole units only.
            models.CheckConstraint(
                condition=models.Q(weighed=True) | models.Q(quantity_step__gte=1),
                name="product_counted_whole_step",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:product", kwargs={"pk": self.pk})
