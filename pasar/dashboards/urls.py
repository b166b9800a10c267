from django.urls import URLPattern, URLResolver, path

from pasar.dashboards import views

app_name = "dashboards"
urlpatterns: list[URLPattern | URLResolver] = [
    path("dinas/", views.officer_home, name="officer-home"),
    path("dinas/wilayah/<str:code>/", views.region_view, name="region"),
    path("dinas/pasar/<slug:slug>/", views.market_view, name="market"),
    path("dinas/lapak/<int:stall_id>/", views.stall_view, name="stall"),
    path("pengelola/<slug:slug>/dasbor/", views.operator_dashboard, name="operator"),
    path("pengelola/<slug:slug>/hari-ini/", views.operator_today, name="operator-today"),
    path("dasbor/segarkan/", views.refresh_today, name="refresh"),
    path("ekspor/", views.export_create, name="export-create"),
    path("ekspor/<int:pk>/", views.export_detail, name="export"),
    path("ekspor/<int:pk>/unduh/", views.export_download, name="export-download"),
]
