"""Markets: the finder (by region, name or nearest to a point) and one market's details."""

from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Query

from pasar.core.api import Pagination, SlugPath, invalid_parameter, not_found
from pasar.core.schemas import Augmented, ErrorOut, ValidationErrorOut
from pasar.markets import selectors
from pasar.markets.models import Market
from pasar.markets.schemas import MarketFinderQuery, MarketOut, MarketSummaryOut
from pasar.regions.models import Region
from pasar.regions.selectors import region_by_code

router = Router(tags=["markets"])


def market_or_404(slug: str) -> Market:
    """The active market with this slug, or a 404 (inactive markets do not exist for the public)."""
    market = selectors.market_by_slug(slug)
    if market is None:
        raise not_found(_("Market not found."))
    return market


def _finder_region(code: str) -> Region:
    region = region_by_code(code)
    if region is None:
        raise invalid_parameter("wilayah", _("No region has this code."), code="unknown_region")
    if region.level == Region.Level.DISTRICT:
        raise invalid_parameter("wilayah", _("Give a province or kab/kota code."), code="region_level")
    return region


@router.get(
    "/markets",
    response={200: list[MarketSummaryOut], 422: ValidationErrorOut},
    operation_id="markets_list",
    summary="Find markets",
    description=(
        "With `lat` and `lng`: active markets within 50 km, nearest first, each with `distance_km` "
        "(`wilayah` and `q` are then ignored, as on the finder page). Otherwise markets by name, "
        "optionally inside a province or kab/kota."
    ),
)
@paginate(Pagination)
def markets_list(
    request: HttpRequest, filters: Annotated[MarketFinderQuery, Query(...)]
) -> QuerySet[Market] | list[Augmented]:
    if filters.lat is not None and filters.lng is not None:
        near = selectors.markets_near(latitude=filters.lat, longitude=filters.lng, limit=None)
        return [Augmented(found.market, distance_km=round(found.distance_km, 2)) for found in near]
    region = _finder_region(filters.wilayah) if filters.wilayah else None
    return selectors.market_list(region=region, query=filters.q.strip())


@router.get(
    "/markets/{slug}",
    response={200: MarketOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="markets_detail",
    summary="One market: hours, delivery terms and categories",
)
def markets_detail(request: HttpRequest, slug: SlugPath) -> Augmented:
    market = market_or_404(slug)
    return Augmented(market, categories=selectors.market_categories(market=market))
