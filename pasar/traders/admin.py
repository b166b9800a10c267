from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pasar.traders.models import Stall, Trader, TraderImport


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


@admin.register(TraderImport)
class TraderImportAdmin(admin.ModelAdmin[TraderImport]):
    """Read-only: imports are applied by the operator's confirmation, never edited by hand."""

    list_display = ["filename", "market", "uploaded_by", "status", "row_count", "created_at", "applied_at"]
    list_filter = ["status"]
    raw_id_fields = ["market", "uploaded_by"]
    exclude = ["rows"]  # up to 5,000 rows of JSON: too big for a form

    @admin.display(description=_("rows"))
    def row_count(self, obj: TraderImport) -> int:
        return len(obj.rows)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TraderImport | None = None) -> bool:
        return False
