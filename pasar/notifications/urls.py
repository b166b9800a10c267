from django.urls import path

from pasar.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifikasi/", views.inbox, name="inbox"),
    path("notifikasi/baca/", views.mark_read, name="mark-read"),
    path("notifikasi/whatsapp/", views.whatsapp_switch, name="whatsapp"),
    path("akun/masuk/kode/", views.login_code, name="login-code"),
    path("akun/masuk/kode/cek/", views.login_code_check, name="login-code-check"),
    path("webhooks/whatsapp/", views.whatsapp_webhook, name="whatsapp-webhook"),
]
