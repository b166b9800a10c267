from django.urls import path

from pasar.orders import bargain_views, list_views, views

app_name = "orders"
urlpatterns = [
    path("keranjang/", views.cart_list, name="carts"),
    path("keranjang/tambah/<int:product_id>/", views.cart_add, name="cart-add"),
    path("keranjang/<slug:slug>/", views.cart_detail, name="cart"),
    path("keranjang/<slug:slug>/baris/<int:product_id>/", views.cart_line, name="cart-line"),
    path("keranjang/<slug:slug>/checkout/", views.checkout, name="checkout"),
    path("keranjang/<slug:slug>/tawar/<int:product_id>/", bargain_views.offer_propose, name="offer-propose"),
    path("keranjang/<slug:slug>/tawaran/<int:offer_id>/", bargain_views.offer_respond, name="offer-respond"),
    path("keranjang/<slug:slug>/daftar/", list_views.shopping_list, name="shopping-list"),
    path("keranjang/<slug:slug>/cari/<int:request_id>/", list_views.cart_request, name="cart-request"),
    path("pesanan/", views.order_list, name="list"),
    path("pesanan/<str:number>/", views.order_detail, name="detail"),
    path("pesanan/<str:number>/baris/<int:line_id>/keputusan/", views.line_decision, name="line-decision"),
    path("pesanan/<str:number>/cari/<int:line_id>/keputusan/", list_views.search_decision, name="search-decision"),
]
