from django.urls import path

from pasar.complaints import views

app_name = "complaints"
urlpatterns = [
    path("pesanan/<str:number>/komplain/", views.complaint_new, name="new"),
    path("pedagang/komplain/<int:complaint_id>/", views.trader_answer, name="trader-answer"),
    path("pengelola/<slug:slug>/komplain/", views.operator_list, name="operator-list"),
    path("pengelola/<slug:slug>/komplain/<int:complaint_id>/", views.operator_decide, name="operator-decide"),
]
