from django.urls import URLPattern, URLResolver, path

from pasar.training import views

app_name = "training"
urlpatterns: list[URLPattern | URLResolver] = [
    path("pengelola/<slug:slug>/pelatihan/", views.operator_events, name="operator-events"),
    path("dinas/pelatihan/", views.officer_events, name="officer-events"),
    path("pelatihan/<int:pk>/", views.event_detail, name="event"),
]
