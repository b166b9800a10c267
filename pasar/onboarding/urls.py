from django.urls import path

from pasar.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("<slug:slug>/daftar/", views.register, name="register"),
]
