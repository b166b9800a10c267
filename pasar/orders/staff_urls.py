from django.urls import path

from pasar.orders import staff_views

app_name = "orders_staff"
urlpatterns = [
    path("pedagang/pesanan/", staff_views.trader_orders, name="trader-orders"),
    path("pedagang/pesanan/<int:part_id>/", staff_views.trader_part, name="trader-part"),
    path("kurir/", staff_views.courier_home, name="courier"),
    path("pengelola/<slug:slug>/pesanan/", staff_views.operator_orders, name="operator-orders"),
    path("pengelola/<slug:slug>/pesanan/<int:order_id>/batal/", staff_views.operator_cancel, name="operator-cancel"),
    path(
        "pengelola/<slug:slug>/pesanan/<int:order_id>/serah/", staff_views.operator_handover, name="operator-handover"
    ),
]
