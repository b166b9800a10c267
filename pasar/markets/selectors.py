"""Reads of markets, for pages and the API alike."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from pasar.core.geo import bounding_box, haversine_km
from pasar.markets.models import Category, Market
from pasar.regions.models import Region

NEAR_RADIUS_KM = 50.0


@dataclass(frozen=True)
class MarketDistance:
    market: Market
    distance_km: float


def market_list(*, region: Region | None = None, query: str = "") -> QuerySet[Market]:
    """Active markets, optionally inside a province or kab/kota, optionally matching a name."""
    markets = Market.objects.filter(is_active=True).select_related("region", "region__parent")
    if region is not None:
        if region.level == Region.Level.PROVINCE:
            markets = markets.filter(region__parent=region)
        else:
            markets = markets.filter(region=region)
    if query:
        markets = markets.filter(Q(name__icontains=query) | Q(region__name__icontains=query))
    return markets.order_by("name")


def markets_near(
    *, latitude: float, longitude: float, radius_km: float = NEAR_RADIUS_KM, limit: int | None = 20
) -> list[MarketDistance]:
    """Active markets within ``radius_km`` of a point, nearest first (bounding box in SQL, exact distance here).

    ``limit=None`` returns every market in range, for callers that paginate themselves (the API).
    """
    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, radius_km)
    candidates = market_list().filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
    found = [MarketDistance(m, haversine_km(latitude, longitude, m.latitude, m.longitude)) for m in candidates]
    return sorted((f for f in found if f.distance_km <= radius_km), key=lambda f: f.distance_km)[:limit]


def market_by_slug(slug: str) -> Market | None:
    return Market.objects.filter(slug=slug, is_active=True).select_related("region", "region__parent").first()


def market_categories(*, market: Market) -> list[Category]:
    """The categories that have at least one open stall in the market, with ``stall_count``."""
    return list(
        Category.objects.filter(stalls__market=market, stalls__is_open=True)
        .annotate(stall_count=Count("stalls"))
        .order_by("position", "name")
    )


def regions_with_markets() -> list[Region]:
    """Provinces and kab/kota that have at least one active market, for the finder's filter."""
    regency_ids = set(Market.objects.filter(is_active=True).values_list("region_id", flat=True))
    regencies = list(
        Region.objects.filter(pk__in=regency_ids).select_related("parent").order_by("parent__name", "name")
    )
    return regencies
