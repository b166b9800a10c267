from django.contrib import admin

from pasar.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["user", "key", "message", "created_at", "read_at", "sent_at"]
    search_fields = ["user__phone", "key"]
    readonly_fields = ["user", "key", "message", "params", "url", "created_at", "read_at", "sent_at"]
