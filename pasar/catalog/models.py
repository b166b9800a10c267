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
    # A variant (size, colour, motif) is a product of its own, with its own price and stock, so cart,
    # placement, stock locks, ledger and complaints work on it unchanged. Its parent is the product the
    # buyer sees once in lists; the parent itself is never sold (stock 0, not available: see
    # ``services.variant_parents_refresh``), so code that knows nothing of variants never sells it.
    variant_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="variants", verbose_name=_("variant of")
    )
    size = models.CharField(_("size"), max_length=20, blank=True, default="")
    colour = models.CharField(_("colour"), max_length=30, blank=True, default="")
    motif = models.CharField(_("motif"), max_length=40, blank=True, default="")

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
            # A variant names at least one attribute; an ordinary product or a parent names none.
            models.CheckConstraint(
                condition=models.Q(variant_of__isnull=True, size="", colour="", motif="")
                | (models.Q(variant_of__isnull=False) & ~models.Q(size="", colour="", motif="")),
                name="product_variant_attributes",
            ),
            models.CheckConstraint(condition=~models.Q(variant_of=models.F("pk")), name="product_variant_not_self"),
            models.UniqueConstraint(
                fields=["variant_of", "size", "colour", "motif"],
                condition=models.Q(variant_of__isnull=False),
                name="product_variant_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:product", kwargs={"pk": self.pk})

    @property
    def variant_label(self) -> str:
        """``L, merah, parang``: what tells this variant from its siblings (empty for other products)."""
        return ", ".join(a for a in (self.size, self.colour, self.motif) if a)

    def variant_choices(self) -> list["Product"]:
        """This product's variants, sizes in shop order (S, M, L, XL…); empty for an ordinary product.

        Reads ``variants`` through the prefetch cache when the selector prefetched it."""
        return sorted(self.variants.all(), key=lambda v: (v.colour, v.motif, size_rank(v.size), v.size, v.pk))

    @property
    def in_stock(self) -> bool:
        """Can be chosen today: available and, when counted, at least one left."""
        return self.available and self.stock != 0

    def listed_available(self) -> bool:
        """What a list shows: a parent is available when one of its variants is."""
        choices = self.variant_choices()
        return any(v.in_stock for v in choices) if choices else self.available

    def price_range(self) -> tuple[int, int]:
        """Lowest and highest price of the variants (the own price for an ordinary product)."""
        prices = [v.price for v in self.variant_choices()] or [self.price]
        return min(prices), max(prices)


SIZES = ("XS", "S", "M", "L", "XL", "XXL", "XXXL", "ALL SIZE")


def size_rank(size: str) -> int:
    """Clothes sizes in shop order; numbers (shoe sizes, 2/4/6 for children) and others after, as typed."""
    return SIZES.index(size) if size in SIZES else len(SIZES)
