from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from pasar.accounts.models import OfficerAssignment, User


class OfficerInline(admin.TabularInline[OfficerAssignment, User]):
    model = OfficerAssignment
    raw_id_fields = ["region"]
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["phone"]
    list_display = ["phone", "name", "is_staff", "is_active", "date_joined"]
    search_fields = ["phone", "name"]
    list_filter = ["is_staff", "is_active"]
    fieldsets = (
        (None, {"fields": ("phone", "name", "email", "password")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("phone", "name", "password1", "password2")}),)
    inlines = [OfficerInline]


@admin.register(OfficerAssignment)
class OfficerAssignmentAdmin(admin.ModelAdmin[OfficerAssignment]):
    list_display = ["user", "region", "agency"]
    raw_id_fields = ["user", "region"]
