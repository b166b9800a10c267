from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pasar.accounts import lockout
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
    list_filter = ["is_staff", "is_active", "must_change_password"]
    actions = ["unlock_login"]
    fieldsets = (
        (None, {"fields": ("phone", "name", "email", "password", "must_change_password")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("phone", "name", "password1", "password2")}),)
    inlines = [OfficerInline]

    @admin.action(description=gettext_lazy("Unlock login (forget the wrong PINs)"))
    def unlock_login(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = sum(1 for user in queryset if lockout.unlock(user.phone))
        self.message_user(request, _("%(count)d account(s) unlocked.") % {"count": count}, messages.SUCCESS)


@admin.register(OfficerAssignment)
class OfficerAssignmentAdmin(admin.ModelAdmin[OfficerAssignment]):
    list_display = ["user", "region", "agency"]
    raw_id_fields = ["user", "region"]
