from django.urls import path

from pasar.traders import messaging_views, views

app_name = "traders"
urlpatterns = [
    path("kotak-keluar/", messaging_views.all_outbox, name="all-outbox"),
    path("wilayah/<str:code>/pengumuman/", messaging_views.region_announcements, name="region-announcements"),
    path("<slug:slug>/", views.operator_market, name="operator-market"),
    path("<slug:slug>/lapak/<int:stall_id>/status/", views.stall_status, name="stall-status"),
    path("<slug:slug>/lapak/<int:stall_id>/pin/", views.stall_pin_reset, name="stall-pin-reset"),
    path("<slug:slug>/lapak/<int:stall_id>/buka-kunci/", views.stall_unlock, name="stall-unlock"),
    path("<slug:slug>/kotak-keluar/", messaging_views.market_outbox, name="outbox"),
    path("<slug:slug>/impor/", views.import_upload, name="import-upload"),
    path("<slug:slug>/impor/<int:pk>/", views.import_report, name="import-report"),
    path("<slug:slug>/impor/<int:pk>/konfirmasi/", views.import_confirm, name="import-confirm"),
]
