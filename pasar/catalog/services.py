"""Writes to the catalog: commodities, products, today's prices, photos."""

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from pasar.catalog.models import Commodity, Product
from pasar.catalog.search import product_search_text
from pasar.catalog.units import DEFAULT_STEP, WEIGHED_UNITS, Unit
from pasar.catalog.vocabulary import CATEGORIES, COMMODITIES
from pasar.core.errors import DomainError
from pasar.core.money import MAX_PRICE
from pasar.markets.models import Category
from pasar.traders.models import Stall

MAX_PHOTO_BYTES = 5 * 1024 * 1024
THUMBNAIL_WIDTH = 320
ALLOWED_IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})


@transaction.atomic
def vocabulary_load() -> tuple[int, int]:
    """Create or update the shipped categories and commodities; returns (categories, commodities)."""
    for position, (slug, name) in enumerate(CATEGORIES):
        Category.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    categories = {c.slug: c for c in Category.objects.all()}
    for item in COMMODITIES:
        Commodity.objects.update_or_create(
            slug=slugify(item.name),
            defaults={
                "name": item.name,
                "group": item.group,
                "category": categories[item.category],
                "unit": item.unit,
                "weighed": item.weighed,
                "bapanas_id": item.bapanas_id,
                "synonyms": ", ".join(item.synonyms),
            },
        )
    return len(CATEGORIES), len(COMMODITIES)


def check_price(price: int) -> None:
    """Prices are whole rupiah, positive and below ``MAX_PRICE``."""
    if price <= 0 or price > MAX_PRICE:
        raise DomainError(_("Price must be between Rp1 and Rp100.000.000."), code="price_range", field="price")


def _search_text(name: str, commodity: Commodity | None, extra: str = "") -> str:
    if commodity is None:
        return product_search_text(name=f"{name} {extra}")
    return product_search_text(name=f"{name} {extra}", commodity_name=commodity.name, synonyms=commodity.synonyms)


@dataclass(frozen=True)
class ProductInput:
    name: str
    unit: str
    price: int
    commodity: Commodity | None = None
    stock: int | None = None
    available: bool = True


def product_build(*, stall: Stall, data: ProductInput) -> Product:
    """An unsaved, validated product for ``stall`` (bulk creation saves many in one query)."""
    name = data.name.strip()
    if not name:
        raise DomainError(_("Product name is required."), code="name_required", field="name")
    if data.unit not in Unit.values:
        raise DomainError(_("Unknown unit."), code="unit_unknown", field="unit")
    check_price(data.price)
    if data.stock is not None and data.stock < 0:
        raise DomainError(_("Stock cannot be negative."), code="stock_negative", field="stock")
    weighed = Unit(data.unit) in WEIGHED_UNITS
    step = DEFAULT_STEP.get(Unit(data.unit), Decimal(1))
    return Product(
        stall=stall,
        market_id=stall.market_id,
        commodity=data.commodity,
        name=name,
        unit=data.unit,
        price=data.price,
        weighed=weighed,
        quantity_step=step,
        quantity_min=step,
        available=data.available,
        stock=data.stock,
        price_updated_at=timezone.now(),
        search_text=_search_text(name, data.commodity),
    )


def product_create(*, stall: Stall, data: ProductInput) -> Product:
    """Add one product to a stall."""
    product = product_build(stall=stall, data=data)
    product.save()
    return product


@transaction.atomic
def product_update(*, product: Product, data: ProductInput) -> Product:
    """Change a product's name, unit, price, commodity, stock and availability."""
    fresh = product_build(stall=product.stall, data=data)
    price_changed = fresh.price != product.price
    fields = ["name", "unit", "price", "weighed", "quantity_step", "quantity_min", "commodity", "available", "stock"]
    for name in [*fields, "search_text"]:
        setattr(product, name, getattr(fresh, name))
    if price_changed:
        product.price_updated_at = fresh.price_updated_at
    product.save(update_fields=[*fields, "search_text", "price_updated_at", "updated_at"])
    if product.variant_of_id is None and product.variants.exists():
        _variants_follow(product)
    return product


@dataclass(frozen=True)
class PriceUpdate:
    product_id: int
    price: int
    available: bool
    stock: int | None
    # The trader left the stock as the screen showed it: keep the count as it is now (orders may have
    # taken units since the screen was loaded; writing the shown number back would resurrect them).
    keep_stock: bool = False


@transaction.atomic
def prices_update(*, stall_ids: list[int], updates: list[PriceUpdate]) -> int:
    """Today's prices and availability for a trader's products, all or nothing.

    Only products of ``stall_ids`` may change: an id from another stall refuses the whole
    save. Returns how many products changed.
    """
    for update in updates:
        check_price(update.price)
        if update.stock is not None and update.stock < 0:
            raise DomainError(_("Stock cannot be negative."), code="stock_negative", field="stock")
    wanted = {u.product_id: u for u in updates}
    products = list(Product.objects.select_for_update().filter(pk__in=wanted, stall_id__in=stall_ids).order_by("pk"))
    if len(products) != len(wanted):
        raise DomainError(_("One of these products is not yours."), code="not_owner")
    now = timezone.now()
    changed = []
    for product in products:
        update = wanted[product.pk]
        stock = product.stock if update.keep_stock else update.stock
        if (product.price, product.available, product.stock) == (update.price, update.available, stock):
            continue
        if product.price != update.price:
            product.price_updated_at = now
        product.price, product.available, product.stock = update.price, update.available, stock
        changed.append(product)
    Product.objects.bulk_update(changed, ["price", "available", "stock", "price_updated_at", "updated_at"])
    variant_parents_refresh({p.variant_of_id for p in products if p.variant_of_id is not None})
    return len(changed)


@dataclass(frozen=True)
class VariantInput:
    price: int
    size: str = ""
    colour: str = ""
    motif: str = ""
    stock: int | None = None
    available: bool = True


def _variant_name(parent_name: str, label: str) -> str:
    # Cart, order lines, invoices and complaints show the product's name: the variant's carries its label.
    return f"{parent_name} — {label}"[:120]


def variant_build(*, parent: Product, data: VariantInput) -> Product:
    """An unsaved, validated variant of ``parent`` (the demo saves many in one query)."""
    if parent.variant_of_id is not None:
        raise DomainError(_("A variant cannot have variants of its own."), code="variant_nested")
    size, colour, motif = data.size.strip().upper(), data.colour.strip().lower(), data.motif.strip().lower()
    if not (size or colour or motif):
        raise DomainError(_("Give the variant a size, a colour or a motif."), code="variant_empty", field="size")
    variant = product_build(
        stall=parent.stall,
        data=ProductInput(
            name=parent.name,
            unit=parent.unit,
            price=data.price,
            commodity=parent.commodity,
            stock=data.stock,
            available=data.available,
        ),
    )
    variant.variant_of, variant.size, variant.colour, variant.motif = parent, size[:20], colour[:30], motif[:40]
    _name_variant(variant, parent)
    return variant


@transaction.atomic
def variant_create(*, parent: Product, data: VariantInput) -> Product:
    """Add a size/colour/motif of ``parent`` with its own price and stock; the parent stops being sold itself."""
    variant = variant_build(parent=parent, data=data)
    attributes = {"size": variant.size, "colour": variant.colour, "motif": variant.motif}
    if Product.objects.filter(variant_of=parent, **attributes).exists():
        raise DomainError(_("This variant already exists."), code="variant_exists", field="size")
    variant.save()
    variant_parents_refresh({parent.pk})
    return variant


def _name_variant(variant: Product, parent: Product) -> None:
    variant.name = _variant_name(parent.name, variant.variant_label)
    variant.search_text = _search_text(parent.name, parent.commodity, variant.variant_label)


def _variants_follow(parent: Product) -> None:
    """A renamed parent renames its variants (unit and commodity follow too); then its summary is redone."""
    variants = list(parent.variants.all())
    for variant in variants:
        variant.unit, variant.weighed, variant.commodity_id = parent.unit, parent.weighed, parent.commodity_id
        variant.quantity_step, variant.quantity_min = parent.quantity_step, parent.quantity_min
        _name_variant(variant, parent)
    fields = ["name", "search_text", "unit", "weighed", "commodity", "quantity_step", "quantity_min", "updated_at"]
    Product.objects.bulk_update(variants, fields)
    variant_parents_refresh({parent.pk})


def variant_parents_refresh(parent_ids: set[int]) -> None:
    """Keep each parent a summary of its variants: the lowest price, never sold itself (stock 0, not
    available), its search text naming every size, colour and motif."""
    if not parent_ids:
        return
    parents = list(
        Product.objects.filter(pk__in=parent_ids)
        .select_related("commodity")
        .prefetch_related("variants")
        .order_by("pk")
    )
    for parent in parents:
        variants = parent.variant_choices()
        if not variants:
            continue
        labels = " ".join(dict.fromkeys(v.variant_label.replace(",", " ") for v in variants))
        parent.price = min(v.price for v in variants)
        parent.available, parent.stock = False, 0
        parent.price_updated_at = max((v.price_updated_at for v in variants if v.price_updated_at), default=None)
        parent.search_text = _search_text(parent.name, parent.commodity, labels)
    Product.objects.bulk_update(
        parents, ["price", "available", "stock", "price_updated_at", "search_text", "updated_at"]
    )


def _thumbnail(upload: UploadedFile[bytes]) -> tuple[bytes, bytes]:
    """Validate an uploaded photo; return (photo as WebP ≤ 1280 px, thumbnail as WebP ≤ 320 px)."""
    if upload.size is None or upload.size > MAX_PHOTO_BYTES:
        raise DomainError(_("Photo is too large (max 5 MB)."), code="photo_size", field="photo")
    try:
        Image.open(upload).verify()
        upload.seek(0)
        opened = Image.open(upload)
        if opened.format not in ALLOWED_IMAGE_FORMATS:
            raise DomainError(_("Photo must be JPEG, PNG or WebP."), code="photo_type", field="photo")
        image = opened.convert("RGB")
    # Pillow reports some damaged files (a PNG chunk with a bad checksum) as SyntaxError.
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise DomainError(_("This file is not a photo."), code="photo_type", field="photo") from exc
    out = []
    for width, quality in ((1280, 80), (THUMBNAIL_WIDTH, 60)):
        copy = image.copy()
        copy.thumbnail((width, width))
        buffer = BytesIO()
        copy.save(buffer, "WEBP", quality=quality, method=4)
        out.append(buffer.getvalue())
    return out[0], out[1]


def photo_resize(upload: UploadedFile[bytes]) -> bytes:
    """A validated upload re-encoded as WebP ≤ 1280 px (the product photo rules), for other apps' photos."""
    return _thumbnail(upload)[0]


def product_set_photo(*, product: Product, upload: UploadedFile[bytes]) -> Product:
    """Store a product photo re-encoded as WebP, with a small thumbnail for lists."""
    photo, thumb = _thumbnail(upload)
    old = (product.photo.name, product.thumbnail.name)
    product.photo.save(f"p{product.pk}.webp", ContentFile(photo), save=False)
    product.thumbnail.save(f"p{product.pk}-t.webp", ContentFile(thumb), save=False)
    product.save(update_fields=["photo", "thumbnail", "updated_at"])
    storage = product.photo.storage

    def delete_replaced() -> None:
        for name in old:
            if name and name not in (product.photo.name, product.thumbnail.name):
                storage.delete(name)

    transaction.on_commit(delete_replaced)
    return product


MAX_BARGAIN_FROM = Decimal(500)  # as a cart line's quantity: beyond it nobody could ever bargain


def product_set_bargain_from(*, product: Product, quantity: Decimal | None) -> Product:
    """From which quantity buyers may bargain on the product (``None``: only business buyers may)."""
    if quantity is not None and (not quantity.is_finite() or quantity <= 0 or quantity > MAX_BARGAIN_FROM):
        raise DomainError(
            _("Bargaining starts from a quantity above 0 and at most 500."), code="bargain_from_range", field="quantity"
        )
    product.bargain_from = quantity
    product.save(update_fields=["bargain_from", "updated_at"])
    return product
