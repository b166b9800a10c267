from django.urls import path

app_name = "traders"
urlpatterns: list = []
