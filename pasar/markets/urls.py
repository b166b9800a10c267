from django.urls import path

app_name = "markets"
urlpatterns: list = []
