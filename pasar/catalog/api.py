"""Stalls and products of a market, and search within a market (synonyms and typos)."""

from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Path, Query

from pasar.catalog import selectors
from pasar.catalog.models import Product
from pasar.catalog.schemas import ProductOut, SearchHitOut, StallOut, StallSummaryOut
from pasar.core.api import MAX_ID, SLUG_PATTERN, BlankIsNone, Pagination, SlugPath, not_found
from pasar.core.schemas import ErrorOut, ValidationErrorOut
from pasar.markets.api import market_or_404
from pasar.markets.selectors import market_categories
from pasar.traders.models import Stall

router = Router(tags=["catalog"])

MAX_QUERY_LENGTH = 80

StallId = Annotated[int, Path(ge=1, le=MAX_ID, description="The stall's id.")]
ProductId = Annotated[int, Path(ge=1, le=MAX_ID, description="The product's id.")]


@router.get(
    "/markets/{slug}/stalls",
    response={200: list[StallSummaryOut], 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="stalls_list",
    summary="Open stalls of a market",
    description="In market-layout order (block, row, number). A category without open stalls gives an empty list.",
)
@paginate(Pagination)
def stalls_list(
    request: HttpRequest,
    slug: SlugPath,
    kategori: Annotated[
        str | None,
        BlankIsNone,
        Query(None, max_length=50, pattern=SLUG_PATTERN, description="A category slug, e.g. `sayur`."),
    ],
) -> QuerySet[Stall] | list[Stall]:
    market = market_or_404(slug)
    if kategori is None:
        return selectors.stall_list(market=market)
    # Only categories with an open stall are listed, as in the market page's chips.
    chosen = next((c for c in market_categories(market=market) if c.slug == kategori), None)
    return [] if chosen is None else selectors.stall_list(market=market, category=chosen)


@router.get(
    "/stalls/{stall_id}",
    response={200: StallOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="stalls_detail",
    summary="One open stall with its products",
)
def stalls_detail(request: HttpRequest, stall_id: StallId) -> Stall:
    stall = selectors.stall_detail(stall_id=stall_id)
    if stall is None:
        raise not_found(_("Stall not found."))
    return stall


@router.get(
    "/products/{product_id}",
    response={200: ProductOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="products_detail",
    summary="One product of an open stall",
)
def products_detail(request: HttpRequest, product_id: ProductId) -> Product:
    product = selectors.product_detail(product_id=product_id)
    if product is None:
        raise not_found(_("Product not found."))
    return product


@router.get(
    "/markets/{slug}/search",
    response={200: list[SearchHitOut], 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="products_search",
    summary="Search products in one market",
    description=(
        "Every word must match, after regional synonyms and spelling variants (`cabe` → cabai, `bamer` → "
        "bawang merah) and typo correction; if nothing does, the products matching most words, then names "
        "that look alike. Available first, then cheapest. An empty `q` gives an empty list."
    ),
)
def products_search(
    request: HttpRequest,
    slug: SlugPath,
    q: str = Query(..., max_length=MAX_QUERY_LENGTH, description="What to look for, up to 80 characters."),
    limit: int = Query(selectors.SEARCH_LIMIT, ge=1, le=selectors.SEARCH_LIMIT, description="At most 40."),
) -> list[Product]:
    market = market_or_404(slug)
    query = q.strip()
    return selectors.product_search(market=market, query=query, limit=limit) if query else []
