from django.contrib.auth import views as auth_views
from django.urls import path

from pasar.accounts import views
from pasar.accounts.forms import PhoneLoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=PhoneLoginForm),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("pin/", views.pin_change, name="pin-change"),
]
