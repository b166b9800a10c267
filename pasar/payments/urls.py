from django.urls import path

from pasar.payments import views

app_name = "payments"
urlpatterns = [
    path("<slug:slug>/setoran/", views.settlement, name="settlement"),
    path("<slug:slug>/transfer/", views.transfers, name="transfers"),
    path("<slug:slug>/transfer/<str:number>/", views.transfer_confirm, name="transfer-confirm"),
]
