from django.contrib import admin

from pasar.catalog.models import Commodity, Product


@admin.register(Commodity)
class CommodityAdmin(admin.ModelAdmin[Commodity]):
    list_display = ["name", "group", "category", "unit", "weighed", "bapanas_id"]
    list_filter = ["category", "weighed"]
    search_fields = ["name", "synonyms"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    list_display = ["name", "stall", "unit", "price", "available", "stock"]
    list_filter = ["available", "weighed"]
    search_fields = ["name"]
    raw_id_fields = ["stall", "market", "commodity"]
    readonly_fields = ["search_text"]
