"""Commodity prices, read from the daily summary tables: a market's, a region's, the installation's."""

from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params.functions import Path, Query

from pasar.core.api import REGION_CODE_PATTERN, SlugPath, not_found
from pasar.core.schemas import ErrorOut, ValidationErrorOut
from pasar.markets.models import Market
from pasar.pricing import selectors
from pasar.pricing.schemas import BoardOut, BoardQuery
from pasar.regions.models import Region

router = Router(tags=["pricing"])

RegionCode = Annotated[
    str, Path(max_length=13, pattern=REGION_CODE_PATTERN, description="A province or kab/kota code.")
]


def _out(board: selectors.Board) -> dict[str, object]:
    return {"date": board.day, "items": board.rows}


@router.get(
    "/prices",
    response={200: BoardOut, 422: ValidationErrorOut},
    operation_id="prices_installation",
    summary="Prices of every commodity over the whole installation (mean of provinces, to Rp 50)",
)
def prices_installation(request: HttpRequest, query: Annotated[BoardQuery, Query(...)]) -> dict[str, object]:
    return _out(selectors.region_board(region=None, day=query.date))


@router.get(
    "/prices/regions/{code}",
    response={200: BoardOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="prices_region",
    summary="Prices in a province or kab/kota",
)
def prices_region(
    request: HttpRequest, code: RegionCode, query: Annotated[BoardQuery, Query(...)]
) -> dict[str, object]:
    region = Region.objects.filter(code=code, level__lte=Region.Level.REGENCY).first()
    if region is None:
        raise not_found(_("Region not found."))
    return _out(selectors.region_board(region=region, day=query.date))


@router.get(
    "/prices/markets/{slug}",
    response={200: BoardOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="prices_market",
    summary="Prices in one market: median of its stalls per commodity",
)
def prices_market(request: HttpRequest, slug: SlugPath, query: Annotated[BoardQuery, Query(...)]) -> dict[str, object]:
    market = Market.objects.filter(slug=slug, is_active=True).first()
    if market is None:
        raise not_found(_("Market not found."))
    return _out(selectors.market_board(market=market, day=query.date))
