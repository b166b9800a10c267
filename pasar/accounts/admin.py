from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pasar.accounts import lockout
from pasar.accounts.audit import record
from pasar.accounts.models import Consent, OfficerAssignment, PersonalDataAccess, User


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

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "GET" and object_id.isdigit():
            record(actor=request.user, action=PersonalDataAccess.Action.VIEW, what=f"admin user {object_id}",
                   subject=int(object_id), path=request.get_full_path())  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=gettext_lazy("Unlock login (forget the wrong PINs)"))
    def unlock_login(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = sum(1 for user in queryset if lockout.unlock(user.phone))
        self.message_user(request, _("%(count)d account(s) unlocked.") % {"count": count}, messages.SUCCESS)


@admin.register(OfficerAssignment)
class OfficerAssignmentAdmin(admin.ModelAdmin[OfficerAssignment]):
    list_display = ["user", "region", "agency"]
    raw_id_fields = ["user", "region"]


class ReadOnly[M: Any](admin.ModelAdmin[M]):
    """Evidence: readable by the admin, written only by the code."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnly[PersonalDataAccess]):
    list_display = ["at", "actor", "action", "what", "subject"]
    list_filter = ["action"]
    search_fields = ["what", "actor__phone", "subject__phone"]
    date_hierarchy = "at"
    list_select_related = ["actor", "subject"]


@admin.register(Consent)
class ConsentAdmin(ReadOnly[Consent]):
    list_display = ["user", "version", "how", "given_at", "withdrawn_at", "recorded_by"]
    list_filter = ["version", "how"]
    search_fields = ["user__phone"]
    list_select_related = ["user", "recorded_by"]
