from django.urls import path

from pasar.privacy import views

app_name = "privacy"
urlpatterns = [
    path("privasi/", views.notice, name="notice"),
    path("akun/data/", views.my_data, name="my-data"),
    path("akun/data/unduh.json", views.download, {"fmt": "json"}, name="download-json"),
    path("akun/data/unduh.csv", views.download, {"fmt": "csv"}, name="download-csv"),
    path("akun/data/ubah/", views.correct, name="correct"),
    path("akun/data/permintaan/", views.ask, name="ask"),
    path("akun/data/persetujuan/", views.consent, name="consent"),
]
