from django.contrib import admin

from pasar.markets.models import Category, Market, MarketRole


class MarketRoleInline(admin.TabularInline[MarketRole, Market]):
    model = MarketRole
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Market)
class MarketAdmin(admin.ModelAdmin[Market]):
    list_display = ["name", "region", "operator_name", "is_active"]
    list_filter = ["is_active", "kind", "operator_kind"]
    search_fields = ["name", "region__name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["region", "district"]
    inlines = [MarketRoleInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ["name", "slug", "position"]


@admin.register(MarketRole)
class MarketRoleAdmin(admin.ModelAdmin[MarketRole]):
    list_display = ["user", "market", "role"]
    list_filter = ["role"]
    raw_id_fields = ["user", "market"]
