from django.urls import path

from pasar.catalog import trader_views, views

app_name = "catalog"
urlpatterns = [
    path("pasar/<slug:slug>/", views.market_detail, name="market"),
    path("pasar/<slug:slug>/cari/", views.search, name="search"),
    path("lapak/<int:pk>/", views.stall, name="stall"),
    path("produk/<int:pk>/", views.product, name="product"),
    path("pedagang/harga/", trader_views.trader_prices, name="trader-prices"),
    path("pedagang/produk/baru/", trader_views.trader_product, name="trader-product-new"),
    path("pedagang/produk/<int:pk>/", trader_views.trader_product, name="trader-product-edit"),
    path("pedagang/produk/<int:pk>/varian/", trader_views.trader_variant_add, name="trader-variant-add"),
]
