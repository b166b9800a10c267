from django.urls import path

from pasar.business import views

app_name = "business"
urlpatterns = [
    path("usaha/", views.my_businesses, name="list"),
    path("usaha/<int:business_id>/", views.business_detail, name="detail"),
    path("usaha/<int:business_id>/kontak/<int:member_id>/hapus/", views.member_remove, name="member-remove"),
    path("usaha/<int:business_id>/faktur/<int:invoice_id>/", views.invoice_detail, name="invoice"),
    path("usaha/<int:business_id>/faktur/<int:invoice_id>/<str:kind>/", views.invoice_detail, name="invoice-file"),
    path("usaha/<int:business_id>/tagihan/", views.statement, name="statement"),
    path("usaha/<int:business_id>/tagihan/<str:kind>/", views.statement, name="statement-file"),
    path("pengelola/<slug:slug>/usaha/", views.operator_list, name="operator-list"),
    path("pengelola/<slug:slug>/usaha/<int:business_id>/", views.operator_business, name="operator-business"),
    path("pengelola/<slug:slug>/faktur/<int:invoice_id>/", views.operator_invoice, name="operator-invoice"),
]
