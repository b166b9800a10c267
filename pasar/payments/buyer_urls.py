from django.urls import path

from pasar.payments import buyer_views

app_name = "payments_buyer"
urlpatterns = [
    path("pesanan/<str:number>/bayar/", buyer_views.order_payment, name="order-payment"),
]
