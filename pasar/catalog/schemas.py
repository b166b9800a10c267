from decimal import Decimal
from typing import Annotated, Any

from django.db.models.fields.files import FieldFile
from ninja import Schema
from pydantic import Field

from pasar.catalog.models import Product
from pasar.catalog.units import Unit
from pasar.core.schemas import LocalDatetime, inline_enum
from pasar.traders.models import Stall


def _absolute_url(file: FieldFile, context: dict[str, Any] | None) -> str | None:
    if not file:
        return None
    request = (context or {}).get("request")
    return request.build_absolute_uri(file.url) if request is not None else file.url


class CategoryOut(Schema):
    slug: str
    name: str


class MarketRef(Schema):
    slug: str
    name: str


class StallRef(Schema):
    id: int
    name: str
    location: str = Field(description="Where in the market, e.g. `Blok A · Los 1 · No. 12`.")


class StallSummaryOut(Schema):
    id: int
    name: str
    kind: Annotated[Stall.Kind, inline_enum(Stall.Kind)]
    category: CategoryOut
    block: str
    row: str
    number: str
    location: str = Field(description="Block, row and number as one line, e.g. `Blok A · Los 1 · No. 12`.")
    description: str
    product_count: int = Field(description="Products available today.")


class VariantOut(Schema):
    id: int = Field(description="The variant's own product id: put this one in the cart.")
    name: str = Field(description="The product's name with the variant's label, e.g. `Daster Batik — L, merah`.")
    size: str
    colour: str
    motif: str
    price: int = Field(description="Integer rupiah per unit.")
    available: bool = Field(description="Can be ordered today: available and, when counted, in stock.")
    stock: int | None = Field(description="Pieces in stock, when the trader counts them.")

    @staticmethod
    def resolve_available(obj: Product) -> bool:
        return obj.in_stock


class ProductSummaryOut(Schema):
    id: int
    name: str
    unit: Unit
    price: int = Field(description="Integer rupiah per `unit`.")
    weighed: bool = Field(description="Sold by weight: the final price follows the weighing.")
    quantity_step: Decimal = Field(description='Smallest step a buyer can order, as a decimal string, e.g. `"0.250"`.')
    quantity_min: Decimal = Field(description="Smallest quantity a buyer can order, as a decimal string.")
    available: bool = Field(description="Available today.")
    stock: int | None = Field(description="Pieces in stock, when the trader counts them.")
    price_updated_at: LocalDatetime | None
    photo: str | None = Field(description="Absolute URL of the photo, if any.")
    thumbnail: str | None = Field(description="Absolute URL of a small square thumbnail, if any.")
    variant_of: int | None = Field(description="For a variant, the id of the product it is a size/colour of.")
    size: str = Field(description="A variant's size (S, M, L, XL…); empty otherwise.")
    colour: str = Field(description="A variant's colour; empty otherwise.")
    motif: str = Field(description="A variant's motif (batik: parang, kawung…); empty otherwise.")
    variants: list[VariantOut] = Field(
        description=(
            "Sizes, colours and motifs, each with its own price and stock. A product with variants is not "
            "ordered itself: its `price` is the lowest variant price and `available` says whether any can be."
        )
    )

    @staticmethod
    def resolve_variant_of(obj: Product) -> int | None:
        return obj.variant_of_id

    @staticmethod
    def resolve_variants(obj: Product) -> list[Product]:
        return obj.variant_choices()

    @staticmethod
    def resolve_available(obj: Product) -> bool:
        return obj.listed_available()

    @staticmethod
    def resolve_photo(obj: Product, context: dict[str, Any] | None) -> str | None:
        return _absolute_url(obj.photo, context)

    @staticmethod
    def resolve_thumbnail(obj: Product, context: dict[str, Any] | None) -> str | None:
        return _absolute_url(obj.thumbnail, context)


class SearchHitOut(ProductSummaryOut):
    stall: StallRef


class CommodityOut(Schema):
    slug: str
    name: str


class ProductOut(ProductSummaryOut):
    commodity: CommodityOut | None = Field(description="The canonical commodity (PIHPS/Bapanas naming), if linked.")
    stall: StallRef
    market: MarketRef


class StallOut(StallSummaryOut):
    market: MarketRef
    products: list[ProductSummaryOut] = Field(description="Every product of the stall, available ones first.")
    product_count: int = Field(description="Products available today.")

    @staticmethod
    def resolve_product_count(obj: Stall) -> int:
        # The detail selector prefetches the products instead of annotating a count.
        return sum(1 for product in obj.products.all() if product.listed_available())
