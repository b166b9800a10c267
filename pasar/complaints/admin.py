"""Read-only complaints for platform staff: states and refunds change only through the services."""

from django.contrib import admin

from pasar.complaints.models import Complaint
from pasar.payments.admin import ReadOnlyAdmin


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["order", "line", "stall", "reason", "remedy", "state", "refund_amount", "created_at"]
    list_filter = ["state", "reason", "remedy", "market"]
    search_fields = ["order__number"]
