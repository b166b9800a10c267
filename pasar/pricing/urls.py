from django.urls import URLPattern, URLResolver, path

from pasar.pricing import views

app_name = "pricing"
urlpatterns: list[URLPattern | URLResolver] = [
    path("harga/", views.price_index, name="index"),
    path("harga/wilayah/<str:code>/", views.region_prices, name="region"),
    path("harga/<slug:slug>/", views.market_prices, name="market"),
    path("pengelola/<slug:slug>/harga-acuan/", views.reference_prices, name="reference"),
    path("pengelola/<slug:slug>/harga-acuan/<int:pk>/", views.reference_report, name="reference-report"),
    path("pengelola/<slug:slug>/harga-acuan/<int:pk>/konfirmasi/", views.reference_confirm, name="reference-confirm"),
    path("dinas/harga/", views.officer_prices, name="officer"),
    path("dinas/harga/<slug:slug>/", views.officer_market_prices, name="officer-market"),
]
