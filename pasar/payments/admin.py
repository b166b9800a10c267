"""Read-only views of payments for platform staff: money records are written by the services only."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from pasar.payments.models import Account, Entry, PaymentAttempt, Posting, ProviderNotification


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(ReadOnlyAdmin):
    list_display = ["provider_ref", "order", "provider", "method", "amount", "state", "created_at"]
    list_filter = ["provider", "method", "state"]
    search_fields = ["provider_ref", "order__number"]


@admin.register(ProviderNotification)
class ProviderNotificationAdmin(ReadOnlyAdmin):
    list_display = ["order_ref", "provider", "status", "amount", "outcome", "received_at"]
    list_filter = ["provider", "outcome", "status"]
    search_fields = ["order_ref", "transaction_id"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "name", "market"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


class PostingInline(admin.TabularInline[Posting, Entry]):
    model = Posting
    fields = ["account", "amount"]
    readonly_fields = ["account", "amount"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Entry | None = None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "order", "market", "day", "memo", "created_at"]
    list_filter = ["kind", "day"]
    search_fields = ["memo", "order__number"]
    inlines = [PostingInline]
