from django.urls import path

from pasar.orders import bargain_views, staff_views

app_name = "orders_staff"
urlpatterns = [
    path("pedagang/pesanan/", staff_views.trader_orders, name="trader-orders"),
    path("pedagang/pesanan/<int:part_id>/", staff_views.trader_part, name="trader-part"),
    path("pedagang/tawaran/", bargain_views.trader_offers, name="trader-offers"),
    path("pedagang/tawaran/<int:offer_id>/", bargain_views.trader_answer, name="trader-offer-answer"),
    path("pedagang/tawaran/batas/<int:product_id>/", bargain_views.trader_threshold, name="trader-offer-threshold"),
    path("kurir/", staff_views.courier_home, name="courier"),
    path("pengelola/<slug:slug>/pesanan/", staff_views.operator_orders, name="operator-orders"),
    path("pengelola/<slug:slug>/pesanan/<int:order_id>/batal/", staff_views.operator_cancel, name="operator-cancel"),
    path(
        "pengelola/<slug:slug>/pesanan/<int:order_id>/serah/", staff_views.operator_handover, name="operator-handover"
    ),
]
