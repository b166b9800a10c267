from django.contrib import admin

from pasar.training.models import Attendance, TrainingEvent


class AttendanceInline(admin.TabularInline[Attendance, TrainingEvent]):
    model = Attendance
    extra = 0
    raw_id_fields = ("trader", "recorded_by")


@admin.register(TrainingEvent)
class TrainingEventAdmin(admin.ModelAdmin[TrainingEvent]):
    list_display = ("date", "topic", "organiser_kind", "organiser_name", "market", "region")
    list_filter = ("organiser_kind",)
    search_fields = ("topic", "place", "organiser_name")
    raw_id_fields = ("market", "region", "created_by")
    inlines = [AttendanceInline]
