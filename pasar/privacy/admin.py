"""The admin's inbox of data requests, with the 3×24 h clock, and the erasure action."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pasar.accounts.audit import record
from pasar.accounts.models import PersonalDataAccess, User
from pasar.core.errors import DomainError
from pasar.privacy import services
from pasar.privacy.models import DataRequest


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin[DataRequest]):
    list_display = ["id", "kind", "status", "user", "created_at", "due_at", "clock"]
    list_filter = ["status", "kind"]
    ordering = ["status", "due_at"]
    search_fields = ["user__phone"]
    readonly_fields = ["user", "kind", "detail", "created_at", "due_at", "handled_by", "handled_at", "status"]
    fields = ["user", "kind", "detail", "status", "created_at", "due_at", "handled_by", "handled_at", "answer"]
    actions = ["erase_person", "mark_done", "mark_refused"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: DataRequest | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("time left"))
    def clock(self, obj: DataRequest) -> str:
        if obj.status != DataRequest.Status.OPEN:
            return "—"
        hours = (obj.due_at - timezone.now()).total_seconds() / 3600
        if hours < 0:
            return format_html('<strong style="color:#a00">{}</strong>', _("%(h)d h overdue") % {"h": -hours})
        return _("%(h)d h left") % {"h": hours}

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        found = DataRequest.objects.filter(pk=object_id).first()
        if found is not None and request.method == "GET" and isinstance(request.user, User):
            record(actor=request.user, action=PersonalDataAccess.Action.VIEW, what=f"data request {found.pk}",
                   subject=found.user_id, path=request.get_full_path())  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)

    def _by(self, request: HttpRequest) -> User:
        assert isinstance(request.user, User)
        return request.user

    @admin.action(description=gettext_lazy("Erase the person (anonymise) and close the request"))
    def erase_person(self, request: HttpRequest, queryset: QuerySet[DataRequest]) -> None:
        done = 0
        for data_request in queryset.filter(kind=DataRequest.Kind.DELETION, status=DataRequest.Status.OPEN):
            try:
                services.person_anonymise(user=data_request.user, by=self._by(request))
            except DomainError as exc:
                self.message_user(request, f"#{data_request.pk}: {exc.message}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("%(n)d person(s) erased.") % {"n": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Mark done"))
    def mark_done(self, request: HttpRequest, queryset: QuerySet[DataRequest]) -> None:
        for data_request in queryset.filter(status=DataRequest.Status.OPEN):
            services.request_close(data_request=data_request, by=self._by(request), status=DataRequest.Status.DONE)

    @admin.action(description=gettext_lazy("Mark refused (write the answer first)"))
    def mark_refused(self, request: HttpRequest, queryset: QuerySet[DataRequest]) -> None:
        for data_request in queryset.filter(status=DataRequest.Status.OPEN):
            services.request_close(
                data_request=data_request, by=self._by(request), status=DataRequest.Status.REFUSED,
                answer=data_request.answer,
            )  # fmt: skip
