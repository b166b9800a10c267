"""Read-only standing orders for platform staff: drafts and placements change only through the services."""

from django.contrib import admin

from pasar.payments.admin import ReadOnlyAdmin
from pasar.standing.models import Run, StandingOrder


@admin.register(StandingOrder)
class StandingOrderAdmin(ReadOnlyAdmin):
    list_display = ["name", "buyer", "market", "every", "weekdays", "interval_days", "paused", "starts_on", "ends_on"]
    list_filter = ["market", "paused"]


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = ["standing", "date", "state", "order", "settled_at"]
    list_filter = ["state", "market"]
