from django.urls import path

from pasar.orders import views

app_name = "orders"
urlpatterns = [
    path("keranjang/", views.cart_list, name="carts"),
    path("keranjang/tambah/<int:product_id>/", views.cart_add, name="cart-add"),
    path("keranjang/<slug:slug>/", views.cart_detail, name="cart"),
    path("keranjang/<slug:slug>/baris/<int:product_id>/", views.cart_line, name="cart-line"),
    path("keranjang/<slug:slug>/checkout/", views.checkout, name="checkout"),
    path("pesanan/", views.order_list, name="list"),
    path("pesanan/<str:number>/", views.order_detail, name="detail"),
    path("pesanan/<str:number>/baris/<int:line_id>/keputusan/", views.line_decision, name="line-decision"),
]
