from django.contrib import admin

from pasar.notifications.models import Announcement, InboundMessage, Notification, OptIn, OutboundMessage


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["user", "key", "message", "created_at", "read_at", "sent_at"]
    search_fields = ["user__phone", "key"]
    readonly_fields = ["user", "key", "message", "params", "url", "created_at", "read_at", "sent_at"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin[OutboundMessage]):
    list_display = ["to", "channel", "template", "category", "status", "attempts", "created_at"]
    list_filter = ["channel", "category", "status"]
    search_fields = ["to", "template", "provider_message_id"]


@admin.register(OptIn)
class OptInAdmin(admin.ModelAdmin[OptIn]):
    list_display = ["phone", "user", "source", "opted_in_at", "opted_out_at"]
    search_fields = ["phone"]


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin[InboundMessage]):
    list_display = ["phone", "sender", "kind", "received_at", "processed_at"]
    search_fields = ["phone", "provider_message_id"]


admin.site.register(Announcement)
