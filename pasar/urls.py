from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from pasar import views
from pasar.api import api
from pasar.runtime import views as runtime_views

urlpatterns = [
    path("healthz", runtime_views.healthz, name="healthz"),
    path("readyz", runtime_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("pasar.accounts.urls")),
    path("", include("pasar.privacy.urls")),
    path("akun/saya/", views.my_page, name="my-page"),
    path("tentang/", views.about, name="about"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("pengelola/", include("pasar.onboarding.urls")),
    path("pengelola/", include("pasar.traders.urls")),
    path("pengelola/", include("pasar.payments.urls")),
    path("", include("pasar.catalog.urls")),
    path("", include("pasar.markets.urls")),
    path("", include("pasar.orders.staff_urls")),
    path("", include("pasar.payments.buyer_urls")),
    path("", include("pasar.orders.urls")),
    path("", include("pasar.notifications.urls")),
    path("", include("pasar.training.urls")),
    path("", include("pasar.pricing.urls")),
    path("", include("pasar.delivery.urls")),
    path("", include("pasar.complaints.urls")),
    path("", include("pasar.standing.urls")),
    path("", include("pasar.business.urls")),
    path("", include("pasar.dashboards.urls")),
]

if settings.SERVE_MEDIA:
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
