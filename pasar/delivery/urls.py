from django.urls import URLPattern, URLResolver, path

from pasar.delivery import views

app_name = "delivery"
urlpatterns: list[URLPattern | URLResolver] = [
    path("kurir/antrian/", views.courier_queue, name="courier"),
    path("pengelola/<slug:slug>/antrian/", views.operator_queue, name="operator"),
]
