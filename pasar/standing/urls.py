from django.urls import path

from pasar.standing import views

app_name = "standing"
urlpatterns = [
    path("rutin/", views.standing_list, name="list"),
    path("rutin/baru/<slug:slug>/", views.standing_new, name="new"),
    path("rutin/<int:pk>/", views.standing_detail, name="detail"),
    path("rutin/<int:pk>/jadwal/", views.standing_schedule, name="schedule"),
    path("rutin/<int:pk>/jeda/", views.standing_pause, name="pause"),
    path("rutin/<int:pk>/tanggal/<int:run_id>/baris/", views.run_line, name="run-line"),
    path("rutin/<int:pk>/tanggal/<int:run_id>/lewati/", views.run_skip, name="run-skip"),
]
