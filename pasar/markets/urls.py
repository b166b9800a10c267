from django.urls import path

from pasar.markets import views

app_name = "markets"
urlpatterns = [
    path("", views.home, name="home"),
]
