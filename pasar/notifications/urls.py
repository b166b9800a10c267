from django.urls import path

from pasar.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifikasi/", views.inbox, name="inbox"),
    path("notifikasi/baca/", views.mark_read, name="mark-read"),
]
