from django.contrib import admin

from pasar.traders.models import Stall, Trader


@admin.register(Trader)
class TraderAdmin(admin.ModelAdmin[Trader]):
    list_display = ["user", "status", "consent_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["user__name", "user__phone"]
    raw_id_fields = ["user", "registered_by", "consent_recorded_by"]


@admin.register(Stall)
class StallAdmin(admin.ModelAdmin[Stall]):
    list_display = ["name", "market", "block", "row", "number", "category", "is_open"]
    list_filter = ["category", "is_open", "market"]
    search_fields = ["name", "trader__user__name"]
    raw_id_fields = ["trader", "market"]
