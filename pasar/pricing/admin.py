from django.contrib import admin

from pasar.pricing.models import (
    CeilingBreach,
    MarketCommodityPrice,
    ReferenceImport,
    ReferencePrice,
    RegionCommodityPrice,
)


@admin.register(ReferencePrice)
class ReferencePriceAdmin(admin.ModelAdmin[ReferencePrice]):
    """Platform staff set installation-wide ceilings here (market empty = every market)."""

    list_display = ["commodity", "kind", "market", "price", "unit", "valid_from", "valid_until", "source"]
    list_filter = ["kind"]
    raw_id_fields = ["market", "imported"]
    search_fields = ["commodity__name", "market__name"]


@admin.register(ReferenceImport)
class ReferenceImportAdmin(admin.ModelAdmin[ReferenceImport]):
    list_display = ["filename", "market", "kind", "status", "uploaded_by", "created_at"]
    readonly_fields = ["rows"]
    raw_id_fields = ["market", "uploaded_by"]


@admin.register(MarketCommodityPrice)
class MarketCommodityPriceAdmin(admin.ModelAdmin[MarketCommodityPrice]):
    """Read-only: the daily job writes these rows."""

    list_display = ["date", "market", "commodity", "median", "min", "max", "stalls", "alert"]
    list_filter = ["date", "alert"]
    raw_id_fields = ["market", "commodity"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(RegionCommodityPrice)
class RegionCommodityPriceAdmin(MarketCommodityPriceAdmin):
    list_display = ["date", "region", "level", "commodity", "price", "markets", "alert"]
    list_filter = ["date", "level", "alert"]
    raw_id_fields = ["region", "commodity"]


@admin.register(CeilingBreach)
class CeilingBreachAdmin(admin.ModelAdmin[CeilingBreach]):
    list_display = ["date", "market", "product", "price", "ceiling"]
    list_filter = ["date"]
    raw_id_fields = ["market", "product", "commodity"]
