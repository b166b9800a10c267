from django.contrib import admin

from pasar.dashboards.models import Export


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin[Export]):
    list_display = ("created_at", "requested_by", "kind", "format", "market", "region", "state", "progress")
    list_filter = ("state", "kind", "format")
    raw_id_fields = ("requested_by", "market", "region")
    readonly_fields = ("created_at", "finished_at")
