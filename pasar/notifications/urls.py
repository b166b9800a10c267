from django.urls import path

from pasar.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifikasi/", views.inbox, name="inbox"),
    path("notifikasi/baca/", views.mark_read, name="mark-read"),
    path("notifikasi/whatsapp/", views.whatsapp_switch, name="whatsapp"),
    path("webhooks/whatsapp/", views.whatsapp_webhook, name="whatsapp-webhook"),
]
