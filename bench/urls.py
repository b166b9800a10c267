"""The product's URLs plus the floor views the harness compares against."""

from django.urls import include, path

from bench import floor

urlpatterns = [
    path("_floor/market/<slug:slug>/", floor.market, name="floor-market"),
    path("_floor/stall/<int:pk>/", floor.stall, name="floor-stall"),
    path("", include("pasar.urls")),
]
