from django.urls import path

from pasar.traders import views

app_name = "traders"
urlpatterns = [
    path("<slug:slug>/", views.operator_market, name="operator-market"),
]
